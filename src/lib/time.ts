const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO 8601 UTC with milliseconds and `Z`, as the wire format requires. */
export function iso(value: Date | string | number): string {
  // Stored timestamps already have this form; re-parsing every one costs measurably in lists.
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoOrNull(value: Date | string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

const DAY = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * A calendar date typed as YYYY-MM-DD, as its midnight UTC; null when it is no such date or its
 * year lies outside 1000–9998 (what every database we store in reads, with a day to spare).
 */
export function dayStart(value: string): Date | null {
  const m = DAY.exec(value);
  if (!m || Number(m[1]) < 1000 || Number(m[1]) > 9998) return null;
  const d = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}
