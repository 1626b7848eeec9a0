import type { Db } from '../db/client.ts';
import { keyset, type PageRequest } from '../db/keyset.ts';

/** The invite's documents without their bytes, newest first. */
export function listDocuments(db: Db, clientId: string, inviteId: string, page: PageRequest) {
  const q = db
    .selectFrom('documents')
    .select(['id', 'invite_id', 'user_id', 'file_name', 'content_type', 'size', 'sha256', 'created_at'])
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/** One document of the invite, with its bytes. */
export function findDocument(db: Db, clientId: string, inviteId: string, id: string) {
  return db
    .selectFrom('documents')
    .select(['file_name', 'content', 'size'])
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The invite's response forms, newest first. */
export function listFormResponses(db: Db, clientId: string, inviteId: string, page: PageRequest) {
  const q = db
    .selectFrom('form_responses')
    .select(['id', 'invite_id', 'user_id', 'data', 'created_at'])
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}
