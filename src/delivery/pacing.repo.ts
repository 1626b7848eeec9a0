import { sql } from 'kysely';
import type { Db } from '../db/client.ts';

/**
 * Reserves the next send slot of an SMS sender, spacing sends `intervalMs` apart across
 * every worker process, in one statement so concurrent workers cannot take the same slot.
 * Returns when the reserved slot starts (epoch ms).
 */
export async function reserveSenderSlot(
  db: Db,
  sender: string,
  nowMs: number,
  intervalMs: number,
): Promise<number> {
  const result = await sql<{ next_at_ms: number | string }>`
    insert into sender_pacing (sender, next_at_ms) values (${sender}, ${nowMs + intervalMs})
    on conflict (sender) do update
      set next_at_ms = (case when sender_pacing.next_at_ms > ${nowMs} then sender_pacing.next_at_ms else ${nowMs} end) + ${intervalMs}
    returning next_at_ms`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('the sender slot was not returned');
  return Number(row.next_at_ms) - intervalMs;
}
