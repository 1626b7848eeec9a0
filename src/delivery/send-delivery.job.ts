import type { JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { findInvite } from '../invites/invites.repo.ts';
import { renderContextFor } from '../invites/invites.service.ts';
import { smsCost } from '../lib/sms-segments.ts';
import { recordEvent } from '../link/events.repo.ts';
import { renderEmail, renderSms } from '../templates/render.ts';
import { ChannelError } from './channels/channel.ts';
import { findDelivery, updateDelivery } from './deliveries.repo.ts';
import { type JobKind, type JobOutcome, MESSAGE_RETRY_SCHEDULE } from './jobs.ts';
import { reserveSenderSlot } from './queue.repo.ts';
import { addSuppression, findSuppression } from './suppressions.repo.ts';
import { deliveryLinks } from './tracking.ts';

interface Payload {
  /** An SMS send slot already reserved for this job (epoch ms), so a deferred job does not take another. */
  slot?: number;
  /** The attempt the slot was reserved for: a retry after a failed send needs a slot of its own. */
  slotAttempt?: number;
}

/** Twilio: the recipient replied STOP. */
const OPTED_OUT = '21610';

async function markUndelivered(deps: Deps, job: JobsTable, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await updateDelivery(trx, job.client_id, job.delivery_id!, {
      status: 'undelivered',
      status_detail: reason,
      last_error: reason,
      next_attempt_at: null,
      attempts: job.attempts,
      updated_at: at,
    });
    const data = { delivery: job.delivery_id, detail: reason };
    await recordEvent(trx, deps.config, {
      client_id: job.client_id,
      invite_id: job.invite_id!,
      type: 'delivery.undelivered',
      data,
      created_at: at,
    });
  });
}

/** Sends one invite delivery (email or SMS) through the configured channel. */
export const sendDeliveryJob: JobKind = {
  retrySchedule: MESSAGE_RETRY_SCHEDULE,

  async run(deps, job): Promise<JobOutcome> {
    const delivery = await findDelivery(deps.db, job.client_id, job.delivery_id!);
    const invite = delivery && (await findInvite(deps.db, job.client_id, delivery.invite_id));
    if (!delivery || !invite) return { kind: 'failed', error: 'delivery no longer exists' };
    if (invite.status === 'revoked') return { kind: 'cancelled', reason: 'invite revoked' };

    const suppressed = await findSuppression(deps.db, job.client_id, delivery.method, delivery.recipient);
    if (suppressed) return { kind: 'failed', error: `recipient suppressed: ${suppressed.reason}` };

    const links = deliveryLinks(deps.config.PUBLIC_URL, invite.id, delivery.id);
    const ctx = { ...(await renderContextFor(deps.db, invite, deps.config.PUBLIC_URL)), url: links.url };
    const payload = JSON.parse(job.payload) as Payload;
    let detail: Record<string, unknown> = { channel: '' };
    try {
      let accepted: Awaited<ReturnType<typeof deps.channels.email.send>>;
      if (delivery.method === 'email') {
        const mail = renderEmail(ctx);
        const pixel = `<img src="${links.openPixel}" width="1" height="1" alt="" style="display:block;border:0">`;
        detail = { channel: deps.channels.email.name };
        accepted = await deps.channels.email.send({
          messageId: `<${delivery.id}@invitekit>`,
          clientId: job.client_id,
          deliveryId: delivery.id,
          to: delivery.recipient,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
          html: mail.html.replace('</body>', `${pixel}</body>`),
        });
      } else {
        const body = renderSms(ctx);
        const cost = smsCost(body);
        const sms = deps.channels.sms;
        detail = {
          channel: sms.name,
          encoding: cost.encoding,
          segments: cost.segments,
          characters: cost.units,
        };
        const nowMs = deps.clock.now().getTime();
        const reserved = payload.slotAttempt === job.attempts ? payload.slot : undefined;
        const slot = reserved ?? (await reserveSenderSlot(deps.db, sms.sender, nowMs, deps.smsIntervalMs));
        if (slot > nowMs + 50) {
          return {
            kind: 'defer',
            until: new Date(slot),
            reason: 'paced',
            payload: JSON.stringify({ ...payload, slot, slotAttempt: job.attempts }),
          };
        }
        accepted = await sms.send({
          clientId: job.client_id,
          deliveryId: delivery.id,
          to: delivery.recipient,
          body,
          statusCallback: links.smsStatusCallback,
        });
      }
      const at = deps.clock.now().toISOString();
      await deps.db.transaction().execute(async (trx) => {
        await updateDelivery(trx, job.client_id, delivery.id, {
          sent_at: at,
          updated_at: at,
          attempts: job.attempts,
          next_attempt_at: null,
          last_error: null,
          provider_message_id: accepted.providerMessageId,
        });
        // The provider took the message: the moment it really left.
        await recordEvent(trx, deps.config, {
          client_id: job.client_id,
          invite_id: delivery.invite_id,
          type: 'delivery.sent',
          data: { delivery: delivery.id, method: delivery.method, channel: detail.channel },
          created_at: at,
        });
      });
      return { kind: 'done', response: accepted.response, detail };
    } catch (err) {
      if (!(err instanceof ChannelError)) throw err;
      const response = err.response;
      const d = { ...detail, code: err.code };
      if (err.retryAfterMs !== null) {
        const until = new Date(deps.clock.now().getTime() + err.retryAfterMs);
        return { kind: 'defer', until, reason: `rate limited: ${err.message}`, payload: JSON.stringify({}) };
      }
      if (err.permanent) {
        if (err.code === OPTED_OUT) {
          await addSuppression(deps.db, {
            client_id: job.client_id,
            channel: 'sms',
            address: delivery.recipient,
            reason: 'recipient replied STOP (21610)',
            created_at: deps.clock.now().toISOString(),
          });
        } else if (delivery.method === 'email' && err.code?.startsWith('5')) {
          await addSuppression(deps.db, {
            client_id: job.client_id,
            channel: 'email',
            address: delivery.recipient,
            reason: `hard bounce: ${err.message.slice(0, 200)}`,
            created_at: deps.clock.now().toISOString(),
          });
        }
        return { kind: 'failed', error: err.message, response, detail: d };
      }
      return { kind: 'retry', error: err.message, response, detail: d };
    }
  },

  async onRetry(deps, job, at, error) {
    await updateDelivery(deps.db, job.client_id, job.delivery_id!, {
      attempts: job.attempts,
      next_attempt_at: at.toISOString(),
      last_error: error,
    });
  },

  async onDead(deps, job, error) {
    await markUndelivered(deps, job, error);
  },
};
