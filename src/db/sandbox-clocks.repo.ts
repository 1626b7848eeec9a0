import type { Db } from './client.ts';

/**
 * Every sandbox-mode request reads its client's offset, so it is kept a second per process:
 * a move made here shows at once, one made by another process within a second.
 */
const CACHE_MS = 1000;
const cached = new WeakMap<Db, Map<string, { offset: number; at: number }>>();

function cacheOf(db: Db) {
  let map = cached.get(db);
  if (!map) {
    map = new Map();
    cached.set(db, map);
  }
  return map;
}

/** How far sandbox mode has moved a client's clock (ms); 0 when never. */
export async function clockOffsetOf(db: Db, clientId: string): Promise<number> {
  const cache = cacheOf(db);
  const hit = cache.get(clientId);
  if (hit && performance.now() - hit.at < CACHE_MS) return hit.offset;
  const row = await db
    .selectFrom('sandbox_clocks')
    .select('offset_ms')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  const offset = row ? Number(row.offset_ms) : 0;
  // A bounded cache: clients seen in the last second at most, in practice.
  if (cache.size > 10_000) cache.clear();
  cache.set(clientId, { offset, at: performance.now() });
  return offset;
}

/** Every moved clock, for a worker that runs jobs of many clients. */
export async function clockOffsets(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('sandbox_clocks').select(['client_id', 'offset_ms']).execute();
  return new Map(rows.map((r) => [r.client_id, Number(r.offset_ms)]));
}

/** Moves the client's clock forward by `ms`; the new offset. */
export async function addClockOffset(db: Db, clientId: string, ms: number, at: string): Promise<number> {
  await db
    .insertInto('sandbox_clocks')
    .values({ client_id: clientId, offset_ms: ms, updated_at: at })
    .onConflict((oc) =>
      oc.column('client_id').doUpdateSet((eb) => ({
        offset_ms: eb('sandbox_clocks.offset_ms', '+', ms),
        updated_at: at,
      })),
    )
    .execute();
  cacheOf(db).delete(clientId);
  return clockOffsetOf(db, clientId);
}
