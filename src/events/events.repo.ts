import type { Db } from '../db/client.ts';
import { keyset, type PageRequest } from '../db/keyset.ts';
import { preparedInsertMany } from '../db/prepared.ts';

export const insertEventRows = preparedInsertMany('invite_events');

export function listEvents(db: Db, clientId: string, inviteId: string, page: PageRequest) {
  const q = db
    .selectFrom('invite_events')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/** The invite's latest event of one type. */
export function latestEventOf(db: Db, clientId: string, inviteId: string, type: string) {
  return db
    .selectFrom('invite_events')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .where('type', '=', type)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
