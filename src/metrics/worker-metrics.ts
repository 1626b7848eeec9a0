import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ChannelError } from '../channels/channel.ts';
import type { Deps } from '../deps.ts';
import type { JobCatalog, JobHandler, JobOutcome } from '../queue/jobs.ts';
import { JOB_KIND_NAMES, JOB_LANES } from '../queue/jobs.ts';
import { nextDueAt } from '../queue/queue.repo.ts';
import { countJobsByKind, type JobCountState, QUEUE_COUNT_CAP } from './queue-gauges.repo.ts';

const JOB_STATES: readonly JobCountState[] = ['queued', 'due', 'running', 'dead'];

/** What became of one call to a provider (or one webhook request). */
type AttemptOutcome = 'sent' | 'retry' | 'failed' | 'deferred';

/** The outcome of a provider call that threw, as the job will treat it. */
function refusalOutcome(err: unknown): AttemptOutcome {
  if (err instanceof ChannelError) {
    if (err.retryAfterMs !== null) return 'deferred';
    return err.permanent ? 'failed' : 'retry';
  }
  return 'retry';
}

const WEBHOOK_OUTCOMES: Partial<Record<JobOutcome['kind'], AttemptOutcome>> = {
  done: 'sent',
  retry: 'retry',
  failed: 'failed',
  defer: 'deferred',
};

/**
 * The worker's measures: the queue as the database holds it (read on each scrape), and the
 * attempts this process made, by channel and outcome, with the provider's latency.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly attempts: Counter<'channel' | 'outcome'>;
  private readonly latency: Histogram<'channel'>;
  private readonly webhookFailures: Counter;

  constructor(deps: Pick<Deps, 'db' | 'clock' | 'log'>) {
    const registers = [this.registry];
    this.attempts = new Counter({
      name: 'invitekit_attempts_total',
      help: 'Sends this worker attempted, by channel (email, sms, webhook) and outcome (sent, retry, failed, deferred).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'invitekit_provider_duration_seconds',
      help: 'Time the provider (SMTP relay, Twilio, webhook receiver) took to answer, by channel.',
      labelNames: ['channel'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.webhookFailures = new Counter({
      name: 'invitekit_webhook_failures_total',
      help: 'Webhook requests that did not succeed (no answer, or an answer other than 2xx).',
      registers,
    });
    const { db, clock, log } = deps;
    new Gauge({
      name: 'invitekit_jobs',
      help: `Jobs by kind and state (queued, due: queued and due now, running, dead); each count stops at ${QUEUE_COUNT_CAP}.`,
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        const now = clock.real().toISOString();
        try {
          const counts = await Promise.all(JOB_STATES.map((state) => countJobsByKind(db, state, now)));
          this.reset();
          for (const [i, state] of JOB_STATES.entries()) {
            for (const kind of JOB_KIND_NAMES) this.set({ kind, state }, 0);
            for (const { kind, n } of counts[i] ?? []) this.set({ kind, state }, n);
          }
        } catch (err) {
          log.warn({ err }, 'metrics could not read the queue');
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'invitekit_oldest_due_job_age_seconds',
      help: 'How long the longest-waiting due job has been due (0 when none is).',
      registers,
      async collect() {
        const now = clock.real().getTime();
        try {
          const earliest = await Promise.all(JOB_LANES.map((lane) => nextDueAt(db, lane)));
          const due = earliest.flatMap((at) => (at ? [new Date(at).getTime()] : [])).filter((t) => t <= now);
          this.set(due.length ? (now - Math.min(...due)) / 1000 : 0);
        } catch (err) {
          log.warn({ err }, 'metrics could not read the queue');
          this.reset();
        }
      },
    });
  }

  /** The same channels, each send counted and timed. */
  observeChannels(channels: Deps['channels']): Deps['channels'] {
    const { email, sms } = channels;
    return {
      email: {
        get name() {
          return email.name;
        },
        send: (message) => this.timed('email', () => email.send(message)),
        close: () => email.close(),
      },
      sms: {
        get name() {
          return sms.name;
        },
        get sender() {
          return sms.sender;
        },
        send: (message) => this.timed('sms', () => sms.send(message)),
      },
    };
  }

  /** The same handlers; webhook sends counted and timed by what they came to. */
  observeJobs(catalog: JobCatalog): JobCatalog {
    const webhook = catalog['webhook.send'];
    const observed: JobHandler<'webhook.send'> = {
      ...webhook,
      run: async (deps, job) => {
        const t0 = performance.now();
        // A handler that throws is retried by the worker: counted as a retry.
        let counted: AttemptOutcome | undefined = 'retry';
        try {
          const outcome = await webhook.run(deps, job);
          counted = WEBHOOK_OUTCOMES[outcome.kind];
          return outcome;
        } finally {
          if (counted) {
            this.latency.observe({ channel: 'webhook' }, (performance.now() - t0) / 1000);
            this.attempts.inc({ channel: 'webhook', outcome: counted });
            if (counted === 'retry' || counted === 'failed') this.webhookFailures.inc();
          }
        }
      },
    };
    return { ...catalog, 'webhook.send': observed };
  }

  private async timed<T>(channel: 'email' | 'sms', send: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    let outcome: AttemptOutcome = 'sent';
    try {
      return await send();
    } catch (err) {
      outcome = refusalOutcome(err);
      throw err;
    } finally {
      this.latency.observe({ channel }, (performance.now() - t0) / 1000);
      this.attempts.inc({ channel, outcome });
    }
  }
}
