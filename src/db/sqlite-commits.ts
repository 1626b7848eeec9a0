import type { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db } from './client.ts';

/**
 * How often a worker looks for commits other processes made. Without looking, a worker in its
 * own process heard of a send only at its next poll (WORKER_POLL_MS), up to a second later:
 * `npm run bench`, delivery, `serve --no-worker` + `worker`.
 */
const WATCH_MS = 10;

/**
 * While something listens for `event` on `signal` (the worker, for new jobs), emits it whenever
 * another process has committed to the SQLite database. `PRAGMA data_version` on this process's
 * writing connection changes only when another connection commits (its own commits, the
 * process's writes, never move it), and reads a counter in shared memory.
 */
export function signalCommits(db: Db, signal: EventEmitter, event: string): void {
  let timer: NodeJS.Timeout | null = null;
  let seen: unknown;
  let looking = false;
  const look = async () => {
    if (looking) return;
    looking = true;
    try {
      const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
      const now = rows[0]?.data_version;
      if (seen !== undefined && now !== seen) signal.emit(event);
      seen = now;
    } catch {
      // The worker's own poll still runs.
    } finally {
      looking = false;
    }
  };
  signal.on('newListener', (name) => {
    if (name !== event || timer) return;
    timer = setInterval(() => void look(), WATCH_MS);
    timer.unref();
  });
  signal.on('removeListener', (name) => {
    if (name !== event || !timer || signal.listenerCount(event) > 0) return;
    clearInterval(timer);
    timer = null;
    seen = undefined;
  });
}
