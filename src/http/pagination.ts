import { type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../errors.ts';

/** Where a page starts: after `key` going older ('next') or newer ('prev'); no key is the first page. */
export interface PageRequest {
  direction: 'next' | 'prev';
  key: [createdAt: string, id: string] | null;
  limit: number;
}

const CursorPayload = Type.Object({
  d: Type.Union([Type.Literal('n'), Type.Literal('p')]),
  k: Type.Tuple([Type.String({ maxLength: 40 }), Type.String({ maxLength: 40 })]),
  l: Type.Integer({ minimum: 1, maximum: 200 }),
  f: Type.Unknown(),
});

/** A key's time as this app writes it (PostgreSQL refuses anything it cannot read as a time). */
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
export function decodeCursor<F>(cursor: string, filters: TSchema): { page: PageRequest; filters: F } {
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
