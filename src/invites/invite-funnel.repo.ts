import { type SelectQueryBuilder, sql } from 'kysely';
import { type Db, isPostgres } from '../db/client.ts';
import type { Database, InvitesTable } from '../db/tables.ts';

/** Invites first sent in [from, to) (ISO timestamps), narrowed by template and channel. */
export interface FunnelScope {
  from: string;
  to: string;
  /** A template's id, or null for invites rendered from the built-in texts. */
  flowId?: string | null;
  channel?: 'email' | 'sms';
}

type InviteQuery = SelectQueryBuilder<Database & { i: InvitesTable }, 'i', object>;

/**
 * The period is read on created_at, the first send: a re-send moves invited_at, which would
 * carry an invite from one period into another. created_at leads the list and template indexes.
 */
function scoped(db: Db, clientId: string, scope: FunnelScope): InviteQuery {
  let q = db
    .selectFrom('invites as i')
    .where('i.client_id', '=', clientId)
    .where('i.created_at', '>=', scope.from)
    .where('i.created_at', '<', scope.to);
  if (scope.flowId !== undefined) {
    q =
      scope.flowId === null
        ? q.where('i.rendered_flow_id', 'is', null)
        : q.where('i.rendered_flow_id', '=', scope.flowId);
  }
  const channel = scope.channel;
  if (channel) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('deliveries as d')
          .select('d.id')
          .whereRef('d.client_id', '=', 'i.client_id')
          .whereRef('d.invite_id', '=', 'i.id')
          .where('d.method', '=', channel),
      ),
    );
  }
  return q;
}

const eventOf = (type: string) =>
  sql`exists (select 1 from invite_events e where e.client_id = i.client_id and e.invite_id = i.id and e.type = ${type})`;

/**
 * The recipient's furthest step: 5 completed, 4 attempted, 3 initiated, else 0. It comes from
 * the status; a revoked invite keeps its steps only in its history, read for those few.
 */
const progressOf = sql<number>`case
  when i.status = 'completed' then 5
  when i.status = 'attempted' then 4
  when i.status = 'initiated' then 3
  when i.status = 'revoked' and ${eventOf('invite.attempted')} then 4
  when i.status = 'revoked' and ${eventOf('invite.initiated')} then 3
  else 0
end`;

/** A message's furthest status as 1 (sent or undelivered), 2 (delivered) or 3 (opened). */
const reached = sql`case d.status when 'opened' then 3 when 'delivered' then 2 else 1 end`;

export const MESSAGES_BASE = 4;

/**
 * The furthest status of the invite's email messages (0: none sent) plus four times that of
 * its SMS messages, in one read of its deliveries: `MESSAGES_BASE` splits them.
 */
const messagesOf = sql<number>`coalesce((
  select max(case when d.method = 'email' then ${reached} else 0 end)
    + ${sql.lit(MESSAGES_BASE)} * max(case when d.method = 'sms' then ${reached} else 0 end)
  from deliveries d
  where d.client_id = i.client_id and d.invite_id = i.id
), 0)`;

/**
 * The scope's invites counted by template, recipient's progress and messages' statuses: a few
 * dozen rows however many invites, from one pass over the period's index range. The channel is
 * left to the caller, which reads it from the messages.
 */
export function countFunnelGroups(db: Db, clientId: string, scope: Omit<FunnelScope, 'channel'>) {
  const staged = scoped(db, clientId, scope)
    .select(['i.rendered_flow_id as flow_id', progressOf.as('progress'), messagesOf.as('messages')])
    .as('s');
  return db
    .selectFrom(staged)
    .select(['s.flow_id', 's.progress', 's.messages', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['s.flow_id', 's.progress', 's.messages'])
    .execute();
}

/** Seconds from first send to the completion event, as the database computes them. */
function secondsToComplete(db: Db) {
  const completedAt = sql`(select min(e.created_at) from invite_events e
    where e.client_id = i.client_id and e.invite_id = i.id and e.type = 'invite.completed')`;
  return isPostgres(db)
    ? sql<number>`extract(epoch from (${completedAt} - i.created_at))`
    : sql<number>`(julianday(${completedAt}) - julianday(i.created_at)) * 86400.0`;
}

/** Each completed invite's seconds from first send to completion (read a slice of a period at a time). */
export async function listSecondsToComplete(db: Db, clientId: string, scope: FunnelScope): Promise<number[]> {
  const rows = await scoped(db, clientId, scope)
    .where('i.status', '=', 'completed')
    .select(secondsToComplete(db).as('seconds'))
    .execute();
  // Whole seconds: SQLite's day fractions carry float noise (3599.9999 for an hour).
  return rows.flatMap((r) => (r.seconds === null ? [] : [Math.round(Number(r.seconds))]));
}

/** Every template of the client, deleted ones too: past invites still name them. */
export function listFunnelFlows(db: Db, clientId: string) {
  return db
    .selectFrom('flows')
    .select(['id', 'name', 'deleted_at'])
    .where('client_id', '=', clientId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}
