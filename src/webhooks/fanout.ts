import { parseJson } from '../db/json.ts';
import type { WebhooksTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import { queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import type { WebhookEvent } from './webhook-events.ts';
import { activeWebhooks, insertWebhookDelivery } from './webhooks.repo.ts';

/** Something that happened, named as webhooks know it. `id` is what receivers deduplicate on. */
export interface FanOutEvent {
  client_id: string;
  id: string;
  name: WebhookEvent;
  created_at: string;
}

/**
 * Queues one delivery per subscription that wants the event, in the caller's transaction:
 * a change that commits always has its webhooks, one that rolls back never does. `load`
 * builds the payload's `data` (the state as of this transaction); it runs only when some
 * subscription wants the event, and null (the resource is gone) sends nothing.
 */
export async function fanOut(
  trx: JobTx,
  event: FanOutEvent,
  load: () => Promise<Record<string, unknown> | null>,
): Promise<void> {
  const hooks = (await activeWebhooks(trx, event.client_id)).filter((h) => {
    const wanted = parseJson<string[]>(h.events);
    return wanted.includes(event.name) || wanted.includes('*');
  });
  if (hooks.length === 0) return;
  const data = await load();
  if (!data) return;
  for (const hook of hooks) {
    await queueWebhookDelivery(trx, hook, {
      eventId: event.id,
      event: event.name,
      data,
      at: event.created_at,
    });
  }
}

/** One delivery of one event to one subscription, and the job that sends it. */
export async function queueWebhookDelivery(
  trx: JobTx,
  hook: Pick<WebhooksTable, 'client_id' | 'id' | 'name'>,
  e: { eventId: string; event: string; data: Record<string, unknown>; at: string; once?: boolean },
): Promise<string> {
  const id = newId();
  const jobId = await queueSendJob(trx, hook.client_id, id, e.at, e.once ?? false);
  await insertWebhookDelivery(trx, {
    client_id: hook.client_id,
    id,
    webhook_id: hook.id,
    event_id: e.eventId,
    event: e.event,
    payload: JSON.stringify({ event: e.event, name: hook.name, data: e.data }),
    status: 'pending',
    attempts: 0,
    job_id: jobId,
    response_status: null,
    response_body: null,
    error: null,
    created_at: e.at,
    updated_at: e.at,
    last_attempt_at: null,
    next_attempt_at: e.at,
  });
  return id;
}

/** Queues the send of a delivery; `once` makes it a single attempt (a test event, a manual retry). */
export function queueSendJob(trx: JobTx, clientId: string, deliveryId: string, at: string, once: boolean) {
  return queueJob(
    trx,
    'webhook.send',
    // Never the invite's id: revoking an invite cancels its queued jobs, and its webhooks must still go.
    { client_id: clientId, invite_id: null, delivery_id: deliveryId, payload: { once } },
    at,
  );
}
