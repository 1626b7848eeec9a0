import type { Db } from '../db/client.ts';
import type { JobLane } from '../db/tables.ts';

/**
 * Counts stop here: a scrape reads at most this many rows per state, so a huge backlog costs
 * a bounded query and shows as this number.
 */
export const QUEUE_COUNT_CAP = 10_000;

export type JobCountState = 'queued' | 'due' | 'running' | 'dead';

/** Jobs in one state, by kind (index `jobs_queued` for queued and due, `jobs_running` for running). */
export async function countJobsByKind(
  db: Db,
  state: JobCountState,
  now: string,
): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom((eb) => {
      let q = eb
        .selectFrom('jobs')
        .select('kind')
        .where('status', '=', state === 'due' ? 'queued' : state);
      if (state === 'due') q = q.where('run_at', '<=', now);
      return q.limit(QUEUE_COUNT_CAP).as('capped');
    })
    .select((eb) => ['capped.kind', eb.fn.countAll<number | string>().as('n')])
    .groupBy('capped.kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** When the lane's longest-waiting queued job was due (index `jobs_next`). */
export async function earliestRunAt(db: Db, lane: JobLane): Promise<string | null> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('at'))
    .where('status', '=', 'queued')
    .where('lane', '=', lane)
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}
