import type { JobStatus } from '../db/tables.ts';
import type { JobOutcome } from './jobs.ts';

/** What a job becomes after a run, what its attempt row says, and which hook runs once it is settled. */
export interface Settlement {
  change: {
    status: JobStatus;
    run_at?: string;
    last_error?: string | null;
    attempts?: number;
    payload?: string;
  };
  recorded: string;
  error: string | null;
  hook?: { kind: 'retry'; at: Date; error: string } | { kind: 'dead'; error: string };
}

/**
 * The rule of the queue: done and cancelled end the job; a deferral is not an attempt (the
 * claim's count is given back); a refusal is final; a retry waits `schedule[attempts - 1]`,
 * and past the end of the schedule the job is dead-lettered.
 */
export function settlementOf(
  outcome: JobOutcome,
  attempts: number,
  schedule: readonly number[],
  now: Date,
): Settlement {
  switch (outcome.kind) {
    case 'done':
      return { change: { status: 'done', last_error: null }, recorded: 'sent', error: null };
    case 'cancelled':
      return {
        change: { status: 'cancelled', last_error: outcome.reason },
        recorded: 'cancelled',
        error: outcome.reason,
      };
    case 'defer': {
      const change: Settlement['change'] = {
        status: 'queued',
        run_at: outcome.until.toISOString(),
        attempts: attempts - 1,
      };
      if (outcome.payload !== undefined) change.payload = JSON.stringify(outcome.payload);
      return { change, recorded: 'deferred', error: outcome.reason };
    }
    case 'failed':
      return {
        change: { status: 'dead', last_error: outcome.error },
        recorded: 'failed',
        error: outcome.error,
        hook: { kind: 'dead', error: outcome.error },
      };
    case 'retry': {
      const wait = schedule[attempts - 1];
      if (wait === undefined) {
        const final = `gave up after ${attempts} attempts: ${outcome.error}`;
        return {
          change: { status: 'dead', last_error: final },
          recorded: 'failed',
          error: final,
          hook: { kind: 'dead', error: final },
        };
      }
      const at = new Date(now.getTime() + wait);
      return {
        change: { status: 'queued', run_at: at.toISOString(), last_error: outcome.error },
        recorded: 'retry',
        error: outcome.error,
        hook: { kind: 'retry', at, error: outcome.error },
      };
    }
  }
}
