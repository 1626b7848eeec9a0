import { hostname } from 'node:os';
import type { JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import type { JobKind, JobOutcome } from './jobs.ts';
import { LEASE_MS } from './jobs.ts';
import { claimDue, insertAttempt, nextDueAt, settleJob } from './queue.repo.ts';

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
    private readonly kinds: Record<string, JobKind>,
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
    const jobs = await claimDue(
      this.deps.db,
      this.id,
      now.toISOString(),
      new Date(now.getTime() + (this.opts.leaseMs ?? LEASE_MS)).toISOString(),
      free,
    );
    for (const job of jobs) {
      const p = this.run(job).finally(() => {
        this.inFlight.delete(p);
        this.wake();
      });
      this.inFlight.add(p);
    }
    return jobs.length;
  }

  private async run(job: JobsTable): Promise<void> {
    const { deps } = this;
    const kind = this.kinds[job.kind];
    const started = deps.clock.now();
    const t0 = performance.now();
    let outcome: JobOutcome;
    try {
      outcome = kind ? await kind.run(deps, job) : { kind: 'failed', error: `unknown job kind ${job.kind}` };
    } catch (err) {
      deps.log.warn({ err, job: job.id, kind: job.kind }, 'job threw');
      outcome = { kind: 'retry', error: err instanceof Error ? err.message : String(err) };
    }
    const duration = Math.round(performance.now() - t0);
    const now = deps.clock.now();
    const at = now.toISOString();

    // What the job becomes, and what its attempt row says.
    let change: Parameters<typeof settleJob>[3];
    let recorded: string = outcome.kind === 'done' ? 'sent' : outcome.kind;
    let error = 'error' in outcome ? outcome.error : 'reason' in outcome ? outcome.reason : null;
    let after: (() => Promise<void>) | undefined;
    switch (outcome.kind) {
      case 'done':
        change = { status: 'done', last_error: null };
        break;
      case 'cancelled':
        change = { status: 'cancelled', last_error: outcome.reason };
        break;
      case 'defer':
        // Not an attempt: the claim's count is given back.
        recorded = 'deferred';
        change = { status: 'queued', run_at: outcome.until.toISOString(), attempts: job.attempts - 1 };
        if (outcome.payload !== undefined) change.payload = outcome.payload;
        break;
      case 'failed':
        change = { status: 'dead', last_error: outcome.error };
        after = () => kind?.onDead?.(deps, job, outcome.error) ?? Promise.resolve();
        break;
      case 'retry': {
        const wait = kind?.retrySchedule[job.attempts - 1];
        if (wait === undefined) {
          const final = `gave up after ${job.attempts} attempts: ${outcome.error}`;
          recorded = 'failed';
          error = final;
          change = { status: 'dead', last_error: final };
          after = () => kind?.onDead?.(deps, job, final) ?? Promise.resolve();
        } else {
          const next = new Date(now.getTime() + wait);
          change = { status: 'queued', run_at: next.toISOString(), last_error: outcome.error };
          after = () => kind?.onRetry?.(deps, job, next, outcome.error) ?? Promise.resolve();
        }
      }
    }
    const held = await deps.db.transaction().execute(async (trx) => {
      await insertAttempt(trx, {
        client_id: job.client_id,
        id: newId(),
        job_id: job.id,
        delivery_id: job.delivery_id,
        attempt: job.attempts,
        outcome: recorded,
        provider_response: 'response' in outcome ? (outcome.response ?? null) : null,
        error,
        detail: 'detail' in outcome && outcome.detail ? JSON.stringify(outcome.detail) : null,
        started_at: started.toISOString(),
        duration_ms: duration,
      });
      return settleJob(trx, job, this.id, change, at);
    });
    // A worker whose lease ran out no longer owns the job: another has taken it, and that
    // one decides what becomes of it.
    if (!held) {
      deps.log.warn({ job: job.id, kind: job.kind }, 'lease lost before the job was settled');
      return;
    }
    await after?.();
  }
}
