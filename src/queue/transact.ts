import type { Db } from '../db/client.ts';
import { notifyJobsQueued } from '../db/pg-jobs-channel.ts';
import type { Deps } from '../deps.ts';

declare const queueing: unique symbol;

/**
 * A transaction that may queue jobs. Only transactAndWake makes one, and every function
 * that queues a job (directly, or by recording an event that webhooks fan out from) asks
 * for one: a change that queues jobs cannot commit without waking the worker.
 */
export type JobTx = Db & { readonly [queueing]: true };

/**
 * Runs a change that may queue jobs (messages, notices, webhooks) in one transaction, then
 * wakes an in-process worker, and those of other processes as it commits: jobs are only
 * visible once committed, and without the wake they would wait for the worker's next poll.
 * Changes that queue nothing use `db.transaction()` directly.
 */
export async function transactAndWake<T>(
  deps: Pick<Deps, 'db' | 'queueSignal'>,
  change: (trx: JobTx) => Promise<T>,
): Promise<T> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const out = await change(trx as unknown as JobTx);
    // Workers in other processes (PostgreSQL; SQLite's watch the file).
    await notifyJobsQueued(trx);
    return out;
  });
  deps.queueSignal.emit('enqueued');
  return result;
}
