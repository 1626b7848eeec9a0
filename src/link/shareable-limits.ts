import type { Deps } from '../deps.ts';
import { hit, unhit } from '../http/rate-limit.repo.ts';
import { retryAfterSeconds, withinLimit } from '../http/rate-limit.ts';

/**
 * Invites a Shareable URL may make a minute, on every process together. The URL is public,
 * so whoever finds it must not be able to fill the invite list: per visitor address, and per
 * flow for many addresses at once.
 */
export const SHAREABLE_LIMITS = { perAddress: 10, perFlow: 120 } as const;

const WINDOW_MS = 60_000;

/**
 * Counts one more entry for the visitor's address and for the flow. When either is full it
 * counts nothing and returns the seconds to wait; null when the invite may be made.
 */
export async function countShareableEntry(
  deps: Pick<Deps, 'db' | 'clock'>,
  address: string,
  flowId: string,
): Promise<number | null> {
  const now = deps.clock.now().getTime();
  const start = now - (now % WINDOW_MS);
  const elapsed = now - start;
  const window = new Date(start).toISOString();
  const previous = new Date(start - WINDOW_MS).toISOString();
  const buckets = [
    { bucket: `share:address:${address}`, limit: SHAREABLE_LIMITS.perAddress },
    { bucket: `share:flow:${flowId}`, limit: SHAREABLE_LIMITS.perFlow },
  ];
  const counted: string[] = [];
  for (const { bucket, limit } of buckets) {
    const counts = await hit(deps.db, bucket, window, previous);
    counted.push(bucket);
    if (!withinLimit(counts, elapsed, limit)) {
      for (const b of counted) await unhit(deps.db, b, window);
      return retryAfterSeconds({ ...counts, current: counts.current - 1 }, elapsed, limit);
    }
  }
  return null;
}
