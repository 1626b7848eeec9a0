import { type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PageRequest } from '../db/keyset.ts';
import { AppError } from '../errors.ts';

const CursorPayload = Type.Object({
  d: Type.Union([Type.Literal('n'), Type.Literal('p')]),
  // The second key is an id (ID_KEY_LENGTH), or a list's own unique text (a suppressed address).
  k: Type.Tuple([Type.String({ maxLength: 40 }), Type.String({ maxLength: 320 })]),
  l: Type.Integer({ minimum: 1, maximum: 200 }),
  f: Type.Unknown(),
});

/** A key's time as this app writes it (PostgreSQL refuses anything it cannot read as a time). */
/** How long a list's second key may be: an id, unless the list says otherwise. */
const ID_KEY_LENGTH = 40;

const isTimestamp = (v: string) => {
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === v;
};

function encode(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * Reads an opaque cursor back into the page it names and the filters it carries;
 * `filters` checks that those are what this list accepts.
 */
export function decodeCursor<F>(
  cursor: string,
  filters: TSchema,
  keyLength = ID_KEY_LENGTH,
): { page: PageRequest; filters: F } {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    payload = undefined;
  }
  if (
    !Value.Check(CursorPayload, payload) ||
    !Value.Check(filters, payload.f) ||
    !isTimestamp(payload.k[0]) ||
    payload.k[1].length > keyLength ||
    JSON.stringify(payload).includes('\\u0000')
  ) {
    throw AppError.field('cursor', 'Invalid cursor.');
  }
  return {
    page: { direction: payload.d === 'n' ? 'next' : 'prev', key: payload.k, limit: payload.l },
    filters: payload.f as F,
  };
}

interface Keyed {
  created_at: string;
  id: string;
}

/**
 * Turns the rows a keyset query returned (up to limit + 1, in the direction asked) into
 * the page envelope with absolute `next` / `previous` URLs.
 */
export function buildPage<R extends Keyed>(
  rows: R[],
  page: PageRequest,
  filters: unknown,
  baseUrl: string,
): { rows: R[]; next: string | null; previous: string | null } {
  const more = rows.length > page.limit;
  let items = rows.slice(0, page.limit);
  if (page.direction === 'prev') items = items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const url = (d: 'n' | 'p', row: Keyed) =>
    `${baseUrl}?cursor=${encode({ d, k: [row.created_at, row.id], l: page.limit, f: filters })}`;

  const hasNext = page.direction === 'next' ? more : items.length > 0;
  const hasPrev = page.direction === 'next' ? page.key !== null && items.length > 0 : more;
  return {
    rows: items,
    next: hasNext && last ? url('n', last) : null,
    previous: hasPrev && first ? url('p', first) : null,
  };
}

const NoFilters = Type.Object({}, { additionalProperties: false });

/**
 * The cursor a `cursor` parameter gives: the bare cursor, or the whole `next` / `previous`
 * URL that carries it, as the hosted API's parameter description reads ("The URL returned in
 * `next` or `previous`"). A cursor never holds `?`; of a URL only its `cursor` counts, not its
 * host or path, and a URL without one names no page (an invalid cursor).
 */
function cursorOf(given: string): string {
  const query = given.indexOf('?');
  if (query < 0) return given;
  return new URLSearchParams(given.slice(query + 1).split('#')[0]).get('cursor') ?? '';
}

/**
 * The page a list request asks for: the one its cursor names (with the filters the cursor
 * carries, checked against `filtersSchema`), or the first page with `firstFilters()` read
 * from the query.
 */
export function readPage<F extends object = Record<string, never>>(
  query: { cursor?: string; limit?: number },
  opts: { filtersSchema?: TSchema; firstFilters?: () => F; defaultLimit?: number; keyLength?: number } = {},
): { page: PageRequest; filters: F } {
  if (query.cursor !== undefined)
    return decodeCursor<F>(cursorOf(query.cursor), opts.filtersSchema ?? NoFilters, opts.keyLength);
  return {
    filters: opts.firstFilters?.() ?? ({} as F),
    page: { direction: 'next', key: null, limit: query.limit ?? opts.defaultLimit ?? 10 },
  };
}

/** One page of a list as the API answers it: `next`, `previous` and the rows presented. */
export function listPage<R extends Keyed, T>(
  rows: R[],
  request: { page: PageRequest; filters: unknown },
  baseUrl: string,
  present: (row: R) => T,
): { next: string | null; previous: string | null; results: T[] } {
  const result = buildPage(rows, request.page, request.filters, baseUrl);
  return { next: result.next, previous: result.previous, results: result.rows.map(present) };
}
