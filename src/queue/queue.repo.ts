import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { preparedInsert, preparedInsertMany } from '../db/prepared.ts';
import type { JobLane, JobsTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import { type JobKind, type JobPayload, jobType } from './jobs.ts';
import type { Settlement } from './settle.ts';
import type { JobTx } from './transact.ts';

const insertJob = preparedInsert('jobs');
const insertJobRows = preparedInsertMany('jobs');

/** What a job to queue says, before its kind and timing are added. */
export interface NewJob<K extends JobKind> {
  client_id: string;
  invite_id: string | null;
  delivery_id: string | null;
  payload: JobPayload<K>;
}

/** The row of a job of `kind` due at `at`, with its id; its payload is type-checked against the kind. */
export function jobRow<K extends JobKind>(kind: K, job: NewJob<K>, at: string): JobsTable {
  return {
    client_id: job.client_id,
    invite_id: job.invite_id,
    delivery_id: job.delivery_id,
    kind,
    lane: jobType(kind).lane,
    id: newId(),
    payload: JSON.stringify(job.payload),
    status: 'queued',
    attempts: 0,
    run_at: at,
    locked_until: null,
    locked_by: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Queues a job of `kind`, due at `at`, inside the caller's transaction; its payload is
 * type-checked against the kind's declaration. Whoever commits that transaction wakes the
 * worker (transactAndWake).
 */
export async function queueJob<K extends JobKind>(
  db: JobTx,
  kind: K,
  job: NewJob<K>,
  at: string,
): Promise<string> {
  const row = jobRow(kind, job, at);
  await insertJob(db, row);
  return row.id;
}

/** Queues jobs built with `jobRow`, in as few statements as the database allows. */
export async function queueJobs(db: JobTx, rows: readonly JobsTable[]): Promise<void> {
  await insertJobRows(db, rows);
}
export const insertAttempt = preparedInsert('job_attempts');

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

/** When the lane's next job falls due, for the worker's sleep (index `jobs_next`). */
export async function nextDueAt(db: Db, lane: JobLane): Promise<string | null> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('at'))
    .where('status', '=', 'queued')
    .where('lane', '=', lane)
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

/**
 * Deletes up to `batch` jobs that finished (done or cancelled) before `before`: their
 * attempt rows keep the history, and the table stays the size of recent work. Dead-lettered
 * jobs stay for operators. Indexes `jobs_done` and `jobs_cancelled`. Returns how many went.
 */
export async function pruneFinishedJobs(db: Db, before: string, batch: number): Promise<number> {
  let deleted = 0;
  for (const status of ['done', 'cancelled'] as const) {
    const res = await sql`
      delete from jobs where (client_id, id) in (
        select client_id, id from jobs where status = ${status} and updated_at < ${before} limit ${batch})`.execute(
      db,
    );
    deleted += Number(res.numAffectedRows ?? 0);
  }
  return deleted;
}

/**
 * Whether the client has jobs still to settle by its time `now`: queued and due, or running.
 * Index `jobs_invite` narrows to the client.
 */
export async function hasUnsettledJobs(db: Db, clientId: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('client_id', '=', clientId)
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]), eb('status', '=', 'running')]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
