import type { Db } from '../db/client.ts';
import { keyset } from '../db/keyset.ts';
import { preparedInsert } from '../db/prepared.ts';
import type { PageRequest } from '../http/pagination.ts';
import { newId } from '../lib/ids.ts';

const insertEventRow = preparedInsert('invite_events');

export interface NewEvent {
  client_id: string;
  invite_id: string;
  type: string;
  data?: Record<string, unknown>;
  created_at: string;
}

/** Records what happened to an invite or one of its deliveries; call it in the transaction that made the change. */
export async function recordEvent(db: Db, event: NewEvent): Promise<void> {
  await insertEventRow(db, {
    client_id: event.client_id,
    id: newId(),
    invite_id: event.invite_id,
    type: event.type,
    data: JSON.stringify(event.data ?? {}),
    created_at: event.created_at,
  });
}

export function listEvents(db: Db, clientId: string, inviteId: string, page: PageRequest) {
  const q = db
    .selectFrom('invite_events')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}
