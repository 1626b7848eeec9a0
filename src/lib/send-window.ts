/** Hours of the day, in one time zone, when messages may go out: `start` ≤ local time < `end`. */
export interface SendWindow {
  /** `HH:MM`, 24 h. */
  start: string;
  /** `HH:MM`, later than `start`: a window does not wrap midnight. */
  end: string;
  /** An IANA zone, e.g. `America/New_York`. */
  timezone: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at `ms`, written as if it were UTC (so date arithmetic works on it). */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms % 1000);
}

/**
 * The instant whose wall-clock time in `timeZone` is `wall`, not before `notBefore` where
 * that can be. Near a daylight-saving change the offsets either side are tried. A time the
 * autumn change repeats has two instants: the earlier one not before `notBefore`. A time the spring change skips (02:30)
 * has none: the first instant after the gap (03:00).
 */
function instantOf(wall: number, timeZone: string, notBefore: number): number {
  // The zone's offsets a day either side: the same, or the two sides of a change.
  const offsets = [wall - DAY, wall + DAY].map((t) => wallClock(t, timeZone) - t);
  const candidates = [...new Set(offsets.map((o) => wall - o))].sort((a, b) => a - b);
  const matches = candidates.filter((c) => wallClock(c, timeZone) === wall);
  if (matches.length > 0) return matches.find((c) => c >= notBefore) ?? (matches.at(-1) as number);
  let lo = candidates[0] ?? wall;
  let hi = candidates.at(-1) ?? wall;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** `at` itself when it falls inside the window, else the window's next opening. */
export function nextInWindow(at: Date, window: SendWindow): Date {
  const wall = wallClock(at.getTime(), window.timezone);
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  const minute = (wall - midnight) / MINUTE;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (minute >= start && minute < end) return at;
  let day = minute < start ? midnight : midnight + DAY;
  for (;;) {
    const opening = instantOf(day + start * MINUTE, window.timezone, at.getTime());
    // A window that a spring-forward gap swallows whole (02:30-03:00) is not open that day.
    const openingWall = wallClock(opening, window.timezone);
    if ((openingWall - day) / MINUTE < end) return new Date(opening);
    day += DAY;
  }
}
