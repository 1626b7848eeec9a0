import type { Db } from './client.ts';

/** How far sandbox mode has moved a client's clock (ms); 0 when never. */
export async function clockOffsetOf(db: Db, clientId: string): Promise<number> {
  const row = await db
    .selectFrom('sandbox_clocks')
    .select('offset_ms')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row ? Number(row.offset_ms) : 0;
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
  return clockOffsetOf(db, clientId);
}
