/**
 * Masks what must never reach a log in full: email addresses, phone numbers, JWTs (user
 * tokens) and HTTP credentials. Log lines are built from route patterns and ids, so this
 * is the net under them, for text that comes from elsewhere (error messages, driver errors).
 */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const E164 = /\+\d{7,15}\b/g;
const NANP = /(?<![\w-])\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w-])/g;
const JWT = /\beyJ[\w-]{5,}\.[\w-]+\.[\w-]+/g;
const CREDENTIALS = /\b(Basic|Bearer)\s+[\w+/=.~-]+/gi;

export function maskText(text: string): string {
  return text
    .replace(JWT, '[token]')
    .replace(CREDENTIALS, '$1 [redacted]')
    .replace(EMAIL, '***@$1')
    .replace(E164, (m) => `+***${m.slice(-2)}`)
    .replace(NANP, (m) => `***${m.slice(-2)}`);
}

/** A copy of a log object with every string in it masked (to a bounded depth). */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  if (value instanceof Error || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth + 1);
  return out;
}
