import type { Deps } from '../deps.ts';
import { PRUNED_TABLES, type PrunedTable, pruneOldRows } from './retention.repo.ts';

const DAY_MS = 24 * 3600_000;
/** Small batches, each its own statement, so no pass holds a write lock for long. */
const BATCH = 500;
/** Bounds one pass; a backlog goes over the next passes. */
const BATCHES_PER_PASS = 20;

/**
 * Prunes what RETENTION_DAYS no longer keeps, on the server's time (every client alike);
 * nothing when it is unset. Returns how many rows went from each table.
 */
export async function pruneExpired(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
): Promise<Partial<Record<PrunedTable, number>>> {
  const days = deps.config.RETENTION_DAYS;
  if (days === undefined) return {};
  const before = new Date(deps.clock.real().getTime() - days * DAY_MS).toISOString();
  const pruned: Partial<Record<PrunedTable, number>> = {};
  for (const table of PRUNED_TABLES) {
    let total = 0;
    for (let i = 0; i < BATCHES_PER_PASS; i++) {
      const n = await pruneOldRows(deps.db, table, before, BATCH);
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) pruned[table] = total;
  }
  return pruned;
}
