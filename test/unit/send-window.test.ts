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
    // the opening falls to 03:30 EDT, never to 01:30 EST (before the window).
    const next = nextInWindow(new Date('2026-03-08T05:00:00.000Z'), early);
    expect(next.toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
});
