import type { JobHandler } from '../queue/jobs.ts';
import { postWebhook } from './http.ts';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signing.ts';
import * as repo from './webhooks.repo.ts';

/** A subscription whose deliveries have all failed for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 3600 * 1000;

export const NOT_SENT_DISABLED = 'not sent: the webhook is disabled';

/** How long an endpoint whose last delivery failed gets to answer: a dead receiver costs little. */
const FAILING_TIMEOUT_MS = 3000;

function timeoutFor(hook: { failing_since: string | null }, configuredMs: number): number {
  return hook.failing_since ? Math.min(configuredMs, FAILING_TIMEOUT_MS) : configuredMs;
}

/** Sends one webhook delivery: the stored body, signed, to the subscription's URL. */
export const sendWebhookJob: JobHandler<'webhook.send'> = {
  async run(deps, job) {
    const { db, clock, config } = deps;
    const delivery = job.delivery_id
      ? await repo.findDelivery(db, job.client_id, job.delivery_id)
      : undefined;
    const hook = delivery && (await repo.findWebhook(db, job.client_id, delivery.webhook_id));
    if (!delivery || !hook) return { kind: 'cancelled', reason: 'webhook deleted' };
    const { once = false } = job.payload;
    if (hook.disabled_at && !once) {
      await repo.updateDelivery(db, job.client_id, delivery.id, {
        status: 'failed',
        error: NOT_SENT_DISABLED,
        next_attempt_at: null,
        updated_at: clock.now().toISOString(),
      });
      return { kind: 'cancelled', reason: NOT_SENT_DISABLED };
    }

    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'invitekit-webhooks',
      [SIGNATURE_HEADER]: sign(hook.secret, delivery.payload),
      [EVENT_ID_HEADER]: delivery.event_id,
      [DELIVERY_ID_HEADER]: delivery.id,
      // Receivers compare it with their own clock: the server's time, never a moved one.
      [TIMESTAMP_HEADER]: String(Math.floor(clock.real().getTime() / 1000)),
    };
    const result = await postWebhook(hook.url, delivery.payload, headers, {
      timeoutMs: timeoutFor(hook, config.WEBHOOK_TIMEOUT_SECONDS * 1000),
      allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE,
    });

    const at = clock.now().toISOString();
    const status = result.kind === 'response' ? result.status : null;
    let error: string | null = null;
    if (result.kind === 'error') error = result.error;
    else if (result.status < 200 || result.status >= 300) {
      error = `HTTP ${result.status}${result.status < 400 ? ' (redirects are not followed)' : ''}`;
    }
    const ok = error === null;
    const failingSince = hook.failing_since ?? at;
    await db.transaction().execute(async (trx) => {
      await repo.updateDelivery(trx, job.client_id, delivery.id, {
        attempts: delivery.attempts + 1,
        response_status: status,
        response_body: result.kind === 'response' ? result.body : null,
        error,
        last_attempt_at: at,
        updated_at: at,
        ...(ok ? { status: 'succeeded', next_attempt_at: null } : {}),
      });
      if (ok) return repo.markWebhookSucceeded(trx, hook, at);
      const disableBefore = new Date(clock.now().getTime() - DISABLE_AFTER_MS).toISOString();
      const reason = `Disabled at ${at}: every delivery has failed since ${failingSince} (last error: ${error}).`;
      await repo.markWebhookFailed(trx, hook, at, disableBefore, reason);
    });

    const response = status === null ? null : `HTTP ${status}`;
    const detail = { response_status: status };
    if (error === null) return { kind: 'done', response, detail };
    // Retried: no answer at all (timeout, network), 429 and 5xx. Refused targets and other answers are final.
    const retryable =
      result.kind === 'error' ? !result.blocked : status === 429 || (status !== null && status >= 500);
    if (retryable && !once) return { kind: 'retry', error, response, detail };
    return { kind: 'failed', error, response, detail };
  },

  async onRetry(deps, job, at) {
    if (!job.delivery_id) return;
    await repo.updateDelivery(deps.db, job.client_id, job.delivery_id, {
      status: 'retrying',
      next_attempt_at: at.toISOString(),
    });
  },

  async onDead(deps, job, error) {
    if (!job.delivery_id) return;
    await repo.updateDelivery(deps.db, job.client_id, job.delivery_id, {
      status: 'failed',
      error,
      next_attempt_at: null,
    });
  },
};
