import { type SelectQueryBuilder, sql } from 'kysely';

/** Where a page starts: after `key` going older ('next') or newer ('prev'); no key is the first page. */
export interface PageRequest {
  direction: 'next' | 'prev';
  key: [createdAt: string, id: string] | null;
  limit: number;
}

/**
 * Applies keyset pagination on (created_at, id), newest first, to a query, on the
 * columns named (qualified when the query joins).
 * Fetches one row more than the limit so the caller knows whether another page exists.
 */
// biome-ignore lint/suspicious/noExplicitAny: works over any table with created_at and id
export function keyset<Q extends SelectQueryBuilder<any, any, any>>(
  qb: Q,
  columns: { createdAt: string; id: string },
  page: PageRequest,
): Q {
  const createdAt = sql.ref(columns.createdAt);
  const id = sql.ref(columns.id);
  let q = qb;
  if (page.key) {
    const [k0, k1] = page.key;
    const cmp = page.direction === 'next' ? sql.raw('<') : sql.raw('>');
    q = q.where(sql<boolean>`(${createdAt}, ${id}) ${cmp} (${k0}, ${k1})`) as Q;
  }
  const dir = page.direction === 'next' ? 'desc' : 'asc';
  return q
    .orderBy(createdAt, dir)
    .orderBy(id, dir)
    .limit(page.limit + 1) as Q;
}
