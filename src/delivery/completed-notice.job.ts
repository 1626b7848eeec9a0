import { itemById } from '../accounts/items.ts';
import { ChannelError } from '../channels/channel.ts';
import { parseJson } from '../db/json.ts';
import type { InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { latestEventOf } from '../events/events.repo.ts';
import { findInvite } from '../invites/invites.repo.ts';
import type { JobHandler } from '../queue/jobs.ts';
import { queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import { type Completion, completionNotice } from './completed-notice.text.ts';

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

/** What the recipient did to complete the invite, from its history. */
async function completionOf(
  deps: Deps,
  clientId: string,
  inviteId: string,
  data: string | undefined,
): Promise<Completion> {
  const facts = data ? parseJson<{ reason?: string }>(data) : {};
  if (facts.reason === 'account_connected') {
    const connected = await latestEventOf(deps.db, clientId, inviteId, 'account.connected');
    const itemId = connected ? parseJson<{ item?: string }>(connected.data).item : undefined;
    return { via: 'account', item: (itemId && itemById(itemId)?.name) || null };
  }
  if (facts.reason === 'document_uploaded') {
    const uploaded = await latestEventOf(deps.db, clientId, inviteId, 'document.uploaded');
    return {
      via: 'document',
      fileName: uploaded ? (parseJson<{ file_name?: string }>(uploaded.data).file_name ?? null) : null,
    };
  }
  return { via: 'unknown' };
}

/** Tells a reply_to address that the recipient completed the invite. */
export const completedNoticeJob: JobHandler<'invite.completed_notice'> = {
  async run(deps, job) {
    const { to } = job.payload;
    const invite = job.invite_id ? await findInvite(deps.db, job.client_id, job.invite_id) : undefined;
    if (!invite) return { kind: 'failed', error: 'invite no longer exists' };
    const completed = await latestEventOf(deps.db, job.client_id, invite.id, 'invite.completed');
    const { subject, text, html } = completionNotice(
      invite,
      await completionOf(deps, job.client_id, invite.id, completed?.data),
      completed?.created_at ?? invite.updated_at,
    );
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
