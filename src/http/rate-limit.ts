import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { evictOldest } from '../lib/bounded.ts';
import * as repo from './rate-limit.repo.ts';
import { documentDetailResponse } from './route-docs.ts';

const WINDOW_MS = 60_000;

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

/** Whole seconds until one more request fits under `limit`, if nothing else is counted meanwhile. */
export function retryAfterSeconds(counts: repo.WindowCounts, elapsed: number, limit: number): number {
  const room = limit - 1 - counts.current;
  let waitMs: number;
  if (room >= 0) {
    // The previous window's weight has to fall until the request fits beside this window's count.
    waitMs =
      counts.previous === 0
        ? 0
        : Math.ceil((counts.previous * (WINDOW_MS - elapsed) - room * WINDOW_MS) / counts.previous);
  } else {
    // It fits only once this window has become the previous one and weighs less.
    const intoNext = Math.ceil(((counts.current - (limit - 1)) * WINDOW_MS) / counts.current);
    waitMs = WINDOW_MS - elapsed + intoNext;
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
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

/**
 * RATE_LIMIT_PER_MINUTE per API key, counted in the database so every API process shares
 * the limit; over it, 429 with Retry-After. Runs after authentication. Every route of the
 * scope documents the 429.
 *
 * A process counts a key's requests in the database in chunks of 1/200 of the limit (one by
 * one below 400 a minute) and spends them locally: a write per request nearly halved the
 * throughput of cheap reads. A chunk is taken only as far as the window has room (the rest
 * is given back), so the limit always holds; what a process leaves unspent when a window
 * ends makes the others stop that much early.
 */
export function limitRequestsPerKey(api: FastifyInstance, deps: Deps): void {
  const limit = deps.config.RATE_LIMIT_PER_MINUTE;
  if (limit === 0) return;
  api.addHook('onRoute', (route) =>
    documentDetailResponse(route, 'too_many_requests', 'Too many requests for this API key.'),
  );
  const chunk = Math.max(1, Math.floor(limit / 200));
  const prune = pruner(deps);
  const spare = new Map<string, { window: string; left: number }>();
  api.addHook('onRequest', async (req) => {
    const now = deps.clock.now().getTime();
    const w = windowAt(now);
    const bucket = `key:${req.principal.keyId}`;
    const mine = spare.get(bucket);
    if (mine && mine.window === w.start && mine.left > 0) {
      mine.left--;
      return;
    }
    const counts = await repo.hit(deps.db, bucket, w.start, w.previous, chunk);
    prune(now, w.previous);
    const fit = fitting(counts, chunk, w.elapsed, limit);
    if (fit < chunk) await repo.unhit(deps.db, bucket, w.start, chunk - fit);
    if (fit > 0) {
      // Requests that raced here pool what their chunks left over.
      const current = spare.get(bucket);
      const left = (current?.window === w.start ? current.left : 0) + fit - 1;
      if (!current && spare.size >= 10_000) evictOldest(spare);
      spare.set(bucket, { window: w.start, left });
      return;
    }
    throw throttled(retryAfterSeconds({ ...counts, current: counts.current - chunk }, w.elapsed, limit));
  });
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
