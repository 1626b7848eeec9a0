import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

// Far deeper than any body of this API, and shallow enough that nothing walking a body
// (validation, idempotency fingerprints, JSON columns) can run out of stack.
const MAX_DEPTH = 64;

const BOM = 0xfeff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** Whether JSON text opens more than `max` arrays or objects one inside another; brackets in strings do not count. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** Why the text is not taken: the parser's own words, or else the prototype keys it holds. */
function parseErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return 'Object contains forbidden prototype property';
}

type Done = (err: Error | null, body?: unknown) => void;
type JsonParser = (req: FastifyRequest, body: string, done: Done) => void;

/**
 * The application/json parser: Fastify's own, which refuses `__proto__` and
 * `constructor.prototype` keys (they would poison objects built from the body), behind a
 * bound on nesting. An empty body is no body; every refusal is `JSON parse error - ...`.
 */
export function jsonBodyParser(app: FastifyInstance): JsonParser {
  const secureParse = app.getDefaultJsonParser('error', 'error') as JsonParser;
  return (req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (nestedDeeperThan(text, MAX_DEPTH)) {
      return done(
        AppError.badRequest(
          `JSON parse error - Nested too deeply: more than ${MAX_DEPTH} levels of arrays and objects.`,
        ),
        undefined,
      );
    }
    const refuse = () => done(AppError.badRequest(`JSON parse error - ${parseErrorOf(text)}`), undefined);
    // A byte order mark is refused, as DRF refuses it (RFC 8259: senders must not add one);
    // the secure parser would skip it.
    if (text.charCodeAt(0) === BOM) return refuse();
    secureParse(req, text, (err, value) => (err ? refuse() : done(null, value)));
  };
}
