import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseBusyError, StorageFullError } from './sqlite-errors.ts';

/**
 * How long a statement waits for the write lock another process holds before its request
 * gives up. better-sqlite3 is synchronous, so SQLite's own busy_timeout would wait on the
 * event loop and stall every request; the wait is made here, asynchronously, instead.
 */
export const LOCK_WAIT_MS = 5000;

/** Pauses between attempts at a lock: short at first, as a held lock is usually a short write. */
const BACKOFF_MS = [1, 2, 5, 10, 20, 50];
function codeOf(err: unknown): string {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** True when the file system holding `file` has (almost) no room or no inodes left. */
function diskFull(file: string): boolean {
  try {
    const fs = statfsSync(dirname(file));
    return fs.bavail * fs.bsize < 1024 * 1024 || fs.ffree === 0;
  } catch {
    return false;
  }
}

/**
 * Runs `attempt` until it gets past the lock or `deadline` passes. A failed attempt changed
 * nothing: a statement outside a transaction, BEGIN IMMEDIATE and COMMIT can each be retried,
 * and the statements between them run under a lock already held.
 */
export async function whenUnlocked<T>(attempt: () => T, deadline: number, file: string): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return attempt();
    } catch (err) {
      const code = codeOf(err);
      // SQLite reports a disk that ran out of space as SQLITE_FULL, and as an I/O error when
      // the write that failed was not one it checks for ENOSPC.
      if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskFull(file))) {
        throw new StorageFullError(err as Error);
      }
      if (!code.startsWith('SQLITE_BUSY')) throw err;
      const left = deadline - performance.now();
      if (left <= 0) throw new DatabaseBusyError(LOCK_WAIT_MS, err);
      await sleep(Math.min(BACKOFF_MS[i] ?? 50, left));
    }
  }
}

/**
 * This process's turn at the writing connection, first come first served. A wait ends at its
 * deadline: a request queued behind one that waits for another process's lock gives up with
 * it, instead of waiting its own full bound afterwards.
 */
export class WriterTurns {
  private taken = false;
  private readonly queue: Place[] = [];

  async take(deadline: number): Promise<void> {
    if (!this.taken) {
      this.taken = true;
      return;
    }
    await waitInLine(this.queue, deadline);
  }

  give(): void {
    const next = this.queue.shift();
    if (next) next.admit();
    else this.taken = false;
  }
}

/** A place in a line: the one ahead admits it, or something refuses it. */
export interface Place {
  admit(): void;
  refuse(err: unknown): void;
}

/**
 * Joins `line` at its end. The place leaves the line unadmitted at `deadline`: a wait ends at
 * its deadline, so a caller queued behind one that waits for another process's lock gives up
 * with it, instead of waiting its own full bound afterwards.
 */
export function waitInLine(line: Place[], deadline: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const at = line.indexOf(own);
        if (at >= 0) line.splice(at, 1);
        reject(new DatabaseBusyError(LOCK_WAIT_MS));
      },
      Math.max(0, deadline - performance.now()),
    );
    const own: Place = {
      admit: () => {
        clearTimeout(timer);
        resolve();
      },
      refuse: (err) => {
        clearTimeout(timer);
        reject(err);
      },
    };
    line.push(own);
  });
}
