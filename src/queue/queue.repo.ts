import { sql } from 'kysely';
import { type Db, isPostgres } from '../db/client.ts';
import { preparedInsert } from '../db/prepared.ts';
import type { JobsTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import type { JobKind, JobPayload } from './jobs.ts';
import type { Settlement } from './settle.ts';
import type { JobTx } from './transact.ts';

const insertJob = preparedInsert('jobs');

/**
 * Queues a job of `kind`, due at `at`, inside the caller's transaction; its payload is
 * type-checked against the kind's declaration. Whoever commits that transaction wakes the
 * worker (transactAndWake).
 */
export async function queueJob<K extends JobKind>(
  db: JobTx,
  kind: K,
  job: {
    client_id: string;
    invite_id: string | null;
    delivery_id: string | null;
    payload: JobPayload<K>;
  },
  at: string,
): Promise<string> {
  const id = newId();
  await insertJob(db, {
    ...job,
    kind,
    id,
    payload: JSON.stringify(job.payload),
    status: 'queued',
    attempts: 0,
    run_at: at,
    locked_until: null,
    locked_by: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  });
  return id;
}
export const insertAttempt = preparedInsert('job_attempts');

/**
 * Takes up to `limit` due jobs for `workerId`, each held until its kind's time in
 * `leaseUntil` (or `leaseUntil.default`): queued jobs whose time has come, and running
 * jobs whose lease ran out (their worker died). Each claim counts an attempt.
 */
export async function claimDue(
  db: Db,
  workerId: string,
  now: string,
  leaseUntil: { default: string; byKind: [kind: string, until: string][] },
  limit: number,
): Promise<JobsTable[]> {
  // PostgreSQL: rows another worker is claiming right now are skipped, not waited for.
  // SQLite: one writer at a time, so the statement alone is enough.
  const skipLocked = isPostgres(db) ? sql`for update skip locked` : sql``;
  // Inside CASE, PostgreSQL reads a parameter as text unless told it is a time.
  const time = (v: string) => (isPostgres(db) ? sql`cast(${v} as timestamptz)` : sql`${v}`);
  const lockedUntil =
    leaseUntil.byKind.length === 0
      ? time(leaseUntil.default)
      : sql`case ${sql.join(
          leaseUntil.byKind.map(([kind, until]) => sql`when kind = ${kind} then ${time(until)}`),
          sql` `,
        )} else ${time(leaseUntil.default)} end`;
  const result = await sql<JobsTable>`
    update jobs
       set status = 'running', locked_by = ${workerId}, locked_until = ${lockedUntil},
           attempts = attempts + 1, updated_at = ${now}
     where (client_id, id) in (
       select client_id, id from jobs
        where (status = 'queued' and run_at <= ${now})
           or (status = 'running' and locked_until < ${now})
        order by run_at, id
        limit ${limit}
        ${skipLocked})
    returning *`.execute(db);
  // RETURNING follows no order (PostgreSQL's differs from SQLite's); run them oldest first.
  return result.rows.sort((a, b) => cmp(a.run_at, b.run_at) || cmp(a.id, b.id));
}

/** Ends or reschedules a claimed job; only the worker holding it may. */
export async function settleJob(
  db: Db,
  job: Pick<JobsTable, 'client_id' | 'id'>,
  workerId: string,
  change: Settlement['change'],
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ ...change, locked_by: null, locked_until: null, updated_at: now })
    .where('client_id', '=', job.client_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cancels the invite's jobs that no worker has taken yet; returns the deliveries they were for. */
export async function cancelQueuedJobs(
  db: Db,
  clientId: string,
  inviteId: string,
  now: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: now, last_error: 'invite revoked' })
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .where('status', '=', 'queued')
    .returning('delivery_id')
    .execute();
  return rows.flatMap((r) => (r.delivery_id ? [r.delivery_id] : []));
}

/** When the next job falls due (or a lease runs out), for the worker's sleep. */
export async function nextDueAt(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('at'))
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

export function listAttempts(db: Db, clientId: string, deliveryId: string) {
  return db
    .selectFrom('job_attempts')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt')
    .execute();
}

/** A job's state, for a change that must know whether it is still waiting. */
export function findJob(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('jobs')
    .select(['id', 'status'])
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Brings a queued job forward to `at`; false when it is no longer queued. */
export async function runJobAt(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ run_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
