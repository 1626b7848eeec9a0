import type { EventEmitter } from 'node:events';
import { PostgresAdapter, sql } from 'kysely';
import pg from 'pg';
import type { Db } from './client.ts';

/** The channel a PostgreSQL transaction that queued jobs notifies on. */
const CHANNEL = 'invitekit_jobs';
/** A listening connection that broke is opened again after this long. */
const RECONNECT_MS = 1000;

/**
 * Inside a transaction that queued jobs: on PostgreSQL, every process listening (see
 * listenForJobs) hears of it when the transaction commits, and not if it rolls back. Nothing on
 * SQLite, whose workers watch the file instead (sqlite-commits.ts).
 */
export async function notifyJobsQueued(trx: Db): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_notify(${CHANNEL}, '')`.execute(trx);
}

/**
 * While something listens for `event` on `signal` (the worker, for new jobs), one connection
 * of its own LISTENs on the jobs channel and emits `event` for each notification: a worker in
 * another process than the API hears of a send at its commit, not at its next poll
 * (WORKER_POLL_MS). A connection that breaks is opened again; meanwhile the worker polls.
 */
export function listenForJobs(databaseUrl: string, signal: EventEmitter, event: string): void {
  let client: pg.Client | null = null;
  let listening = false;
  const open = () => {
    if (!listening || client) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = null;
      c.end().catch(() => {});
      if (listening) setTimeout(open, RECONNECT_MS).unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', () => signal.emit(event));
    c.connect()
      .then(() => c.query(`listen ${CHANNEL}`))
      .catch(lost);
  };
  signal.on('newListener', (name) => {
    if (name !== event || listening) return;
    listening = true;
    open();
  });
  signal.on('removeListener', (name) => {
    if (name !== event || !listening || signal.listenerCount(event) > 0) return;
    listening = false;
    const c = client;
    client = null;
    c?.end().catch(() => {});
  });
}
