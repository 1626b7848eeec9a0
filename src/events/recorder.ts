import { newId } from '../lib/ids.ts';
import type { JobTx } from '../queue/transact.ts';
import { fanOut } from '../webhooks/fanout.ts';
import { type EventType, type InviteEventType, WEBHOOK_EVENT_OF, webhookFacts } from './event-types.ts';
import { insertEventRow } from './events.repo.ts';

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

/**
 * Records what happened to an invite or one of its deliveries in its history, and queues
 * the webhooks it makes; call it in the transaction that made the change.
 */
export async function recordEvent(trx: JobTx, event: NewInviteEvent, payload: PayloadLoader): Promise<void> {
  const id = newId();
  const data = event.data ?? {};
  await insertEventRow(trx, {
    client_id: event.client_id,
    id,
    invite_id: event.invite_id,
    type: event.type,
    data: JSON.stringify(data),
    created_at: event.created_at,
  });
  await publish(trx, { ...event, id, data }, payload);
}

/** Sends an event that is not part of an invite's history (a user created) to the webhooks that want it. */
export function publishEvent(
  trx: JobTx,
  event: { client_id: string; type: EventType; data: Record<string, unknown>; created_at: string },
  payload: PayloadLoader,
): Promise<void> {
  return publish(trx, { ...event, id: newId() }, payload);
}

async function publish(
  trx: JobTx,
  event: {
    client_id: string;
    id: string;
    type: EventType;
    data: Record<string, unknown>;
    created_at: string;
  },
  payload: PayloadLoader,
): Promise<void> {
  const name = WEBHOOK_EVENT_OF[event.type];
  if (!name) return;
  const facts = { ...event.data, ...webhookFacts(event.type, name) };
  await fanOut(trx, { client_id: event.client_id, id: event.id, name, created_at: event.created_at }, () =>
    payload(facts),
  );
}
