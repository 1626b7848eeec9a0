import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';

/**
 * Runs a change that may queue jobs (messages, notices, webhooks) in one transaction, then
 * wakes an in-process worker: jobs are only visible once committed, and without the wake
 * they would wait for the worker's next poll.
 */
export async function transactAndWake<T>(
  deps: Pick<Deps, 'db' | 'queueSignal'>,
  change: (trx: Db) => Promise<T>,
): Promise<T> {
  const result = await deps.db.transaction().execute(change);
  deps.queueSignal.emit('enqueued');
  return result;
}
