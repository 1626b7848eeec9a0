import type { Db } from '../db/client.ts';
import { keyset } from '../db/keyset.ts';
import type { InviteReplyToTable, InvitesTable } from '../db/tables.ts';
import type { PageRequest } from '../http/pagination.ts';
import type { InviteStatus } from './invites.schema.ts';

export interface InviteFilters {
  status?: InviteStatus[];
  reply_to?: string;
}

export async function insertInvite(db: Db, row: InvitesTable, replyTo: InviteReplyToTable[]): Promise<void> {
  await db.insertInto('invites').values(row).execute();
  if (replyTo.length > 0) await db.insertInto('invite_reply_to').values(replyTo).execute();
}

export function findInvite(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listInvites(db: Db, clientId: string, filters: InviteFilters, page: PageRequest) {
  if (filters.reply_to !== undefined) {
    // Driven from the reply_to index, which shares the invites' (created_at, id) order.
    let q = db
      .selectFrom('invite_reply_to as r')
      .innerJoin('invites as i', (j) =>
        j.onRef('i.client_id', '=', 'r.client_id').onRef('i.id', '=', 'r.invite_id'),
      )
      .selectAll('i')
      .where('r.client_id', '=', clientId)
      .where('r.email', '=', filters.reply_to.toLowerCase());
    if (filters.status) q = q.where('i.status', 'in', filters.status);
    return keyset(q, { createdAt: 'r.created_at', id: 'r.invite_id' }, page).execute();
  }
  let q = db.selectFrom('invites').selectAll().where('client_id', '=', clientId);
  if (filters.status) q = q.where('status', 'in', filters.status);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/** Bumps invited_at / updated_at for a re-send; false when the invite is revoked. */
export async function markResent(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ invited_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Revokes unless already revoked or completed; false when nothing changed. */
export async function markRevoked(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ status: 'revoked', revoked_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', 'not in', ['revoked', 'completed'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
