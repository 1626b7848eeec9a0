import type { Db } from '../db/client.ts';

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
