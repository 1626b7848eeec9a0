import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, withinLimit } from '../../src/http/rate-limit.ts';

const WINDOW = 60_000;

interface Counts {
  current: number;
  previous: number;
}

/**
 * Whether one more request fits `waitMs` after a moment `elapsed` ms into the current window
 * with `counts` already counted, when nothing else is counted meanwhile: windows that end
 * pass their count on as the previous one.
 */
function fitsAfter(counts: Counts, elapsed: number, limit: number, waitMs: number): boolean {
  let at = elapsed + waitMs;
  let { current, previous } = counts;
  while (at >= WINDOW) {
    previous = current;
    current = 0;
    at -= WINDOW;
  }
  return withinLimit({ current: current + 1, previous }, at, limit);
}

describe('withinLimit', () => {
  it('allows exactly the limit in a window with an empty previous one, and not one more', () => {
    for (const elapsed of [0, 1, 30_000, 59_999]) {
      expect(withinLimit({ current: 60, previous: 0 }, elapsed, 60)).toBe(true);
      expect(withinLimit({ current: 61, previous: 0 }, elapsed, 60)).toBe(false);
    }
  });

  it('weighs the whole previous window at the start of the current one', () => {
    expect(withinLimit({ current: 30, previous: 30 }, 0, 60)).toBe(true);
    expect(withinLimit({ current: 31, previous: 30 }, 0, 60)).toBe(false);
    expect(withinLimit({ current: 1, previous: 60 }, 0, 60)).toBe(false);
  });

  it('weighs the previous window by the share of it still inside the last minute', () => {
    // Half-way: 60 previous requests weigh 30.
    expect(withinLimit({ current: 30, previous: 60 }, 30_000, 60)).toBe(true);
    expect(withinLimit({ current: 31, previous: 60 }, 30_000, 60)).toBe(false);
    // A quarter of the way: 40 previous requests weigh 30.
    expect(withinLimit({ current: 30, previous: 40 }, 15_000, 60)).toBe(true);
    expect(withinLimit({ current: 31, previous: 40 }, 15_000, 60)).toBe(false);
  });

  it('counts the last millisecond of the previous window exactly, without rounding it away', () => {
    expect(withinLimit({ current: 60, previous: 1 }, 59_999, 60)).toBe(false);
    expect(withinLimit({ current: 59, previous: 60 }, 59_999, 60)).toBe(true);
    expect(withinLimit({ current: 60, previous: 0 }, 59_999, 60)).toBe(true);
  });

  it('refuses everything over a limit of 1 once a request is counted', () => {
    expect(withinLimit({ current: 1, previous: 0 }, 0, 1)).toBe(true);
    expect(withinLimit({ current: 2, previous: 0 }, 0, 1)).toBe(false);
    expect(withinLimit({ current: 1, previous: 1 }, 59_999, 1)).toBe(false);
  });
});

describe('retryAfterSeconds', () => {
  it('tells a client over a full window to wait into the next one', () => {
    // 60 counted at the start of the window: in the next window they weigh 60, falling by one a
    // second, so one more fits 1 s into it.
    expect(retryAfterSeconds({ current: 60, previous: 0 }, 0, 60)).toBe(61);
    expect(retryAfterSeconds({ current: 60, previous: 0 }, 59_000, 60)).toBe(2);
  });

  it("waits only for the previous window's weight to fall when the current one has room", () => {
    // Half-way with 60 previous (weighing 30) and 30 current: 1 s more makes it weigh 29.
    expect(retryAfterSeconds({ current: 30, previous: 60 }, 30_000, 60)).toBe(1);
    // At the start with 60 previous and 30 current: the previous weight must drop to 29.
    expect(retryAfterSeconds({ current: 30, previous: 60 }, 0, 60)).toBe(31);
  });

  it('never answers less than 1 second', () => {
    expect(retryAfterSeconds({ current: 0, previous: 0 }, 0, 60)).toBe(1);
    expect(retryAfterSeconds({ current: 59, previous: 60 }, 59_999, 60)).toBe(1);
  });

  it('waits two windows at a limit of 1 when a request was counted in this one', () => {
    const seconds = retryAfterSeconds({ current: 1, previous: 0 }, 0, 1);
    expect(seconds).toBe(120);
    expect(fitsAfter({ current: 1, previous: 0 }, 0, 1, seconds * 1000)).toBe(true);
    expect(fitsAfter({ current: 1, previous: 0 }, 0, 1, (seconds - 1) * 1000)).toBe(false);
  });

  it('is a wait after which the request fits, and not one second before', () => {
    const limits = [1, 2, 3, 7, 60, 1000];
    const elapsedValues = [
      0, 1, 500, 999, 1000, 1001, 15_000, 29_999, 30_000, 30_001, 59_000, 59_001, 59_999,
    ];
    const failures: string[] = [];
    let refused = 0;
    for (const limit of limits) {
      const amounts = [0, 1, 2, limit - 1, limit, limit + 1, 2 * limit, 3 * limit + 7].filter((n) => n >= 0);
      for (const previous of amounts) {
        for (const current of amounts) {
          for (const elapsed of elapsedValues) {
            const counts = { current, previous };
            if (withinLimit({ current: current + 1, previous }, elapsed, limit)) continue;
            refused++;
            const seconds = retryAfterSeconds(counts, elapsed, limit);
            const at = `limit ${limit}, counts ${JSON.stringify(counts)}, elapsed ${elapsed}: ${seconds} s`;
            if (!Number.isInteger(seconds) || seconds < 1) failures.push(`${at} is not a whole second >= 1`);
            else if (!fitsAfter(counts, elapsed, limit, seconds * 1000)) failures.push(`${at} is too short`);
            else if (seconds > 1 && fitsAfter(counts, elapsed, limit, (seconds - 1) * 1000)) {
              failures.push(`${at} is 1 s too long`);
            }
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});
