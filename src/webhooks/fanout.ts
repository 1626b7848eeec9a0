import { parseJson } from '../db/json.ts';
import type { JobsTable, WebhookDeliveriesTable, WebhooksTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import { jobRow, queueJob, queueJobs } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import type { WebhookEvent } from './webhook-events.ts';
import { activeWebhooks, insertWebhookDeliveries, insertWebhookDelivery } from './webhooks.repo.ts';

/** Something that happened, named as webhooks know it. `id` is what receivers deduplicate on. */
export interface FanOutEvent {
  client_id: string;
  id: string;
  name: WebhookEvent;
  created_at: string;
}

/** An active subscription and the events it wants. */
export interface Subscription {
  hook: Pick<WebhooksTable, 'client_id' | 'id' | 'name'>;
  wanted: string[];
}

/** The client's active subscriptions, read once for every event a transaction records. */
export async function subscriptionsOf(trx: JobTx, clientId: string): Promise<Subscription[]> {
  const hooks = await activeWebhooks(trx, clientId);
  return hooks.map((hook) => ({ hook, wanted: parseJson<string[]>(hook.events) }));
}

/**
 * An event's deliveries before its payload is read: the subscriptions that want it, each
 * with the ids its delivery and send job will have.
 */
export interface PlannedFanOut {
  event: FanOutEvent;
  load: () => Promise<Record<string, unknown> | null>;
  sends: { hook: Subscription['hook']; deliveryId: string; job: JobsTable }[];
}

/**
 * Picks the subscriptions that want the event and numbers their deliveries; undefined when
 * none does. Nothing is read or written until `writeFanOuts`.
 */
export function planFanOut(
  subscriptions: readonly Subscription[],
  event: FanOutEvent,
  load: () => Promise<Record<string, unknown> | null>,
): PlannedFanOut | undefined {
  const sends: PlannedFanOut['sends'] = [];
  for (const { hook, wanted } of subscriptions) {
    if (!wanted.includes(event.name) && !wanted.includes('*')) continue;
    const deliveryId = newId();
    sends.push({ hook, deliveryId, job: sendJobRow(hook.client_id, deliveryId, event.created_at, false) });
  }
  return sends.length > 0 ? { event, load, sends } : undefined;
}

/**
 * Queues one delivery per planned subscription, in the caller's transaction: a change that
 * commits always has its webhooks, one that rolls back never does. Each event's `load`
 * builds the payload's `data` (the state as of this transaction, so call this after the
 * change's rows are written); null (the resource is gone) sends nothing. `jobs`, the
 * change's own, go in the same statements as the send jobs.
 */
export async function writeFanOuts(
  trx: JobTx,
  planned: readonly PlannedFanOut[],
  jobs: readonly JobsTable[],
): Promise<void> {
  const sendJobs: JobsTable[] = [];
  const deliveries: WebhookDeliveriesTable[] = [];
  for (const { event, load, sends } of planned) {
    const data = await load();
    if (!data) continue;
    for (const { hook, deliveryId, job } of sends) {
      sendJobs.push(job);
      deliveries.push(
        deliveryRow(hook, deliveryId, job.id, {
          eventId: event.id,
          event: event.name,
          data,
          at: event.created_at,
        }),
      );
    }
  }
  await queueJobs(trx, sendJobs.length > 0 ? [...jobs, ...sendJobs] : jobs);
  await insertWebhookDeliveries(trx, deliveries);
}

interface DeliveryFacts {
  eventId: string;
  event: string;
  data: Record<string, unknown>;
  at: string;
}

function deliveryRow(
  hook: Pick<WebhooksTable, 'client_id' | 'id' | 'name'>,
  id: string,
  jobId: string,
  e: DeliveryFacts,
): WebhookDeliveriesTable {
  return {
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
  };
}

/** One delivery of one event to one subscription, and the job that sends it. */
export async function queueWebhookDelivery(
  trx: JobTx,
  hook: Pick<WebhooksTable, 'client_id' | 'id' | 'name'>,
  e: DeliveryFacts & { once?: boolean },
): Promise<string> {
  const id = newId();
  const jobId = await queueSendJob(trx, hook.client_id, id, e.at, e.once ?? false);
  await insertWebhookDelivery(trx, deliveryRow(hook, id, jobId, e));
  return id;
}

// Never the invite's id: revoking an invite cancels its queued jobs, and its webhooks must still go.
function sendJobRow(clientId: string, deliveryId: string, at: string, once: boolean): JobsTable {
  return jobRow(
    'webhook.send',
    { client_id: clientId, invite_id: null, delivery_id: deliveryId, payload: { once } },
    at,
  );
}

/** Queues the send of a delivery; `once` makes it a single attempt (a test event, a manual retry). */
export function queueSendJob(trx: JobTx, clientId: string, deliveryId: string, at: string, once: boolean) {
  return queueJob(
    trx,
    'webhook.send',
    { client_id: clientId, invite_id: null, delivery_id: deliveryId, payload: { once } },
    at,
  );
}
