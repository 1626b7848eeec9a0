import { describe, expect, it } from 'vitest';
import { nextInWindow } from '../../src/lib/send-window.ts';

const NY = { start: '09:00', end: '18:00', timezone: 'America/New_York' };
const at = (s: string) => nextInWindow(new Date(s), NY).toISOString();

describe('the send window', () => {
  it('lets a time inside the window through as it is', () => {
    // 10:30 in New York (EST, UTC-5).
    expect(at('2026-01-15T15:30:00.000Z')).toBe('2026-01-15T15:30:00.000Z');
    // The opening minute is inside; the closing one is not.
    expect(at('2026-01-15T14:00:00.000Z')).toBe('2026-01-15T14:00:00.000Z');
    expect(at('2026-01-15T23:00:00.000Z')).toBe('2026-01-16T14:00:00.000Z');
  });

  it('waits for the same day’s opening before it, the next day’s after it', () => {
    // 03:00 in New York → 09:00 that day.
    expect(at('2026-01-15T08:00:00.000Z')).toBe('2026-01-15T14:00:00.000Z');
    // 20:00 in New York, already the next day in UTC → 09:00 the next New York day.
    expect(at('2026-01-16T01:00:00.000Z')).toBe('2026-01-16T14:00:00.000Z');
  });

  it('follows daylight saving time in the zone', () => {
    // In July New York is UTC-4: 09:00 is 13:00 UTC.
    expect(at('2026-07-15T05:00:00.000Z')).toBe('2026-07-15T13:00:00.000Z');
    // Across the spring change (8 March 2026): 20:00 EST on the 7th → 09:00 EDT on the 8th.
    expect(at('2026-03-08T01:00:00.000Z')).toBe('2026-03-08T13:00:00.000Z');
    // Across the autumn change (1 November 2026): 20:00 EDT on the 31st → 09:00 EST.
    expect(at('2026-11-01T00:00:00.000Z')).toBe('2026-11-01T14:00:00.000Z');
  });

  it('works east of UTC, where the local day starts before the UTC one', () => {
    const tokyo = { start: '08:30', end: '17:00', timezone: 'Asia/Tokyo' };
    // 23:00 UTC on the 15th is 08:00 on the 16th in Tokyo → 08:30 there.
    expect(nextInWindow(new Date('2026-01-15T23:00:00.000Z'), tokyo).toISOString()).toBe(
      '2026-01-15T23:30:00.000Z',
    );
  });

  it('lands just after a skipped hour when the window opens inside it', () => {
    const early = { start: '02:30', end: '05:00', timezone: 'America/New_York' };
    // 02:30 does not exist on 8 March 2026 in New York: the clocks go from 02:00 to 03:00, so
    // the window opens with the first minute after the gap, 03:00 EDT, never at 01:30 EST.
    const next = nextInWindow(new Date('2026-03-08T05:00:00.000Z'), early);
    expect(next.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('never answers a time before the one it was asked about when the autumn change repeats an hour', () => {
    const early = { start: '01:30', end: '05:00', timezone: 'America/New_York' };
    // 01:04 EST on 1 November 2026, the second time 01:04 comes round: the window opens at
    // 01:30 EST (06:30Z), not at the 01:30 EDT that has already passed (05:30Z).
    expect(nextInWindow(new Date('2026-11-01T06:04:00.000Z'), early).toISOString()).toBe(
      '2026-11-01T06:30:00.000Z',
    );
    // Before the change, the first 01:30 (EDT) is the opening.
    expect(nextInWindow(new Date('2026-11-01T05:04:00.000Z'), early).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });
});

describe('the send window around every 2026 daylight-saving change', () => {
  // Each zone with the days around its two changes in 2026.
  const zones = {
    'America/New_York': ['2026-03-06', '2026-03-10', '2026-10-30', '2026-11-03'],
    'Europe/London': ['2026-03-27', '2026-03-31', '2026-10-23', '2026-10-27'],
    'Australia/Sydney': ['2026-04-03', '2026-04-07', '2026-10-02', '2026-10-06'],
  } as const;
  const windows = [
    ['09:00', '18:00'],
    ['00:30', '03:30'],
    ['01:30', '05:00'],
    ['02:30', '03:00'],
  ] as const;
  const formats = new Map<string, Intl.DateTimeFormat>();
  const wall = (ms: number, timeZone: string) => {
    let f = formats.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      formats.set(timeZone, f);
    }
    return f.format(new Date(ms));
  };

  it('answers the asked time inside the window, else the first later minute the window is open', () => {
    const MINUTE = 60_000;
    for (const [timezone, [a, b, c, d]] of Object.entries(zones) as [
      string,
      readonly [string, string, string, string],
    ][]) {
      for (const [start, end] of windows) {
        const w = { start, end, timezone };
        const open = (ms: number) => {
          const hhmm = wall(ms, timezone);
          return hhmm >= start && hhmm < end;
        };
        for (const [from, to] of [
          [a, b],
          [c, d],
        ] as const) {
          for (let ms = Date.parse(from); ms < Date.parse(to); ms += 11 * MINUTE) {
            const next = nextInWindow(new Date(ms), w).getTime();
            const where = `${timezone} ${start}-${end} at ${new Date(ms).toISOString()}`;
            expect(next, where).toBeGreaterThanOrEqual(ms);
            if (open(ms)) expect(next, where).toBe(ms);
            else {
              expect(open(next), where).toBe(true);
              // Nothing open in between, on the minute.
              const firstMinute = Math.ceil(ms / MINUTE) * MINUTE;
              expect(open(next - MINUTE) && next - MINUTE >= firstMinute, where).toBe(false);
            }
          }
        }
      }
    }
  });
});
