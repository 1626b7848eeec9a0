import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../../src/db/keyset.ts';
import { AppError } from '../../src/errors.ts';
import { buildPage, decodeCursor, readPage } from '../../src/http/pagination.ts';

const BASE = 'https://api.example.com/v2/invites';
const Filters = Type.Object(
  { status: Type.Optional(Type.String()), email: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
type Filters = { status?: string; email?: string };

/** Rows as a keyset query returns them, newest first: row 0 is the newest. */
const rows = Array.from({ length: 6 }, (_, i) => ({
  id: `0190a0b0-0000-7000-8000-00000000000${i}`,
  created_at: new Date(Date.UTC(2024, 4, 10, 12, 0, 60 - i)).toISOString(),
  name: `row ${i}`,
}));
const row = (i: number) => rows[i]!;

function cursorOf(url: string | null): string {
  expect(url).not.toBeNull();
  expect(url!.startsWith(`${BASE}?cursor=`)).toBe(true);
  const cursor = new URL(url!).searchParams.get('cursor');
  expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  return cursor!;
}

const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
const valid = { d: 'n', k: [row(1).created_at, row(1).id], l: 2, f: { status: 'sent' } };

function expectInvalidCursor(cursor: string, schema = Filters) {
  let error: unknown;
  try {
    decodeCursor(cursor, schema);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).statusCode).toBe(400);
  expect((error as AppError).body).toEqual({ cursor: ['Invalid cursor.'] });
}

describe('buildPage', () => {
  const first: PageRequest = { direction: 'next', key: null, limit: 2 };
  const filters = { status: 'sent', email: 'a+b@example.com' };

  it('gives the first page a next link to the rows after its last one, and no previous link', () => {
    const page = buildPage(rows.slice(0, 3), first, filters, BASE);
    expect(page.rows).toEqual([row(0), row(1)]);
    expect(page.previous).toBeNull();
    expect(decodeCursor<Filters>(cursorOf(page.next), Filters)).toEqual({
      page: { direction: 'next', key: [row(1).created_at, row(1).id], limit: 2 },
      filters,
    });
  });

  it('gives a first page that holds everything no links', () => {
    const page = buildPage(rows.slice(0, 2), first, filters, BASE);
    expect(page.rows).toEqual([row(0), row(1)]);
    expect(page.next).toBeNull();
    expect(page.previous).toBeNull();
  });

  it('gives a later page a previous link to the rows before its first one', () => {
    const request: PageRequest = { direction: 'next', key: [row(1).created_at, row(1).id], limit: 2 };
    const page = buildPage(rows.slice(2, 5), request, filters, BASE);
    expect(page.rows).toEqual([row(2), row(3)]);
    expect(decodeCursor<Filters>(cursorOf(page.next), Filters)).toEqual({
      page: { direction: 'next', key: [row(3).created_at, row(3).id], limit: 2 },
      filters,
    });
    expect(decodeCursor<Filters>(cursorOf(page.previous), Filters)).toEqual({
      page: { direction: 'prev', key: [row(2).created_at, row(2).id], limit: 2 },
      filters,
    });
  });

  it('gives the last page no next link', () => {
    const request: PageRequest = { direction: 'next', key: [row(3).created_at, row(3).id], limit: 2 };
    const page = buildPage(rows.slice(4, 6), request, filters, BASE);
    expect(page.rows).toEqual([row(4), row(5)]);
    expect(page.next).toBeNull();
    expect(decodeCursor<Filters>(cursorOf(page.previous), Filters).page).toEqual({
      direction: 'prev',
      key: [row(4).created_at, row(4).id],
      limit: 2,
    });
  });

  it('gives an empty page after the end no links', () => {
    const request: PageRequest = { direction: 'next', key: [row(5).created_at, row(5).id], limit: 2 };
    expect(buildPage([], request, filters, BASE)).toEqual({ rows: [], next: null, previous: null });
  });

  it('going back, shows the rows newest first and links both ways while there are newer rows', () => {
    const request: PageRequest = { direction: 'prev', key: [row(4).created_at, row(4).id], limit: 2 };
    // Going back the query returns the rows oldest first, one more than the limit.
    const page = buildPage([row(3), row(2), row(1)], request, filters, BASE);
    expect(page.rows).toEqual([row(2), row(3)]);
    expect(decodeCursor<Filters>(cursorOf(page.next), Filters).page).toEqual({
      direction: 'next',
      key: [row(3).created_at, row(3).id],
      limit: 2,
    });
    expect(decodeCursor<Filters>(cursorOf(page.previous), Filters).page).toEqual({
      direction: 'prev',
      key: [row(2).created_at, row(2).id],
      limit: 2,
    });
  });

  it('going back to the first page, has no previous link', () => {
    const request: PageRequest = { direction: 'prev', key: [row(2).created_at, row(2).id], limit: 2 };
    const page = buildPage([row(1), row(0)], request, filters, BASE);
    expect(page.rows).toEqual([row(0), row(1)]);
    expect(page.previous).toBeNull();
    expect(decodeCursor<Filters>(cursorOf(page.next), Filters).page.key).toEqual([
      row(1).created_at,
      row(1).id,
    ]);
  });

  it('carries filters with any characters through the cursor unchanged', () => {
    const odd = { status: 'a b&c=d?e#f/ü', email: 'x"y\'z@example.com' };
    const page = buildPage(rows.slice(0, 3), first, odd, BASE);
    expect(decodeCursor<Filters>(cursorOf(page.next), Filters).filters).toEqual(odd);
  });
});

describe('readPage', () => {
  it('without a cursor, asks for the first page with the default limit of 10', () => {
    expect(readPage({})).toEqual({ page: { direction: 'next', key: null, limit: 10 }, filters: {} });
  });

  it("without a cursor, uses the query's limit, else the list's default", () => {
    expect(readPage({ limit: 25 }).page.limit).toBe(25);
    expect(readPage({}, { defaultLimit: 50 }).page.limit).toBe(50);
    expect(readPage({ limit: 3 }, { defaultLimit: 50 }).page.limit).toBe(3);
  });

  it('without a cursor, takes the filters from the query', () => {
    const read = readPage<Filters>({}, { filtersSchema: Filters, firstFilters: () => ({ status: 'sent' }) });
    expect(read).toEqual({ page: { direction: 'next', key: null, limit: 10 }, filters: { status: 'sent' } });
  });

  it('with a cursor, asks for the page and the filters the cursor names', () => {
    const read = readPage<Filters>(
      { cursor: encode(valid), limit: 100 },
      { filtersSchema: Filters, firstFilters: () => ({ status: 'other' }), defaultLimit: 50 },
    );
    expect(read).toEqual({
      page: { direction: 'next', key: [row(1).created_at, row(1).id], limit: 2 },
      filters: { status: 'sent' },
    });
  });

  it('for a list without filters, accepts a cursor with none and refuses one with some', () => {
    const none = encode({ ...valid, f: {} });
    expect(readPage({ cursor: none }).filters).toEqual({});
    let error: unknown;
    try {
      readPage({ cursor: encode(valid) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).body).toEqual({ cursor: ['Invalid cursor.'] });
  });
});

describe('decodeCursor refuses a cursor it did not write', () => {
  const good = encode(valid);

  it('accepts the untouched cursor', () => {
    expect(decodeCursor(good, Filters).filters).toEqual({ status: 'sent' });
  });

  it.each([
    ['empty', ''],
    ['truncated', good.slice(0, -4)],
    ['cut in half', good.slice(0, Math.floor(good.length / 2))],
    ['tampered', `f${good.slice(1)}`],
    ['not base64url', '!!!not*a*cursor!!!'],
    ['base64url of plain text', Buffer.from('hello world').toString('base64url')],
    ['a JSON string', encode('hello')],
    ['JSON null', encode(null)],
    ['a JSON array', encode([])],
  ])('%s', (_, cursor) => {
    expectInvalidCursor(cursor);
  });

  it.each([
    ['an unknown direction', { ...valid, d: 'x' }],
    ['a limit of 0', { ...valid, l: 0 }],
    ['a limit over 200', { ...valid, l: 201 }],
    ['a fractional limit', { ...valid, l: 2.5 }],
    ['a key of one part', { ...valid, k: [row(1).created_at] }],
    ['an over-long id', { ...valid, k: [row(1).created_at, 'x'.repeat(41)] }],
    ['a null character', { ...valid, k: [row(1).created_at, 'a\u0000b'] }],
    ['no filters', { d: valid.d, k: valid.k, l: valid.l }],
    ['filters of the wrong type', { ...valid, f: { status: 5 } }],
    ['a filter the list does not have', { ...valid, f: { status: 'sent', other: 'x' } }],
    ['filters that are not an object', { ...valid, f: 'status=sent' }],
  ])('with %s', (_, payload) => {
    expectInvalidCursor(encode(payload));
  });

  it.each([
    ['a date without a time', '2024-05-10'],
    ['a time without a zone', '2024-05-10T12:00:00'],
    ['an offset instead of Z', '2024-05-10T12:00:00.000+00:00'],
    ['a time without milliseconds', '2024-05-10T12:00:00Z'],
    ['an impossible date', '2024-02-30T12:00:00.000Z'],
    ['words', 'yesterday'],
    ['an empty time', ''],
  ])('whose key time is %s', (_, time) => {
    expectInvalidCursor(encode({ ...valid, k: [time, row(1).id] }));
  });
});
