import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/client.ts';
import { jsonArrayFrom } from '../db/json.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import { prepared, preparedInsertMany } from '../db/prepared.ts';
import type { Database, InviteReplyToTable, InvitesTable } from '../db/tables.ts';
import { type ForwardStatus, movableFrom, REVOCABLE } from './invite-status.ts';
import type { InviteStatus } from './invites.schema.ts';

export interface InviteFilters {
  status?: InviteStatus[];
  reply_to?: string;
}

const insertInviteRows = preparedInsertMany('invites');
const insertReplyToRows = preparedInsertMany('invite_reply_to');

/** Writes invites and their reply_to rows, a statement per table (or a few, for many rows). */
export async function insertInvites(
  db: Db,
  rows: readonly InvitesTable[],
  replyTo: readonly InviteReplyToTable[],
): Promise<void> {
  await insertInviteRows(db, rows);
  await insertReplyToRows(db, replyTo);
}

/** The invite's columns that its wire object shows, with its deliveries (newest first) as JSON. */
function inviteView(db: Db, eb: ExpressionBuilder<Database & { i: InvitesTable }, 'i'>) {
  return [
    'i.client_id',
    'i.id',
    'i.user_id',
    'i.first_name',
    'i.last_name',
    'i.email',
    'i.phone_number',
    'i.status',
    'i.group_id',
    'i.flow_id',
    'i.flow_items',
    'i.reply_to',
    'i.invite_template_id',
    'i.rendered_flow_id',
    'i.expires_at',
    'i.expired_at',
    'i.created_at',
    'i.updated_at',
    'i.invited_at',
    'i.revoked_at',
    jsonArrayFrom(
      db,
      eb
        .selectFrom('deliveries as d')
        .select([
          'd.id',
          'd.method',
          'd.status',
          'd.sent_at',
          'd.updated_at',
          'd.attempts',
          'd.next_attempt_at',
          'd.last_error',
          'd.status_detail',
          'd.kind',
        ])
        .whereRef('d.client_id', '=', 'i.client_id')
        .whereRef('d.invite_id', '=', 'i.id')
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc'),
    ).as('deliveries'),
  ] as const;
}

const selectInviteView = prepared((db, clientId, id) =>
  db
    .selectFrom('invites as i')
    .select((eb) => inviteView(db, eb))
    .where('i.client_id', '=', clientId)
    .where('i.id', '=', id),
);
export type InviteView = Awaited<ReturnType<typeof selectInviteView>>[number];

/** One invite as the API shows it, in a single query (the hot path of retrieve). */
export async function findInviteView(db: Db, clientId: string, id: string): Promise<InviteView | undefined> {
  return (await selectInviteView(db, clientId, id))[0];
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
      .select((eb) => inviteView(db, eb))
      .where('r.client_id', '=', clientId)
      .where('r.email', '=', filters.reply_to.toLowerCase());
    if (filters.status) q = q.where('i.status', 'in', filters.status);
    return keyset(q, { createdAt: 'r.created_at', id: 'r.invite_id' }, page).execute();
  }
  let q = db
    .selectFrom('invites as i')
    .select((eb) => inviteView(db, eb))
    .where('i.client_id', '=', clientId);
  if (filters.status) q = q.where('i.status', 'in', filters.status);
  return keyset(q, { createdAt: 'i.created_at', id: 'i.id' }, page).execute();
}

/**
 * Bumps invited_at / updated_at for a re-send and sets its expiry to `expiresAt` (null: it no
 * longer expires, as the settings now say); an expired invite sent again works again. False
 * when the invite is revoked.
 */
export async function markResent(
  db: Db,
  clientId: string,
  id: string,
  at: string,
  expiresAt: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ invited_at: at, updated_at: at, expires_at: expiresAt, expired_at: null, reminder_count: 0 })
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
    .where('status', 'in', REVOCABLE)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Moves the invite forward to `to` in one conditional UPDATE, so two concurrent requests
 * cannot both move it (and double-count). Returns the updated row, or undefined when the
 * invite was already there or beyond, or revoked.
 */
export async function advanceInvite(
  db: Db,
  invite: Pick<InvitesTable, 'client_id' | 'id'>,
  to: ForwardStatus,
  at: string,
): Promise<InvitesTable | undefined> {
  return db
    .updateTable('invites')
    .set({ status: to, updated_at: at })
    .where('client_id', '=', invite.client_id)
    .where('id', '=', invite.id)
    .where('status', 'in', movableFrom(to))
    .where('expired_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Expires the invite if its time has come and it is still open (not completed, revoked or
 * already expired): one conditional UPDATE, so a re-send that moved the time wins. Returns
 * whether it expired now.
 */
export async function markExpired(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ expired_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('expired_at', 'is', null)
    .where('expires_at', '<=', at)
    .where('status', 'in', REVOCABLE)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Counts reminder `n` of the invite as sent at `sentAt`, if it is still due: the invite not
 * re-sent since, still `sent`, and reminder `n - 1` the last one counted. False otherwise, so
 * a reminder that two workers both run goes out once.
 */
export async function markReminded(
  db: Db,
  clientId: string,
  id: string,
  sentAt: string,
  n: number,
  at: string,
): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ reminder_count: n, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('invited_at', '=', sentAt)
    .where('status', '=', 'sent')
    .where('reminder_count', '=', n - 1)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
