import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { keyset } from '../db/keyset.ts';
import { preparedInsert } from '../db/prepared.ts';
import type { PageRequest } from '../http/pagination.ts';
import { newId } from '../lib/ids.ts';
import { emitWebhookEvent } from '../webhooks/events.ts';

const insertEventRow = preparedInsert('invite_events');

export interface NewEvent {
  client_id: string;
  invite_id: string;
  type: string;
  data?: Record<string, unknown>;
  created_at: string;
}

/**
 * Records what happened to an invite or one of its deliveries, and queues the webhooks it
 * makes; call it in the transaction that made the change. `config` gives the invite URLs
 * in webhook payloads.
 */
export async function recordEvent(
  db: Db,
  config: Pick<Config, 'PUBLIC_URL'>,
  event: NewEvent,
): Promise<void> {
  const id = newId();
  const data = event.data ?? {};
  await insertEventRow(db, {
    client_id: event.client_id,
    id,
    invite_id: event.invite_id,
    type: event.type,
    data: JSON.stringify(data),
    created_at: event.created_at,
  });
  await emitWebhookEvent(db, config, { ...event, id, data });
}

export function listEvents(db: Db, clientId: string, inviteId: string, page: PageRequest) {
  const q = db
    .selectFrom('invite_events')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}
