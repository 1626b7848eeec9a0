import { hostname } from 'node:os';
import { Value } from '@sinclair/typebox/value';
import type { JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import {
  type ClaimedJob,
  JOB_KIND_NAMES,
  type JobCatalog,
  type JobHandler,
  type JobKind,
  type JobOutcome,
  jobType,
  LEASE_MS,
} from './jobs.ts';
import { claimDue, insertAttempt, nextDueAt, settleJob } from './queue.repo.ts';
import { settlementOf } from './settle.ts';

export interface WorkerOptions {
  concurrency: number;
  /** Longest sleep between looks at the queue; an in-process enqueue wakes the worker at once. */
  pollMs: number;
  /** How long a claimed job is held before another worker may take it (LEASE_MS by default). */
  leaseMs?: number;
}

/**
 * Claims due jobs with a lease, runs them with bounded concurrency and records every
 * attempt. At-least-once: a worker that dies mid-job loses its lease and the job runs again.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private running = false;

  constructor(
    private readonly deps: Deps,
    private readonly handlers: JobCatalog,
    private readonly opts: WorkerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.deps.queueSignal.on('enqueued', this.wake);
    this.wake();
  }

  /** Stops claiming, then waits for in-flight jobs up to `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.deps.queueSignal.off('enqueued', this.wake);
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    const grace = new Promise((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(this.inFlight), grace]);
  }

  /** Runs due jobs until none is due and none is in flight (for tests and tools). */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.claimAndRun();
      await Promise.all(this.inFlight);
      if (claimed === 0 && this.inFlight.size === 0) return;
    }
  }

  private readonly wake = (): void => {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = null));
  };

  private async tick(): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.claimAndRun();
    } catch (err) {
      this.deps.log.error({ err }, 'worker could not claim jobs');
    }
    if (!this.running) return;
    // A full batch suggests more is waiting; otherwise sleep until the next job is due.
    let delay = this.opts.pollMs;
    if (claimed > 0 && this.inFlight.size < this.opts.concurrency) delay = 0;
    else if (claimed === 0) {
      const next = await nextDueAt(this.deps.db).catch(() => null);
      if (next)
        delay = Math.max(0, Math.min(delay, new Date(next).getTime() - this.deps.clock.now().getTime()));
    }
    this.timer = setTimeout(this.wake, delay);
  }

  private async claimAndRun(): Promise<number> {
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const now = this.deps.clock.now();
    const jobs = await claimDue(this.deps.db, this.id, now.toISOString(), this.leaseUntil(now), free);
    for (const job of jobs) {
      const p = this.run(job).finally(() => {
        this.inFlight.delete(p);
        this.wake();
      });
      this.inFlight.add(p);
    }
    return jobs.length;
  }

  /** When a claim made now ends, per kind: the worker's lease, or longer where a kind needs it. */
  private leaseUntil(now: Date) {
    const workerLease = this.opts.leaseMs ?? LEASE_MS;
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const byKind: [string, string][] = [];
    for (const kind of JOB_KIND_NAMES) {
      const ms = jobType(kind).leaseMs?.(this.deps.config) ?? 0;
      if (ms > workerLease) byKind.push([kind, at(ms)]);
    }
    return { default: at(workerLease), byKind };
  }

  private async run(row: JobsTable): Promise<void> {
    const { deps } = this;
    const started = deps.clock.now();
    const t0 = performance.now();
    const read = readJob(row);
    // Each handler was checked against its own kind in JobCatalog; here one signature serves all.
    const kind = isJobKind(row.kind) ? row.kind : null;
    const handler = kind ? (this.handlers[kind] as JobHandler<JobKind>) : undefined;
    let outcome: JobOutcome;
    try {
      outcome =
        read.job && handler
          ? await handler.run(deps, read.job)
          : { kind: 'failed', error: read.error ?? 'no handler' };
    } catch (err) {
      deps.log.warn({ err, job: row.id, kind: row.kind }, 'job threw');
      outcome = { kind: 'retry', error: err instanceof Error ? err.message : String(err) };
    }
    const duration = Math.round(performance.now() - t0);
    const now = deps.clock.now();
    const schedule = kind ? jobType(kind).retrySchedule : [];
    const s = settlementOf(outcome, row.attempts, schedule, now);
    const held = await deps.db.transaction().execute(async (trx) => {
      await insertAttempt(trx, {
        client_id: row.client_id,
        id: newId(),
        job_id: row.id,
        delivery_id: row.delivery_id,
        attempt: row.attempts,
        outcome: s.recorded,
        provider_response: 'response' in outcome ? (outcome.response ?? null) : null,
        error: s.error,
        detail: 'detail' in outcome && outcome.detail ? JSON.stringify(outcome.detail) : null,
        started_at: started.toISOString(),
        duration_ms: duration,
      });
      return settleJob(trx, row, this.id, s.change, now.toISOString());
    });
    // A worker whose lease ran out no longer owns the job: another has taken it, and that
    // one decides what becomes of it.
    if (!held) {
      deps.log.warn({ job: row.id, kind: row.kind }, 'lease lost before the job was settled');
      return;
    }
    if (!handler || !s.hook) return;
    const { payload: _payload, ...ref } = row;
    if (s.hook.kind === 'retry') await handler.onRetry?.(deps, ref, s.hook.at, s.hook.error);
    else await handler.onDead?.(deps, ref, s.hook.error);
  }
}

/** A claimed row as its kind declares it, or why it cannot run. */
const isJobKind = (kind: string): kind is JobKind => (JOB_KIND_NAMES as string[]).includes(kind);

function readJob(row: JobsTable): { job: ClaimedJob; error?: never } | { job?: never; error: string } {
  const kind = row.kind;
  if (!isJobKind(kind)) return { error: `unknown job kind ${kind}` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return { error: `invalid payload for ${kind}: not JSON` };
  }
  const schema = jobType(kind).payload;
  if (!Value.Check(schema, payload)) {
    const first = Value.Errors(schema, payload).First();
    return { error: `invalid payload for ${kind}: ${first ? `${first.path || '/'} ${first.message}` : ''}` };
  }
  return { job: { ...row, kind, payload } as ClaimedJob };
}
