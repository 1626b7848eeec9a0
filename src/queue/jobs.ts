import { type Static, Type } from '@sinclair/typebox';
import type { Config } from '../config.ts';
import type { JobLane, JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';

/** What running a job came to. `P` is the job's payload, which a deferral may change. */
export type JobOutcome<P = unknown> =
  /** The provider accepted the message. */
  | { kind: 'done'; response?: string | null; detail?: Record<string, unknown> }
  /** Final refusal: no retry. */
  | { kind: 'failed'; error: string; response?: string | null; detail?: Record<string, unknown> }
  /** Might pass later: retried on the schedule, then dead-lettered. */
  | { kind: 'retry'; error: string; response?: string | null; detail?: Record<string, unknown> }
  /** Not now (pacing, a provider's 429): run again at `until` without counting an attempt. */
  | { kind: 'defer'; until: Date; reason: string; payload?: P }
  /** Nothing to do any more (the invite was revoked). */
  | { kind: 'cancelled'; reason: string };

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

/** The message schedule, then 15 h more: eight attempts over about 24 hours. */
export const WEBHOOK_RETRY_SCHEDULE = [...MESSAGE_RETRY_SCHEDULE, 15 * 3600 * s] as const;

/** How long a claimed job is held; a worker that dies mid-job loses it to another after this. */
export const LEASE_MS = 60 * s;

interface JobType {
  /** Which of the worker's pools runs it: messages never wait behind webhooks. */
  lane: JobLane;
  /** Checked when the job is claimed: a job whose payload does not match fails with the reason. */
  payload: ReturnType<typeof Type.Object>;
  /** Waits before each retry; after the last one the job is dead-lettered. */
  retrySchedule: readonly number[];
  /** How long a claim holds the job, when the worker's own lease would not cover one run. */
  leaseMs?: (config: Pick<Config, 'WEBHOOK_TIMEOUT_SECONDS'>) => number;
}

/**
 * Every kind of job, declared once. The handlers live with their features and are put
 * together in job-kinds.ts, which must name one for each kind here.
 */
export const JOB_TYPES = {
  /** Sends one invite delivery (email or SMS). `slot`: an SMS send slot already reserved (epoch ms). */
  'delivery.send': {
    lane: 'messages',
    payload: Type.Object({ slot: Type.Optional(Type.Number()), slotAttempt: Type.Optional(Type.Integer()) }),
    retrySchedule: MESSAGE_RETRY_SCHEDULE,
  },
  /** Tells one reply_to address that the recipient completed the invite. */
  'invite.completed_notice': {
    lane: 'messages',
    payload: Type.Object({ to: Type.String({ minLength: 1 }) }),
    retrySchedule: MESSAGE_RETRY_SCHEDULE,
  },
  /** Expires an invite whose time has come (expiry on in the invite settings). */
  'invite.expire': {
    lane: 'messages',
    payload: Type.Object({}),
    retrySchedule: MESSAGE_RETRY_SCHEDULE,
  },
  /**
   * Sends reminder number `n` of the invite as it was sent at `sentAt` (invite settings); a
   * re-send since starts a count of its own, so this one then has nothing to do.
   */
  'invite.remind': {
    lane: 'messages',
    payload: Type.Object({ sentAt: Type.String({ minLength: 1 }), n: Type.Integer({ minimum: 1 }) }),
    retrySchedule: MESSAGE_RETRY_SCHEDULE,
  },
  /** Sends one webhook delivery; `once`: a single attempt (a test event, a manual retry). */
  'webhook.send': {
    lane: 'webhooks',
    payload: Type.Object({ once: Type.Optional(Type.Boolean()) }),
    retrySchedule: WEBHOOK_RETRY_SCHEDULE,
    // A receiver may take the whole timeout to answer: the claim must outlast it.
    leaseMs: (config) => (config.WEBHOOK_TIMEOUT_SECONDS + 30) * s,
  },
} satisfies Record<string, JobType>;

export type JobKind = keyof typeof JOB_TYPES;
export type JobPayload<K extends JobKind> = Static<(typeof JOB_TYPES)[K]['payload']>;

export const JOB_KIND_NAMES = Object.keys(JOB_TYPES) as JobKind[];
export const JOB_LANES: readonly JobLane[] = ['messages', 'webhooks'];

export function jobType(kind: JobKind): JobType {
  return JOB_TYPES[kind];
}

/** A claimed job, its payload read and checked against its kind's schema. */
export type ClaimedJob<K extends JobKind = JobKind> = Omit<JobsTable, 'kind' | 'payload'> & {
  kind: K;
  payload: JobPayload<K>;
};

/** A job as its hooks see it: which job, not its payload (which may be what failed). */
export type JobRef = Omit<JobsTable, 'payload'>;

/** What a worker does with a job of kind `K`. */
export interface JobHandler<K extends JobKind> {
  run(deps: Deps, job: ClaimedJob<K>): Promise<JobOutcome<JobPayload<K>>>;
  /** The job will run again at `at`. */
  onRetry?(deps: Deps, job: JobRef, at: Date, error: string): Promise<void>;
  /** The job failed for good: refused, out of retries, or its payload was not of its kind. */
  onDead?(deps: Deps, job: JobRef, error: string): Promise<void>;
}

/** A handler for every kind: leaving one out is a compile error. */
export type JobCatalog = { [K in JobKind]: JobHandler<K> };
