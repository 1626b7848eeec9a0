import { type RawBuilder, sql } from 'kysely';
import { type Db, isPostgres } from '../db/client.ts';
import type { JobLane, JobsTable } from '../db/tables.ts';

/** When a claim made now ends: per kind where a kind needs longer, else the default. */
export interface LeaseUntil {
  /** The server's time of the claim. */
  now: string;
  default: string;
  byKind: [kind: string, until: string][];
}

/** Where the last claim of a lane left off, so the next one starts with the client after it. */
export interface ClaimCursor {
  client: string;
}

// Inside CASE, PostgreSQL reads a parameter as text unless told it is a time.
function time(db: Db, v: string): RawBuilder<string> {
  return isPostgres(db) ? sql<string>`cast(${v} as timestamptz)` : sql<string>`${v}`;
}

function lockedUntil(db: Db, lease: LeaseUntil): RawBuilder<string> {
  if (lease.byKind.length === 0) return time(db, lease.default);
  const whens = lease.byKind.map(([kind, until]) => sql`when kind = ${kind} then ${time(db, until)}`);
  return sql<string>`case ${sql.join(whens, sql` `)} else ${time(db, lease.default)} end`;
}

// PostgreSQL: rows another worker is claiming right now are skipped, not waited for.
// SQLite: one writer at a time, so the transaction alone is enough.
const skipLocked = (db: Db) => (isPostgres(db) ? sql` for update skip locked` : sql``);

/**
 * Running jobs of the lane whose lease ran out: their worker died, or could not settle them.
 * Never one this worker is still running (`running`): a send is not taken from itself.
 * Index `jobs_running`.
 */
export function lapsedJobs(db: Db, lane: JobLane, running: string[], now: string, limit: number) {
  const mine = running.length > 0 ? sql` and id not in (${sql.join(running)})` : sql``;
  return sql<{ client_id: string; id: string }>`
    select client_id, id from jobs
     where status = 'running' and locked_until < ${now} and lane = ${lane}${mine}
     order by locked_until
     limit ${limit}${skipLocked(db)}`;
}

/** The first client after `after` with queued jobs in the lane: one seek in index `jobs_queued`. */
export function nextClient(lane: JobLane, after: string) {
  return sql<{ client_id: string }>`
    select client_id from jobs
     where status = 'queued' and lane = ${lane} and client_id > ${after}
     order by lane, client_id
     limit 1`;
}

/** A client's due jobs in the lane, oldest first: one range of index `jobs_queued`. */
export function dueJobsOf(db: Db, lane: JobLane, clientId: string, now: string, limit: number) {
  return sql<{ client_id: string; id: string }>`
    select client_id, id from jobs
     where status = 'queued' and lane = ${lane} and client_id = ${clientId} and run_at <= ${now}
     order by lane, client_id, run_at, id
     limit ${limit}${skipLocked(db)}`;
}

/**
 * The clients with queued jobs, in turn after `cursor` (wrapping once), at most `limit`;
 * each gets an equal share of the claim. One tenant's flood therefore delays another's
 * messages by at most a share of a batch, not by the whole flood.
 */
async function fairDueJobs(
  trx: Db,
  lane: JobLane,
  now: (clientId: string) => string,
  limit: number,
  cursor: ClaimCursor,
): Promise<{ client_id: string; id: string }[]> {
  const clients: string[] = [];
  let after = cursor.client;
  let wrapped = false;
  while (clients.length < limit) {
    const row = (await nextClient(lane, after).execute(trx)).rows[0];
    if (!row) {
      if (wrapped || after === '') break;
      wrapped = true;
      after = '';
      continue;
    }
    if (clients.includes(row.client_id)) break;
    clients.push(row.client_id);
    after = row.client_id;
  }
  const share = Math.max(1, Math.ceil(limit / Math.max(1, clients.length)));
  const picked: { client_id: string; id: string }[] = [];
  const full: string[] = [];
  for (const client of clients) {
    if (picked.length >= limit) break;
    const take = Math.min(share, limit - picked.length);
    const rows = (await dueJobsOf(trx, lane, client, now(client), take).execute(trx)).rows;
    picked.push(...rows);
    if (rows.length === take) full.push(client);
    cursor.client = client;
  }
  // Room that clients with few due jobs left goes to those that have more, in turn.
  for (const client of full) {
    if (picked.length >= limit) break;
    const mine = picked.filter((j) => j.client_id === client).length;
    const rows = (await dueJobsOf(trx, lane, client, now(client), mine + limit - picked.length).execute(trx))
      .rows;
    const seen = new Set(picked.map((j) => j.id));
    picked.push(...rows.filter((j) => !seen.has(j.id)).slice(0, limit - picked.length));
  }
  return picked;
}

/**
 * Takes up to `limit` jobs of `lane` for `workerId`: first those whose lease ran out, then
 * due queued jobs, fairly across clients. Each is held until its kind's time in `lease`,
 * and each claim counts an attempt. Every lookup is an index seek, however many jobs wait.
 * `clientNow` is a client's time (which sandbox test clocks may move); leases run on the
 * server's, the same for every client. `running` is what this worker runs now, or null for
 * a claim that does not look for lapsed jobs.
 */
export async function claimDue(
  db: Db,
  workerId: string,
  lane: JobLane,
  clientNow: (clientId: string) => string,
  lease: LeaseUntil,
  limit: number,
  cursor: ClaimCursor,
  running: string[] | null,
): Promise<JobsTable[]> {
  const now = lease.now;
  const claim = async (q: Db) => {
    const lapsed = running ? (await lapsedJobs(q, lane, running, now, limit).execute(q)).rows : [];
    const due =
      lapsed.length < limit ? await fairDueJobs(q, lane, clientNow, limit - lapsed.length, cursor) : [];
    const ids = [...lapsed, ...due];
    if (ids.length === 0) return [];
    const keys = sql.join(ids.map((j) => sql`(${j.client_id}, ${j.id})`));
    // The conditions are checked again: on SQLite another worker may have taken a job since it was read.
    const result = await sql<JobsTable>`
      update jobs
         set status = 'running', locked_by = ${workerId}, locked_until = ${lockedUntil(q, lease)},
             attempts = attempts + 1, updated_at = ${now}
       where (client_id, id) in (values ${keys})
         and (status = 'queued' or (status = 'running' and locked_until < ${now}))
      returning *`.execute(q);
    return result.rows;
  };
  // PostgreSQL: the rows read are locked (SKIP LOCKED) until the claim commits. SQLite: reads
  // run beside the writer under WAL and only the one UPDATE takes the write lock, briefly, so
  // the API's writes in another process do not wait behind a whole claim.
  const claimed = isPostgres(db) ? await db.transaction().execute(claim) : await claim(db);
  // RETURNING follows no order (PostgreSQL's differs from SQLite's); run them oldest first.
  return claimed.sort((a, b) => cmp(a.run_at, b.run_at) || cmp(a.id, b.id));
}

/**
 * Extends the leases of the jobs this worker is running (`running`), so a slow send is not
 * taken over. Only those: a job whose run ended but could not be settled lets its lease lapse.
 */
export async function renewLeases(
  db: Db,
  workerId: string,
  lease: LeaseUntil,
  running: string[],
): Promise<void> {
  if (running.length === 0) return;
  await sql`
    update jobs set locked_until = ${lockedUntil(db, lease)}
     where status = 'running' and locked_by = ${workerId} and id in (${sql.join(running)})`.execute(db);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
