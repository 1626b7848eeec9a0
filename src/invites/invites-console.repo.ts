import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { jsonArrayFrom } from '../db/json.ts';
import { keyset, type PageRequest } from '../db/keyset.ts';
import type { Database, InvitesTable } from '../db/tables.ts';
import { visibleInvite } from '../members/invite-visibility.repo.ts';
import type { InviteVisibility } from '../members/roles.ts';
import type { InviteStatus } from './invites.schema.ts';

/** What the Console's list narrows to, besides the member's own visibility. */
export interface ConsoleInviteFilters {
  status?: InviteStatus;
  flowId?: string;
  senderId?: string;
  groupId?: string;
  /** ISO timestamps, inclusive from, exclusive to, on created_at. */
  from?: string;
  to?: string;
  search?: ConsoleSearch;
}

/** A search read as one of the indexed prefixes it can be. */
export type ConsoleSearch =
  | { kind: 'email'; prefix: string }
  | { kind: 'phone'; prefix: string }
  | { kind: 'text'; prefix: string; personalData: boolean };

type InviteQuery = SelectQueryBuilder<Database & { i: InvitesTable }, 'i', object>;
type KeyQuery = SelectQueryBuilder<Database & { i: InvitesTable }, 'i', { id: string; created_at: string }>;

/** Rows whose `column` starts with `prefix` (lower case given): a range the index reads, then an exact check. */
function startsWith(column: string, prefix: string) {
  const last = prefix.codePointAt(prefix.length - 1) ?? 0;
  const upper = prefix.slice(0, -1) + String.fromCodePoint(last + 1);
  const col = sql.ref(column);
  return sql<boolean>`(${col} >= ${prefix} and ${col} < ${upper} and substr(${col}, 1, ${prefix.length}) = ${prefix})`;
}

function lowerStartsWith(column: string, prefix: string) {
  const last = prefix.codePointAt(prefix.length - 1) ?? 0;
  const upper = prefix.slice(0, -1) + String.fromCodePoint(last + 1);
  const col = sql`lower(${sql.ref(column)})`;
  return sql<boolean>`(${col} >= ${prefix} and ${col} < ${upper} and substr(${col}, 1, ${prefix.length}) = ${prefix})`;
}

function applyVisibility(q: InviteQuery, clientId: string, visible: InviteVisibility): InviteQuery {
  return visible.only ? q.where(visibleInvite(clientId, visible.only)) : q;
}

function applySearch(q: InviteQuery, search: ConsoleSearch): InviteQuery {
  switch (search.kind) {
    case 'email':
      return q.where(lowerStartsWith('i.email', search.prefix));
    case 'phone':
      return q.where(startsWith('i.phone_e164', search.prefix));
    case 'text':
      return q.where((eb) => {
        const ors = [eb('i.id', '=', search.prefix), startsWith('i.external_id', search.prefix)];
        if (search.personalData) {
          ors.push(lowerStartsWith('i.first_name', search.prefix.toLowerCase()));
          ors.push(lowerStartsWith('i.last_name', search.prefix.toLowerCase()));
        }
        return eb.or(ors);
      });
  }
}

/** The filters and the status tab applied to a query of invites. */
function filtered(
  q: InviteQuery,
  filters: ConsoleInviteFilters,
  status: InviteStatus | undefined,
): InviteQuery {
  let out = q;
  if (status) out = out.where('i.status', '=', status);
  if (filters.flowId) out = out.where('i.rendered_flow_id', '=', filters.flowId);
  if (filters.senderId) out = out.where('i.sent_by_member_id', '=', filters.senderId);
  if (filters.groupId) out = out.where('i.group_id', '=', filters.groupId);
  if (filters.from) out = out.where('i.created_at', '>=', filters.from);
  if (filters.to) out = out.where('i.created_at', '<', filters.to);
  if (filters.search) out = applySearch(out, filters.search);
  return out;
}

const clientInvites = (db: Db, clientId: string): InviteQuery =>
  db.selectFrom('invites as i').where('i.client_id', '=', clientId);

/**
 * A member who sees only some invites sees the union of a few narrow sets (theirs, those they
 * were Cc'd on, their groups'), each read from its own index. One query with OR between them
 * would walk the client's whole (created_at, id) index looking for the few that match.
 */
function scopes(db: Db, clientId: string, only: NonNullable<InviteVisibility['only']>): InviteQuery[] {
  const out = [
    clientInvites(db, clientId).where('i.sent_by_member_id', '=', only.sentBy),
    // Read from the Cc index first (SQLite keeps a CROSS JOIN's order), so that a status or
    // date filter does not send it scanning every invite of that status.
    db
      .selectFrom('invite_reply_to as r')
      .crossJoin('invites as i')
      .whereRef('i.client_id', '=', 'r.client_id')
      .whereRef('i.id', '=', 'r.invite_id')
      .where('r.client_id', '=', clientId)
      .where('r.email', '=', only.replyTo) as unknown as InviteQuery,
  ];
  if (only.groupIds.length > 0)
    out.push(clientInvites(db, clientId).where('i.group_id', 'in', only.groupIds));
  return out;
}

/** The ids of each scope's share of one page (or of `cap` rows), together. */
function unionOfIds(db: Db, parts: InviteQuery[], shape: (q: KeyQuery) => KeyQuery) {
  const [first, ...rest] = parts.map((p) =>
    db.selectFrom(shape(p.select(['i.id', 'i.created_at'])).as('s')).select('s.id'),
  );
  if (!first) throw new Error('no scope to read');
  return rest.reduce((acc, q) => acc.union(q), first);
}

function listColumns(db: Db, eb: ExpressionBuilder<Database & { i: InvitesTable }, 'i'>) {
  return [
    'i.id',
    'i.first_name',
    'i.last_name',
    'i.email',
    'i.phone_number',
    'i.external_id',
    'i.status',
    'i.group_id',
    'i.rendered_flow_id',
    'i.sent_by_member_id',
    'i.created_at',
    'i.invited_at',
    'i.updated_at',
    eb
      .selectFrom('members as m')
      .select('m.name')
      .whereRef('m.client_id', '=', 'i.client_id')
      .whereRef('m.id', '=', 'i.sent_by_member_id')
      .as('sender_name'),
    jsonArrayFrom(
      db,
      eb
        .selectFrom('deliveries as d')
        .select(['d.method', 'd.status', 'd.kind', 'd.updated_at'])
        .whereRef('d.client_id', '=', 'i.client_id')
        .whereRef('d.invite_id', '=', 'i.id')
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc'),
    ).as('deliveries'),
  ] as const;
}

/** One page of the member's invites, newest first (one row more than the limit when more follow). */
export function listConsoleInvites(
  db: Db,
  clientId: string,
  visible: InviteVisibility,
  filters: ConsoleInviteFilters,
  page: PageRequest,
) {
  const cols = { createdAt: 'i.created_at', id: 'i.id' };
  let q = filtered(clientInvites(db, clientId), filters, filters.status);
  const only = visible.only;
  if (only) {
    const parts = scopes(db, clientId, only).map((p) => filtered(p, filters, filters.status));
    // The few ids first, then their invites by key (CROSS JOIN keeps that order in SQLite).
    q = db
      .selectFrom(unionOfIds(db, parts, (p) => keyset(p, cols, page)).as('v'))
      .crossJoin('invites as i')
      .where('i.client_id', '=', clientId)
      .whereRef('i.id', '=', 'v.id') as unknown as InviteQuery;
  }
  return keyset(
    q.select((eb) => listColumns(db, eb)),
    cols,
    page,
  ).execute();
}
export type ConsoleInviteRow = Awaited<ReturnType<typeof listConsoleInvites>>[number];

/**
 * How many of the member's matching invites have `status` (every status when absent), counted
 * up to `cap`: the count reads at most `cap` index entries (per scope) however many there are.
 */
export async function countConsoleInvites(
  db: Db,
  clientId: string,
  visible: InviteVisibility,
  filters: ConsoleInviteFilters,
  status: InviteStatus | undefined,
  cap: number,
): Promise<number> {
  const parts = visible.only ? scopes(db, clientId, visible.only) : [clientInvites(db, clientId)];
  const counted = unionOfIds(
    db,
    parts.map((p) => filtered(p, filters, status)),
    (p) => p.limit(cap),
  );
  const row = await db
    .selectFrom(counted.as('capped'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The invite if the member may see it. */
export function findVisibleInvite(db: Db, clientId: string, visible: InviteVisibility, id: string) {
  return applyVisibility(
    db.selectFrom('invites as i').where('i.client_id', '=', clientId).where('i.id', '=', id),
    clientId,
    visible,
  )
    .selectAll('i')
    .select((eb) =>
      eb
        .selectFrom('members as m')
        .select('m.name')
        .whereRef('m.client_id', '=', 'i.client_id')
        .whereRef('m.id', '=', 'i.sent_by_member_id')
        .as('sender_name'),
    )
    .executeTakeFirst();
}

/** The invite's history, oldest first. */
export function listInviteHistory(db: Db, clientId: string, inviteId: string) {
  return db
    .selectFrom('invite_events')
    .select(['id', 'type', 'data', 'created_at'])
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1000)
    .execute();
}

/** Every delivery of the invite, oldest first. */
export function listInviteDeliveries(db: Db, clientId: string, inviteId: string) {
  return db
    .selectFrom('deliveries')
    .select([
      'id',
      'method',
      'status',
      'kind',
      'recipient',
      'status_detail',
      'created_at',
      'sent_at',
      'updated_at',
      'attempts',
      'last_error',
    ])
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/** Every attempt at sending the invite's deliveries, with the provider's answer. */
export function listDeliveryAttempts(db: Db, clientId: string, inviteId: string) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('job_attempts as a', (j) =>
      j.onRef('a.client_id', '=', 'd.client_id').onRef('a.delivery_id', '=', 'd.id'),
    )
    .select([
      'a.id',
      'a.delivery_id',
      'd.method',
      'a.attempt',
      'a.outcome',
      'a.provider_response',
      'a.error',
      'a.started_at',
      'a.duration_ms',
    ])
    .where('d.client_id', '=', clientId)
    .where('d.invite_id', '=', inviteId)
    .orderBy('a.started_at', 'asc')
    .orderBy('a.attempt', 'asc')
    .limit(1000)
    .execute();
}

/** The client's senders and templates, for the list's filters. */
export async function filterChoices(db: Db, clientId: string) {
  const [members, flows] = await Promise.all([
    // Only members who have sent something: one probe of the sender index each.
    db
      .selectFrom('members as m')
      .select(['m.id', 'm.name', 'm.email'])
      .where('m.client_id', '=', clientId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('invites as i')
            .select('i.id')
            .whereRef('i.client_id', '=', 'm.client_id')
            .whereRef('i.sent_by_member_id', '=', 'm.id'),
        ),
      )
      .orderBy('m.name')
      .execute(),
    db
      .selectFrom('flows')
      .select(['id', 'name'])
      .where('client_id', '=', clientId)
      .where('type', '=', 'email_sms_template')
      .orderBy('name')
      .execute(),
  ]);
  return { members, flows };
}
