import type { JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';

/** What running a job came to. */
export type JobOutcome =
  /** The provider accepted the message. */
  | { kind: 'done'; response?: string | null; detail?: Record<string, unknown> }
  /** Final refusal: no retry. */
  | { kind: 'failed'; error: string; response?: string | null; detail?: Record<string, unknown> }
  /** Might pass later: retried on the schedule, then dead-lettered. */
  | { kind: 'retry'; error: string; response?: string | null; detail?: Record<string, unknown> }
  /** Not now (pacing, a provider's 429): run again at `until` without counting an attempt. */
  | { kind: 'defer'; until: Date; reason: string; payload?: string }
  /** Nothing to do any more (the invite was revoked). */
  | { kind: 'cancelled'; reason: string };

export interface JobKind {
  /** Waits before each retry; after the last one the job is dead-lettered. */
  retrySchedule: readonly number[];
  run(deps: Deps, job: JobsTable): Promise<JobOutcome>;
  /** The job will run again at `at`. */
  onRetry?(deps: Deps, job: JobsTable, at: Date, error: string): Promise<void>;
  /** The job failed for good: refused, or out of retries. */
  onDead?(deps: Deps, job: JobsTable, error: string): Promise<void>;
}

const s = 1000;
/** 10 s, 1 min, 5 min, 30 min, 2 h, 6 h: seven tries over about 8.6 hours. */
export const MESSAGE_RETRY_SCHEDULE = [
  10 * s,
  60 * s,
  5 * 60 * s,
  30 * 60 * s,
  2 * 3600 * s,
  6 * 3600 * s,
] as const;

/** How long a claimed job is held; a worker that dies mid-job loses it to another after this. */
export const LEASE_MS = 60 * s;
