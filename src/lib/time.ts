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
