import type { InviteEventsTable, JobsTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import type { JobTx } from '../queue/transact.ts';
import {
  type PlannedFanOut,
  planFanOut,
  type Subscription,
  subscriptionsOf,
  writeFanOuts,
} from '../webhooks/fanout.ts';
import { type EventType, type InviteEventType, WEBHOOK_EVENT_OF, webhookFacts } from './event-types.ts';
import { insertEventRows } from './events.repo.ts';

/**
 * Builds a webhook's `data` from the event's facts, reading the resource as of the
 * recording transaction; null when the resource is gone. Called only when a subscription
 * wants the event.
 */
export type PayloadLoader = (facts: Record<string, unknown>) => Promise<Record<string, unknown> | null>;

export interface NewInviteEvent {
  client_id: string;
  invite_id: string;
  type: InviteEventType;
  data?: Record<string, unknown>;
  created_at: string;
}

type PublishedEvent = {
  client_id: string;
  type: EventType;
  data: Record<string, unknown>;
  created_at: string;
};

/**
 * What a change records for one client, gathered before it is written: history rows, the
 * webhooks they make (against the client's subscriptions, read once), and the change's own
 * jobs, which go out in the same statements as the webhooks' send jobs.
 */
export interface EventWrites {
  subscriptions: readonly Subscription[];
  events: InviteEventsTable[];
  fanOuts: PlannedFanOut[];
  jobs: JobsTable[];
}

/** Starts gathering a change's events; `withWebhooks: false` when none of them has a webhook. */
export async function eventWrites(trx: JobTx, clientId: string, withWebhooks = true): Promise<EventWrites> {
  const subscriptions = withWebhooks ? await subscriptionsOf(trx, clientId) : [];
  return { subscriptions, events: [], fanOuts: [], jobs: [] };
}

/** Adds an event to the invite's history, and the webhooks it makes. */
export function addInviteEvent(w: EventWrites, event: NewInviteEvent, payload: PayloadLoader): void {
  const id = newId();
  const data = event.data ?? {};
  w.events.push({
    client_id: event.client_id,
    id,
    invite_id: event.invite_id,
    type: event.type,
    data: JSON.stringify(data),
    created_at: event.created_at,
  });
  plan(w, { ...event, id, data }, payload);
}

/** Adds an event that is not part of an invite's history (a user created), for its webhooks. */
export function addPublishedEvent(w: EventWrites, event: PublishedEvent, payload: PayloadLoader): void {
  plan(w, { ...event, id: newId() }, payload);
}

function plan(w: EventWrites, event: PublishedEvent & { id: string }, payload: PayloadLoader): void {
  const name = WEBHOOK_EVENT_OF[event.type];
  if (!name) return;
  const planned = planFanOut(
    w.subscriptions,
    { client_id: event.client_id, id: event.id, name, created_at: event.created_at },
    () => payload({ ...event.data, ...webhookFacts(event.type, name) }),
  );
  if (planned) w.fanOuts.push(planned);
}

/**
 * Writes what was gathered, in the caller's transaction and after the change's own rows
 * (webhook payloads read them): the history rows, then the jobs and webhook deliveries.
 */
export async function writeEvents(trx: JobTx, w: EventWrites): Promise<void> {
  await insertEventRows(trx, w.events);
  await writeFanOuts(trx, w.fanOuts, w.jobs);
}

/**
 * Records what happened to an invite or one of its deliveries in its history, and queues
 * the webhooks it makes; call it in the transaction that made the change.
 */
export async function recordEvent(trx: JobTx, event: NewInviteEvent, payload: PayloadLoader): Promise<void> {
  const w = await eventWrites(trx, event.client_id, WEBHOOK_EVENT_OF[event.type] !== null);
  addInviteEvent(w, event, payload);
  await writeEvents(trx, w);
}
