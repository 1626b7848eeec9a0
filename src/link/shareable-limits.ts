import type { Deps } from '../deps.ts';
import { countPerMinute } from '../http/rate-limit.ts';

/**
 * Invites a Shareable URL may make a minute, on every process together. The URL is public,
 * so whoever finds it must not be able to fill the invite list: per visitor address, and per
 * flow for many addresses at once.
 */
export const SHAREABLE_LIMITS = { perAddress: 10, perFlow: 120 } as const;

/**
 * Counts one more entry for the visitor's address and for the flow. When either is full it
 * counts nothing and returns the seconds to wait; null when the invite may be made.
 */
export function countShareableEntry(
  deps: Pick<Deps, 'db' | 'clock'>,
  address: string,
  flowId: string,
): Promise<number | null> {
  const buckets = [
    // Per flow too: one office behind one address using two customers' URLs is two visitors.
    { bucket: `share:address:${flowId}:${address}`, limit: SHAREABLE_LIMITS.perAddress },
    { bucket: `share:flow:${flowId}`, limit: SHAREABLE_LIMITS.perFlow },
  ];
  return countPerMinute(deps.db, buckets, deps.clock.now().getTime());
}
