import { ChannelError } from '../channels/channel.ts';
import { parseJson } from '../db/json.ts';
import type { InvitesTable } from '../db/tables.ts';
import { findInvite } from '../invites/invites.repo.ts';
import { escapeHtml } from '../lib/html.ts';
import type { JobHandler } from '../queue/jobs.ts';
import { queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';

/** Queues, in the caller's transaction, one "invite completed" email per reply_to address. */
export async function queueCompletionNotices(trx: JobTx, invite: InvitesTable, at: string): Promise<number> {
  const to = parseJson<string[]>(invite.reply_to);
  for (const address of to) {
    const job = {
      client_id: invite.client_id,
      invite_id: invite.id,
      delivery_id: null,
      payload: { to: address },
    };
    await queueJob(trx, 'invite.completed_notice', job, at);
  }
  return to.length;
}

/** Tells a reply_to address that the recipient completed the invite. */
export const completedNoticeJob: JobHandler<'invite.completed_notice'> = {
  async run(deps, job) {
    const { to } = job.payload;
    const invite = job.invite_id ? await findInvite(deps.db, job.client_id, job.invite_id) : undefined;
    if (!invite) return { kind: 'failed', error: 'invite no longer exists' };
    const name = `${invite.first_name} ${invite.last_name}`.trim();
    const when = invite.updated_at;
    const subject = `${name} completed your invite`;
    const text = `${name} connected their payroll account on ${when}.\n\nInvite: ${invite.id}\n`;
    const html = `<!doctype html><html><body style="font:15px/22px Arial,sans-serif;color:#111827"><p><strong>${escapeHtml(name)}</strong> connected their payroll account on ${escapeHtml(when)}.</p><p style="color:#6b7280">Invite ${escapeHtml(invite.id)}</p></body></html>`;
    try {
      const accepted = await deps.channels.email.send({
        messageId: `<${job.id}@invitekit>`,
        clientId: job.client_id,
        deliveryId: null,
        to,
        replyTo: null,
        fromName: null,
        subject,
        text,
        html,
      });
      return { kind: 'done', response: accepted.response };
    } catch (err) {
      if (!(err instanceof ChannelError)) throw err;
      return err.permanent
        ? { kind: 'failed', error: err.message, response: err.response }
        : { kind: 'retry', error: err.message, response: err.response };
    }
  },
};
