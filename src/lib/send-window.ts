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
 * The instant whose wall-clock time in `timeZone` is `wall`. The offset at a first guess may
 * differ from the offset at the answer near a daylight-saving change, so try both; a time the
 * change skips (02:30 on a spring-forward night) has neither, and lands just after the gap.
 */
function instantOf(wall: number, timeZone: string): number {
  const first = wall - (wallClock(wall, timeZone) - wall);
  const second = wall - (wallClock(first, timeZone) - first);
  if (wallClock(second, timeZone) === wall) return second;
  if (wallClock(first, timeZone) === wall) return first;
  return Math.max(first, second);
}

/** `at` itself when it falls inside the window, else the window's next opening. */
export function nextInWindow(at: Date, window: SendWindow): Date {
  const wall = wallClock(at.getTime(), window.timezone);
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  const minute = (wall - midnight) / MINUTE;
  const start = minutesOf(window.start);
  if (minute >= start && minute < minutesOf(window.end)) return at;
  const day = minute < start ? midnight : midnight + DAY;
  return new Date(instantOf(day + start * MINUTE, window.timezone));
}
