import { hostname } from 'node:os';
import { clockOffsets } from '../db/sandbox-clocks.repo.ts';
import type { JobLane, JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { inClientTime } from '../lib/client-time.ts';
import { newId } from '../lib/ids.ts';
import { logAttempt } from './attempt-log.ts';
import { type ClaimCursor, claimDue, type LeaseUntil, renewLeases } from './claim.repo.ts';
import {
  JOB_KIND_NAMES,
  JOB_LANES,
  type JobCatalog,
  type JobHandler,
  type JobKind,
  type JobOutcome,
  jobType,
  LEASE_MS,
} from './jobs.ts';
import { insertAttempt, nextDueAt, pruneFinishedJobs, settleJob } from './queue.repo.ts';
import { isJobKind, readJob } from './read-job.ts';
import { pruneExpired } from './retention.ts';
import { settlementOf } from './settle.ts';

export interface WorkerOptions {
  /** Jobs of the messages lane (emails, texts, notices) run at once. */
  concurrency: number;
  /** Webhook jobs run at once, beside the messages: a slow receiver never holds up a message. */
  webhookConcurrency?: number;
  /** Longest sleep between looks at the queue; an in-process enqueue wakes the worker at once. */
  pollMs: number;
  /** How long a claimed job is held before another worker may take it (LEASE_MS by default). */
  leaseMs?: number;
}

/** Done and cancelled jobs stay this long for inspection; their attempt rows stay for good. */
const FINISHED_RETENTION_MS = 3600_000;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1000;
const PRUNE_BATCHES = 20;
/**
 * How often a lane looks for jobs whose lease ran out (more often while it finds a claim's
 * worth). Only a dead worker, or a run that could not be settled, leaves them, after a lease
 * of at least 5 s (a minute by default): once a second is soon enough, where looking on every
 * claim cost a query per few jobs.
 */
const LAPSED_EVERY_MS = 1000;

interface Lane {
  name: JobLane;
  concurrency: number;
  /** The runs under way, by job id. */
  inFlight: Map<string, Promise<void>>;
  timer: NodeJS.Timeout | null;
  ticking: Promise<void> | null;
  cursor: ClaimCursor;
  /** When the lane last looked for lapsed jobs (server time, ms). */
  lapsedAt: number;
  /** A wake arrived while a tick ran: the lane ticks again once it ends. */
  again: boolean;
}

/**
 * Claims due jobs with a lease, runs them with bounded concurrency per lane and records
 * every attempt. At-least-once: a worker that dies mid-job loses its lease and the job runs
 * again; a live worker renews the leases of what it runs, so a slow send is never taken over.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly lanes: Lane[];
  private heartbeat: NodeJS.Timeout | null = null;
  private pruning: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly deps: Deps,
    private readonly handlers: JobCatalog,
    private readonly opts: WorkerOptions,
  ) {
    const sizes: Record<JobLane, number> = {
      messages: opts.concurrency,
      webhooks: opts.webhookConcurrency ?? Math.max(1, Math.floor(opts.concurrency / 2)),
    };
    this.lanes = JOB_LANES.map((name) => ({
      name,
      concurrency: sizes[name],
      inFlight: new Map(),
      timer: null,
      ticking: null,
      cursor: { client: '' },
      lapsedAt: Number.NEGATIVE_INFINITY,
      again: false,
    }));
  }

  /** The ids of the jobs this worker is running, in every lane. */
  private runningIds(): string[] {
    return this.lanes.flatMap((l) => [...l.inFlight.keys()]);
  }

  private get leaseMs(): number {
    return this.opts.leaseMs ?? LEASE_MS;
  }

  start(): void {
    this.running = true;
    this.deps.queueSignal.on('enqueued', this.wake);
    // Renewed well before it runs out, so a late renewal still lands in time.
    this.heartbeat = setInterval(this.renew, Math.max(1000, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    // A first pass at start: a worker restarted more often than every PRUNE_EVERY_MS still prunes.
    this.prune();
    this.pruning = setInterval(this.prune, PRUNE_EVERY_MS);
    this.pruning.unref();
    this.wake();
  }

  /** Stops claiming, then waits for in-flight jobs up to `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.deps.queueSignal.off('enqueued', this.wake);
    for (const lane of this.lanes) if (lane.timer) clearTimeout(lane.timer);
    await Promise.all(this.lanes.map((l) => l.ticking));
    const grace = new Promise((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(this.lanes.flatMap((l) => [...l.inFlight.values()])), grace]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.pruning) clearInterval(this.pruning);
  }

  /** Runs due jobs until none is due and none is in flight (for tests and tools). */
  async drain(): Promise<void> {
    for (;;) {
      let claimed = 0;
      for (const lane of this.lanes) claimed += await this.claimAndRun(lane);
      await Promise.all(this.lanes.flatMap((l) => [...l.inFlight.values()]));
      if (claimed === 0 && this.lanes.every((l) => l.inFlight.size === 0)) return;
    }
  }

  private readonly wake = (): void => {
    for (const lane of this.lanes) this.wakeLane(lane);
  };

  private wakeLane(lane: Lane): void {
    if (!this.running) return;
    // Not lost: a wake during a tick (a job queued after its claim looked) ticks again.
    if (lane.ticking) {
      lane.again = true;
      return;
    }
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
    // One turn of the event loop later: the jobs a commit settles together all finish in the
    // same turn, and one claim then fills every slot they freed instead of one claim each.
    lane.ticking = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.running ? this.tick(lane) : undefined))
      .finally(() => {
        lane.ticking = null;
        if (lane.again) {
          lane.again = false;
          this.wakeLane(lane);
        }
      });
  }

  private readonly renew = (): void => {
    const running = this.runningIds();
    if (running.length === 0) return;
    renewLeases(this.deps.db, this.id, this.leaseUntil(this.deps.clock.real()), running).catch((err) =>
      this.deps.log.warn({ err }, 'worker could not renew its leases'),
    );
  };

  /** Finished jobs older than the retention leave the table, a bounded number of batches at a time. */
  private readonly prune = (): void => {
    const before = new Date(this.deps.clock.real().getTime() - FINISHED_RETENTION_MS).toISOString();
    const pass = async () => {
      for (let i = 0; i < PRUNE_BATCHES; i++) {
        if ((await pruneFinishedJobs(this.deps.db, before, PRUNE_BATCH)) < PRUNE_BATCH) return;
      }
    };
    pass()
      .catch((err) => this.deps.log.warn({ err }, 'worker could not prune finished jobs'))
      .then(() => pruneExpired(this.deps))
      .then((pruned) => {
        if (Object.keys(pruned).length > 0) this.deps.log.info({ pruned }, 'pruned rows past RETENTION_DAYS');
      })
      .catch((err) => this.deps.log.warn({ err }, 'worker could not prune rows past RETENTION_DAYS'));
  };

  private async tick(lane: Lane): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.claimAndRun(lane);
    } catch (err) {
      this.deps.log.error({ err, lane: lane.name }, 'worker could not claim jobs');
    }
    // A full lane waits for a run to end: each one that does wakes it.
    if (!this.running || lane.inFlight.size >= lane.concurrency) return;
    // A claim that found jobs looks again at once; otherwise sleep until the next job is due.
    let delay = this.opts.pollMs;
    if (claimed > 0) delay = 0;
    else {
      const next = await nextDueAt(this.deps.db, lane.name).catch(() => null);
      if (next)
        delay = Math.max(0, Math.min(delay, new Date(next).getTime() - this.deps.clock.real().getTime()));
    }
    lane.timer = setTimeout(() => this.wakeLane(lane), delay);
  }

  private async claimAndRun(lane: Lane): Promise<number> {
    const free = lane.concurrency - lane.inFlight.size;
    if (free <= 0) return 0;
    const now = this.deps.clock.real();
    // Sandbox test clocks: a client whose clock was moved has its jobs fall due by its own time.
    const offsets = this.deps.config.SANDBOX ? await clockOffsets(this.deps.db) : new Map<string, number>();
    const clientNow = (clientId: string) =>
      new Date(now.getTime() + (offsets.get(clientId) ?? 0)).toISOString();
    const sinceLapsed = now.getTime() - lane.lapsedAt;
    const lookForLapsed = sinceLapsed >= LAPSED_EVERY_MS || sinceLapsed < 0;
    if (lookForLapsed) lane.lapsedAt = now.getTime();
    const jobs = await claimDue(
      this.deps.db,
      this.id,
      lane.name,
      clientNow,
      this.leaseUntil(now),
      free,
      lane.cursor,
      lookForLapsed ? this.runningIds() : null,
    );
    // As many as there was room for: lapsed jobs may be left, so the next claim looks again.
    if (lookForLapsed && jobs.length === free) lane.lapsedAt = Number.NEGATIVE_INFINITY;
    for (const job of jobs) {
      // A run that cannot even settle (the database gone, a full disk) is logged; its lease
      // lapses and the job runs again.
      const time = { clientId: job.client_id, offsetMs: offsets.get(job.client_id) ?? 0 };
      const p = inClientTime(time, () => this.run(job))
        .catch((err) => this.deps.log.error({ err, job: job.id, kind: job.kind }, 'job could not be settled'))
        .finally(() => {
          lane.inFlight.delete(job.id);
          this.wakeLane(lane);
        });
      lane.inFlight.set(job.id, p);
    }
    return jobs.length;
  }

  /** When a claim made now ends, per kind: the worker's lease, or longer where a kind needs it. */
  private leaseUntil(now: Date): LeaseUntil {
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const byKind: [string, string][] = [];
    for (const kind of JOB_KIND_NAMES) {
      const ms = jobType(kind).leaseMs?.(this.deps.config) ?? 0;
      if (ms > this.leaseMs) byKind.push([kind, at(ms)]);
    }
    return { now: now.toISOString(), default: at(this.leaseMs), byKind };
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
      // updated_at on the server's time: pruning reads it for every client alike.
      return settleJob(trx, row, this.id, s.change, deps.clock.real().toISOString());
    });
    // A worker whose lease ran out no longer owns the job: another has taken it, and that
    // one decides what becomes of it.
    if (!held) {
      deps.log.warn({ job: row.id, kind: row.kind }, 'lease lost before the job was settled');
      return;
    }
    logAttempt(deps, row, outcome, s, duration);
    if (!handler || !s.hook) return;
    const { payload: _payload, ...ref } = row;
    if (s.hook.kind === 'retry') await handler.onRetry?.(deps, ref, s.hook.at, s.hook.error);
    else await handler.onDead?.(deps, ref, s.hook.error);
  }
}
