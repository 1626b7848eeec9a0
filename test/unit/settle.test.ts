import { describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../src/queue/jobs.ts';
import { MESSAGE_RETRY_SCHEDULE, WEBHOOK_RETRY_SCHEDULE } from '../../src/queue/jobs.ts';
import { settlementOf } from '../../src/queue/settle.ts';

const NOW = new Date('2024-05-10T12:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('settlementOf', () => {
  it('ends a job that was done, clearing its last error, with no hook', () => {
    expect(settlementOf({ kind: 'done', response: 'queued' }, 1, MESSAGE_RETRY_SCHEDULE, NOW)).toEqual({
      change: { status: 'done', last_error: null },
      recorded: 'sent',
      error: null,
    });
  });

  it('ends a cancelled job with its reason, with no hook', () => {
    expect(
      settlementOf({ kind: 'cancelled', reason: 'invite revoked' }, 2, MESSAGE_RETRY_SCHEDULE, NOW),
    ).toEqual({
      change: { status: 'cancelled', last_error: 'invite revoked' },
      recorded: 'cancelled',
      error: 'invite revoked',
    });
  });

  it('requeues a deferred job at its time and gives the attempt back', () => {
    const until = later(45_000);
    const s = settlementOf({ kind: 'defer', until, reason: 'pacing' }, 3, MESSAGE_RETRY_SCHEDULE, NOW);
    expect(s).toEqual({
      change: { status: 'queued', run_at: until.toISOString(), attempts: 2 },
      recorded: 'deferred',
      error: 'pacing',
    });
    expect(s.hook).toBeUndefined();
    expect('payload' in s.change).toBe(false);
  });

  it('keeps the new payload of a deferral as JSON', () => {
    const until = later(1_000);
    const payload = { slot: 1715342401000, slotAttempt: 2 };
    const s = settlementOf({ kind: 'defer', until, reason: '429', payload }, 1, MESSAGE_RETRY_SCHEDULE, NOW);
    expect(s.change.attempts).toBe(0);
    expect(s.change.payload).toBe(JSON.stringify(payload));
    expect(JSON.parse(s.change.payload!)).toEqual(payload);
  });

  it('dead-letters a refused job at once, whatever the attempt, and runs the dead hook', () => {
    const s = settlementOf({ kind: 'failed', error: 'invalid number' }, 1, MESSAGE_RETRY_SCHEDULE, NOW);
    expect(s).toEqual({
      change: { status: 'dead', last_error: 'invalid number' },
      recorded: 'failed',
      error: 'invalid number',
      hook: { kind: 'dead', error: 'invalid number' },
    });
  });

  it.each(MESSAGE_RETRY_SCHEDULE.map((wait, i) => [i + 1, wait]))(
    'retries after attempt %i in %i ms and runs the retry hook',
    (attempts, wait) => {
      const outcome: JobOutcome = { kind: 'retry', error: 'timeout' };
      const at = later(wait);
      expect(settlementOf(outcome, attempts, MESSAGE_RETRY_SCHEDULE, NOW)).toEqual({
        change: { status: 'queued', run_at: at.toISOString(), last_error: 'timeout' },
        recorded: 'retry',
        error: 'timeout',
        hook: { kind: 'retry', at, error: 'timeout' },
      });
    },
  );

  it('waits 10 s after the first attempt and 6 h after the sixth', () => {
    const retry: JobOutcome = { kind: 'retry', error: 'x' };
    expect(settlementOf(retry, 1, MESSAGE_RETRY_SCHEDULE, NOW).change.run_at).toBe(
      '2024-05-10T12:00:10.000Z',
    );
    expect(settlementOf(retry, 6, MESSAGE_RETRY_SCHEDULE, NOW).change.run_at).toBe(
      '2024-05-10T18:00:00.000Z',
    );
  });

  it('dead-letters a job past the end of the schedule, saying how many attempts it had', () => {
    const attempts = MESSAGE_RETRY_SCHEDULE.length + 1;
    expect(attempts).toBe(7);
    const final = 'gave up after 7 attempts: SMTP 421 try later';
    expect(
      settlementOf({ kind: 'retry', error: 'SMTP 421 try later' }, attempts, MESSAGE_RETRY_SCHEDULE, NOW),
    ).toEqual({
      change: { status: 'dead', last_error: final },
      recorded: 'failed',
      error: final,
      hook: { kind: 'dead', error: final },
    });
  });

  it('gives webhooks one retry more than messages', () => {
    const retry: JobOutcome = { kind: 'retry', error: 'HTTP 502' };
    const seventh = settlementOf(retry, 7, WEBHOOK_RETRY_SCHEDULE, NOW);
    expect(seventh.change).toEqual({
      status: 'queued',
      run_at: later(15 * 3600_000).toISOString(),
      last_error: 'HTTP 502',
    });
    expect(settlementOf(retry, 8, WEBHOOK_RETRY_SCHEDULE, NOW).error).toBe(
      'gave up after 8 attempts: HTTP 502',
    );
  });
});
