import { type Accepted, ChannelError } from '../channels/channel.ts';
import type { DeliveriesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { deliveryEventType } from '../events/event-types.ts';
import { findDelivery, transitionDelivery, updateDelivery } from '../invites/deliveries.repo.ts';
import { recordInviteEvent } from '../invites/invite-events.service.ts';
import { renderContextFor } from '../invites/invite-render.ts';
import { isClosed } from '../invites/invite-status.ts';
import { findInvite } from '../invites/invites.repo.ts';
import { deliveryLinks } from '../lib/links.ts';
import { smsCost } from '../lib/sms-segments.ts';
import type { ClaimedJob, JobHandler, JobOutcome, JobPayload, JobRef } from '../queue/jobs.ts';
import { transactAndWake } from '../queue/transact.ts';
import { renderEmail, renderSms } from '../templates/render.ts';
import { reserveSenderSlot } from './pacing.repo.ts';
import { findSuppression } from './suppressions.repo.ts';
import { suppressIfFinal } from './suppressions.ts';

type Job = ClaimedJob<'delivery.send'>;
type Outcome = JobOutcome<JobPayload<'delivery.send'>>;

/** The send failed for good: the delivery is undelivered, and its invite's history says why. */
async function markUndelivered(deps: Deps, job: JobRef, deliveryId: string, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  await transactAndWake(deps, async (trx) => {
    const sending = { last_error: reason, next_attempt_at: null, attempts: job.attempts };
    await updateDelivery(trx, job.client_id, deliveryId, sending);
    const moved = await transitionDelivery(trx, job.client_id, deliveryId, 'undelivered', {
      status_detail: reason,
      updated_at: at,
    });
    if (!moved || !job.invite_id) return;
    await recordInviteEvent(trx, deps.config, {
      client_id: job.client_id,
      invite_id: job.invite_id,
      type: deliveryEventType('undelivered'),
      data: { delivery: deliveryId, detail: reason },
      created_at: at,
    });
  });
}

/** The provider took the message: the moment it really left. */
async function markSent(
  deps: Deps,
  job: Job,
  delivery: DeliveriesTable,
  accepted: Accepted,
  channel: string,
) {
  const at = deps.clock.now().toISOString();
  await transactAndWake(deps, async (trx) => {
    await updateDelivery(trx, job.client_id, delivery.id, {
      sent_at: at,
      updated_at: at,
      attempts: job.attempts,
      next_attempt_at: null,
      last_error: null,
      provider_message_id: accepted.providerMessageId,
    });
    await recordInviteEvent(trx, deps.config, {
      client_id: job.client_id,
      invite_id: delivery.invite_id,
      type: deliveryEventType('sent'),
      data: { delivery: delivery.id, method: delivery.method, channel },
      created_at: at,
    });
  });
}

/** Sends one invite delivery (email or SMS) through the configured channel. */
export const sendDeliveryJob: JobHandler<'delivery.send'> = {
  async run(deps, job): Promise<Outcome> {
    const delivery = job.delivery_id
      ? await findDelivery(deps.db, job.client_id, job.delivery_id)
      : undefined;
    const invite = delivery && (await findInvite(deps.db, job.client_id, delivery.invite_id));
    if (!delivery || !invite) return { kind: 'failed', error: 'delivery no longer exists' };
    if (invite.status === 'revoked') return { kind: 'cancelled', reason: 'invite revoked' };
    if (isClosed(invite, deps.clock.now())) return { kind: 'cancelled', reason: 'invite expired' };

    const suppressed = await findSuppression(deps.db, job.client_id, delivery.method, delivery.recipient);
    if (suppressed) return { kind: 'failed', error: `recipient suppressed: ${suppressed.reason}` };

    const links = deliveryLinks(deps.config.PUBLIC_URL, invite.id, delivery.id);
    const ctx = {
      ...(await renderContextFor(deps.db, invite, deps.config.PUBLIC_URL)),
      url: links.url,
      purpose: delivery.kind === 'reminder' ? ('reminder' as const) : ('invite' as const),
    };
    let detail: Record<string, unknown> = { channel: '' };
    try {
      let accepted: Accepted;
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
          fromName: mail.sender,
          subject: mail.subject,
          text: mail.text,
          html: mail.html.replace('</body>', () => `${pixel}</body>`),
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
        // A slot reserved by an earlier, deferred run of this attempt is kept; a retry after a
        // failed send needs a slot of its own.
        // A sender's slots are shared by every client, so they run on the server's time.
        const nowMs = deps.clock.real().getTime();
        const reserved = job.payload.slotAttempt === job.attempts ? job.payload.slot : undefined;
        const slot = reserved ?? (await reserveSenderSlot(deps.db, sms.sender, nowMs, deps.smsIntervalMs));
        if (slot > nowMs + 50) {
          const payload = { ...job.payload, slot, slotAttempt: job.attempts };
          const until = new Date(slot + deps.clock.offsetMs());
          return { kind: 'defer', until, reason: 'paced', payload };
        }
        accepted = await sms.send({
          clientId: job.client_id,
          deliveryId: delivery.id,
          to: delivery.recipient,
          body,
          statusCallback: links.smsStatusCallback,
        });
      }
      await markSent(deps, job, delivery, accepted, String(detail.channel));
      return { kind: 'done', response: accepted.response, detail };
    } catch (err) {
      if (!(err instanceof ChannelError)) throw err;
      const response = err.response;
      const d = { ...detail, code: err.code };
      if (err.retryAfterMs !== null) {
        const until = new Date(deps.clock.now().getTime() + err.retryAfterMs);
        return { kind: 'defer', until, reason: `rate limited: ${err.message}`, payload: {} };
      }
      if (!err.permanent) return { kind: 'retry', error: err.message, response, detail: d };
      const refusal = { code: err.code, message: err.message };
      await suppressIfFinal(deps.db, delivery, refusal, deps.clock.now().toISOString());
      return { kind: 'failed', error: err.message, response, detail: d };
    }
  },

  async onRetry(deps, job, at, error) {
    if (!job.delivery_id) return;
    await updateDelivery(deps.db, job.client_id, job.delivery_id, {
      attempts: job.attempts,
      next_attempt_at: at.toISOString(),
      last_error: error,
    });
  },

  async onDead(deps, job, error) {
    if (job.delivery_id) await markUndelivered(deps, job, job.delivery_id, error);
  },
};
