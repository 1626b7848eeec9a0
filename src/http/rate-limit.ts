import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { evictOldest } from '../lib/bounded.ts';
import { databaseFault } from './error-handler.ts';
import * as repo from './rate-limit.repo.ts';
import { documentDetailResponse } from './route-docs.ts';

const WINDOW_MS = 60_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How much of the key's per-minute limit a request of the route takes, read from its
     * parsed body (a batch: one per item); at most the limit. Without it a request takes one.
     */
    rateLimitUnits?: (req: FastifyRequest) => number;
  }
}

/**
 * Where `now` falls: the current one-minute window, the one before, and how far into the
 * current one it is. Counts are kept per window; a limit weighs the previous window by
 * the share of it still inside the last minute (a sliding-window estimate).
 */
function windowAt(now: number) {
  const start = now - (now % WINDOW_MS);
  return {
    start: new Date(start).toISOString(),
    previous: new Date(start - WINDOW_MS).toISOString(),
    elapsed: now - start,
  };
}

/**
 * True when `counts` (this request included) stay within `limit` per minute. Compared
 * scaled by the window length, so the arithmetic is exact integers.
 */
export function withinLimit(counts: repo.WindowCounts, elapsed: number, limit: number): boolean {
  return counts.previous * (WINDOW_MS - elapsed) + counts.current * WINDOW_MS <= limit * WINDOW_MS;
}

/**
 * Whole seconds until `units` more requests (one unless a request counts for more) fit under
 * `limit`, if nothing else is counted meanwhile; `units` is at most `limit`.
 */
export function retryAfterSeconds(
  counts: repo.WindowCounts,
  elapsed: number,
  limit: number,
  units = 1,
): number {
  const room = limit - units - counts.current;
  let waitMs: number;
  if (room >= 0) {
    // The previous window's weight has to fall until the request fits beside this window's count.
    waitMs =
      counts.previous === 0
        ? 0
        : Math.ceil((counts.previous * (WINDOW_MS - elapsed) - room * WINDOW_MS) / counts.previous);
  } else {
    // It fits only once this window has become the previous one and weighs less.
    const intoNext = Math.ceil(((counts.current - (limit - units)) * WINDOW_MS) / counts.current);
    waitMs = WINDOW_MS - elapsed + intoNext;
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * Counts one more hit in each bucket, in the database so that every process shares one
 * count. When any bucket is over its per-minute limit it takes the hits back and returns the
 * seconds to wait; null when the hit may go on.
 */
export async function countPerMinute(
  db: Db,
  buckets: { bucket: string; limit: number }[],
  nowMs: number,
): Promise<number | null> {
  const w = windowAt(nowMs);
  const counted: string[] = [];
  for (const { bucket, limit } of buckets) {
    const counts = await repo.hit(db, bucket, w.start, w.previous);
    counted.push(bucket);
    if (!withinLimit(counts, w.elapsed, limit)) {
      for (const b of counted) await repo.unhit(db, b, w.start);
      return retryAfterSeconds({ ...counts, current: counts.current - 1 }, w.elapsed, limit);
    }
  }
  return null;
}

function throttled(seconds: number): AppError {
  return AppError.detail(
    'too_many_requests',
    `Request was throttled. Expected available in ${seconds} seconds.`,
    { 'Retry-After': String(seconds) },
  );
}

/** Deletes windows too old to matter, at most once a minute per process. */
function pruner(deps: Pick<Deps, 'db' | 'log'>) {
  let last = Number.NEGATIVE_INFINITY;
  return (now: number, previousStart: string) => {
    if (now - last < WINDOW_MS) return;
    last = now;
    repo
      .pruneWindows(deps.db, previousStart)
      .catch((err) => deps.log.warn({ err }, 'rate limit pruning failed'));
  };
}

/** How many of the `chunk` requests just counted (on top of the rest of `counts`) fit under `limit`. */
function fitting(counts: repo.WindowCounts, chunk: number, elapsed: number, limit: number): number {
  const room = Math.floor((limit * WINDOW_MS - counts.previous * (WINDOW_MS - elapsed)) / WINDOW_MS);
  return Math.max(0, Math.min(chunk, room - (counts.current - chunk)));
}

/** A request waiting for its key's reservation. */
interface Waiter {
  /** How much of the limit it takes. */
  units: number;
  resolve(): void;
  reject(err: unknown): void;
}

/** What this process holds of one key's shared count. */
interface Allowance {
  /** The window `left` was counted in. */
  window: string;
  /** Counted in the database and not yet spent by a request. */
  left: number;
  /**
   * Let through without a count, in `window`, because the database could not take one
   * (another process's lock, a full disk): never given back.
   */
  uncounted: number;
  /** Requests that found nothing left; they share the reservation under way. */
  waiting: Waiter[];
  reserving: boolean;
}

const MAX_KEYS = 10_000;
/**
 * How often an idle process looks for reservations of ended windows at the latest: the
 * clock it reads need not keep pace with its timers.
 */
const SWEEP_MS = 5000;

/**
 * Spends a request's units (one, or one per item of a batch) of a key's per-minute count,
 * reserving from the shared count in the database as needed, all or nothing. A key has one
 * reservation under way per process at a time: requests that find too little left wait for
 * it, and it asks for all of them at once (a chunk at least),
 * so a burst costs a few writes and leaves at most part of one chunk unspent. What a window
 * leaves unspent goes back to its count once the window ends, and on close.
 */
function keyAllowances(deps: Deps, limit: number) {
  const chunk = Math.max(1, Math.floor(limit / 200));
  const prune = pruner(deps);
  const held = new Map<string, Allowance>();
  const returning = new Set<Promise<void>>();
  let sweptWindow = '';
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function giveBack(bucket: string, a: Allowance): void {
    if (a.left === 0) return;
    const returned: Promise<void> = repo
      .unhit(deps.db, bucket, a.window, a.left)
      .catch((err) => deps.log.warn({ err }, 'returning unspent rate limit reservations failed'))
      .finally(() => returning.delete(returned));
    returning.add(returned);
    a.left = 0;
  }

  /** Gives back what ended windows left unspent, and forgets keys that hold nothing. */
  function sweep(window: string): void {
    sweptWindow = window;
    for (const [bucket, a] of held) {
      if (a.reserving) continue;
      if (a.window !== window) giveBack(bucket, a);
      if (a.left === 0) held.delete(bucket);
    }
  }

  /** Sweeps when the window ends, so a process that receives nothing more gives back too. */
  function arm(now: number): void {
    if (timer || closed) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        const at = deps.clock.now().getTime();
        sweep(windowAt(at).start);
        if (held.size > 0) arm(at);
      },
      Math.min(SWEEP_MS, WINDOW_MS - (now % WINDOW_MS) + 1),
    );
    timer.unref();
  }

  function evictOne(): void {
    for (const [bucket, a] of held) {
      if (a.reserving) continue;
      giveBack(bucket, a);
      held.delete(bucket);
      return;
    }
  }

  /** Lets through each waiting request that what is held covers, in the order they came. */
  function serve(a: Allowance): void {
    let kept = 0;
    for (const waiter of a.waiting) {
      if (waiter.units <= a.left) {
        a.left -= waiter.units;
        waiter.resolve();
      } else {
        a.waiting[kept++] = waiter;
      }
    }
    a.waiting.length = kept;
  }

  /** Reserves for the waiting requests until none waits, refusing them once the window is full. */
  async function reserve(bucket: string, a: Allowance): Promise<void> {
    a.reserving = true;
    // The counts once `a.window` was found to have no room left, this process's reservation included.
    let full: { counts: repo.WindowCounts; elapsed: number } | undefined;
    try {
      for (;;) {
        const now = deps.clock.now().getTime();
        const w = windowAt(now);
        if (a.window !== w.start) {
          giveBack(bucket, a);
          a.window = w.start;
          a.uncounted = 0;
          full = undefined;
        }
        serve(a);
        if (a.waiting.length === 0) break;
        if (full !== undefined) {
          // What this process holds unspent goes back when the window ends: it is no one's wait.
          const spent = { ...full.counts, current: full.counts.current - a.left };
          for (const waiter of a.waiting.splice(0)) {
            waiter.reject(throttled(retryAfterSeconds(spent, full.elapsed, limit, waiter.units)));
          }
          break;
        }
        const wanted = a.waiting.reduce((sum, waiter) => sum + waiter.units, 0) - a.left;
        const want = Math.min(limit, Math.max(chunk, wanted));
        // What ended windows left unspent goes back first: the new window's count reads the
        // one before as its previous, and on PostgreSQL the two would race on the pool.
        if (returning.size > 0) await Promise.all(returning);
        const counts = await repo.hit(deps.db, bucket, w.start, w.previous, want);
        prune(now, w.previous);
        const fit = fitting(counts, want, w.elapsed, limit);
        if (fit < want) {
          await repo.unhit(deps.db, bucket, w.start, want - fit);
          full = { counts: { ...counts, current: counts.current - want + fit }, elapsed: w.elapsed };
        }
        a.left += fit;
      }
    } catch (err) {
      // The database cannot take a count (another process's lock, a full disk, a server out of
      // reach): a request that could still be served must not fail for it. The waiting ones and a
      // chunk more go through uncounted, so the next requests do not each wait for it again.
      const fault = databaseFault(err);
      if (fault) {
        deps.log.warn({ err }, 'rate limit not counted: the database cannot take writes');
        a.uncounted = chunk;
      }
      for (const waiter of a.waiting.splice(0)) {
        if (fault) waiter.resolve();
        else waiter.reject(err);
      }
    } finally {
      a.reserving = false;
    }
    if (closed) giveBack(bucket, a);
    else if (a.left > 0) arm(deps.clock.now().getTime());
  }

  return {
    /** Resolves once the request may go on; rejects with a 429 over the limit. */
    spend(bucket: string, units: number): Promise<void> | undefined {
      if (units > limit) throw new Error('a request cannot take more than the whole rate limit');
      const now = deps.clock.now().getTime();
      const w = windowAt(now);
      if (w.start !== sweptWindow) sweep(w.start);
      const mine = held.get(bucket);
      if (mine && mine.window === w.start && mine.uncounted > 0) {
        mine.uncounted = Math.max(0, mine.uncounted - units);
        return undefined;
      }
      if (mine && mine.window === w.start && mine.left >= units) {
        mine.left -= units;
        return undefined;
      }
      let a = mine;
      if (!a) {
        if (held.size >= MAX_KEYS) evictOne();
        a = { window: w.start, left: 0, uncounted: 0, waiting: [], reserving: false };
        held.set(bucket, a);
      }
      const waiting = a.waiting;
      const turn = new Promise<void>((resolve, reject) => waiting.push({ units, resolve, reject }));
      if (!a.reserving) void reserve(bucket, a);
      return turn;
    },
    /** Gives back everything unspent. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      for (const [bucket, a] of held) if (!a.reserving) giveBack(bucket, a);
      await Promise.all(returning);
    },
  };
}

/**
 * RATE_LIMIT_PER_MINUTE per API key, counted in the database so every API process shares
 * the limit; over it, 429 with Retry-After. Runs after authentication. Every route of the
 * scope documents the 429.
 *
 * A process reserves a key's requests from the shared count in chunks of 1/200 of the limit
 * (one by one below 400 a minute), or as many as are waiting, and spends them locally: a
 * write per request nearly halved the throughput of cheap reads. A reservation is granted
 * only as far as the window has room (the rest is taken back at once), so the limit always
 * holds. A request takes one from the count, or what its route's `rateLimitUnits` says (a
 * batch: one per item), all at once or not at all.
 */
export function limitRequestsPerKey(api: FastifyInstance, deps: Deps): void {
  const limit = deps.config.RATE_LIMIT_PER_MINUTE;
  if (limit === 0) return;
  api.addHook('onRoute', (route) =>
    documentDetailResponse(route, 'too_many_requests', 'Too many requests for this API key.'),
  );
  const allowances = keyAllowances(deps, limit);
  api.addHook('onRequest', async (req) => {
    if (req.routeOptions.config.rateLimitUnits) return;
    return allowances.spend(`key:${req.principal.keyId}`, 1);
  });
  // A request that counts by its body is counted once the body is read, before an
  // Idempotency-Key is claimed for it, so a refusal leaves the key free for the retry.
  const counted = new WeakSet<FastifyRequest>();
  api.addHook('preValidation', async (req) => {
    const units = req.routeOptions.config.rateLimitUnits;
    if (!units) return;
    counted.add(req);
    return allowances.spend(`key:${req.principal.keyId}`, Math.max(1, units(req)));
  });
  // One whose body was refused unread (malformed, too large) is still a request: it takes one.
  api.addHook('onResponse', async (req) => {
    const keyId = (req.principal as typeof req.principal | undefined)?.keyId;
    if (!keyId || !req.routeOptions.config.rateLimitUnits || counted.has(req)) return;
    await allowances.spend(`key:${keyId}`, 1)?.catch(() => undefined);
  });
  api.addHook('onClose', () => allowances.close());
}

export interface AuthFailureGuard {
  /**
   * Refuses (429) a source address that failed authentication too often, before its
   * credentials are verified. `known` says they are ones this process verified recently.
   */
  check(req: FastifyRequest, known: boolean): Promise<void>;
  /** Counts a failed authentication of the request's source address. */
  failed(req: FastifyRequest): Promise<void>;
}

/** How long an address found under the limit is taken as such, for credentials already verified. */
const CLEAN_FOR_MS = 1000;

/**
 * AUTH_FAILURES_PER_MINUTE per source address, shared through the database; undefined when 0.
 * Unverified credentials always ask the database, so a blocked address cannot test a single
 * guess. Credentials this process already verified ask it at most once a second per address:
 * they cannot be a guess, and it saves a query on nearly every request.
 */
export function authFailureGuard(deps: Deps): AuthFailureGuard | undefined {
  const limit = deps.config.AUTH_FAILURES_PER_MINUTE;
  if (limit === 0) return undefined;
  const prune = pruner(deps);
  const clean = new Map<string, number>();
  return {
    async check(req, known) {
      const now = deps.clock.now().getTime();
      const since = clean.get(req.ip);
      if (known && since !== undefined && now - since < CLEAN_FOR_MS) return;
      const w = windowAt(now);
      const counts = await repo.peek(deps.db, `auth:${req.ip}`, w.start, w.previous);
      prune(now, w.previous);
      if (withinLimit({ ...counts, current: counts.current + 1 }, w.elapsed, limit)) {
        if (clean.size >= 10_000) evictOldest(clean);
        clean.set(req.ip, now);
        return;
      }
      clean.delete(req.ip);
      throw throttled(retryAfterSeconds(counts, w.elapsed, limit));
    },
    async failed(req) {
      clean.delete(req.ip);
      const w = windowAt(deps.clock.now().getTime());
      await repo.hit(deps.db, `auth:${req.ip}`, w.start, w.previous);
    },
  };
}
