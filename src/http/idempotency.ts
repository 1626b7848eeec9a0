import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import * as repo from './idempotency.repo.ts';
import { documentDetailResponse, documentHeader } from './route-docs.ts';

/** How long an answer is kept and replayed. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const POLL_MS = 20;
/** How long a retry waits for the request holding its key before answering 409. */
const WAIT_MS = 10_000;
const KEY = /^[\x20-\x7e]{1,255}$/;

interface Claim {
  clientId: string;
  key: string;
  lockedUntil: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
  interface FastifyContextConfig {
    /**
     * Answers a retry whose first request committed its change (naming `resource`) but died
     * before answering: the answer that request would have given, read from what it made.
     */
    recover?: (req: FastifyRequest, resource: string) => Promise<unknown>;
  }
}

/** The name a recovery point gives what a change made, and its id back. */
export const resourceName = (kind: string, id: string) => `${kind}:${id}`;
export const resourceId = (name: string) => name.slice(name.indexOf(':') + 1);

/** Lets a service mark its request's Idempotency-Key committed in the transaction of its change. */
export interface RecoveryPoint {
  mark(trx: Db, resource: string): Promise<void>;
}

/**
 * The recovery point of a request that holds an Idempotency-Key, if it does. Marking it in
 * the change's transaction makes the key's outcome as durable as the change itself; a
 * request that lost its key to a retry (it outlived its lease) fails the mark, and its
 * change rolls back, so the change is made once.
 */
export function recoveryOf(req: FastifyRequest): RecoveryPoint | undefined {
  const claim = req.idempotencyClaim;
  if (!claim) return undefined;
  return {
    async mark(trx, resource) {
      if (!(await repo.markCommitted(trx, claim.clientId, claim.key, claim.lockedUntil, resource))) {
        throw lostKey('it changed nothing');
      }
    },
  };
}

function lostKey(outcome: string): AppError {
  const detail = `A retry with this Idempotency-Key took over while this request ran; ${outcome}.`;
  return AppError.detail('conflict', detail, { 'Retry-After': '1' });
}

/**
 * A recovery point for a change committed in parts, a transaction each (a batch). Each part
 * marks the key with everything the request made so far (its `resource` names it all), under
 * the same lease check as a single mark: a request that lost its key commits no further part,
 * and the retry that took the key over reads what was made and goes on from there.
 */
export interface PartsRecoveryPoint extends RecoveryPoint {
  /** What earlier holders of the key committed; read after this request holds it. */
  committed(db: Db): Promise<string | null>;
}

export function partsRecoveryOf(req: FastifyRequest): PartsRecoveryPoint | undefined {
  const claim = req.idempotencyClaim;
  if (!claim) return undefined;
  return {
    async committed(db) {
      return (await repo.findKey(db, claim.clientId, claim.key))?.resource ?? null;
    },
    async mark(trx, resource) {
      const held = await repo.markCommitted(
        trx,
        claim.clientId,
        claim.key,
        claim.lockedUntil,
        resource,
        true,
      );
      if (!held) throw lostKey('what it had committed stands, and this part was not made');
    },
  };
}

/** JSON with object keys sorted, so two bodies that differ only in key order hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestHash(req: FastifyRequest): string {
  const what = [req.method, req.routeOptions.url ?? '', canonical(req.params), canonical(req.body)];
  return createHash('sha256').update(what.join('\n')).digest('base64url');
}

const iso = (ms: number) => new Date(ms).toISOString();

type Outcome =
  | { claimed: Claim }
  | { replay: repo.KeyRow }
  /** Committed, and the request that committed it died before answering: answer from its resource. */
  | { recover: repo.KeyRow; claimed: Claim };

/**
 * Claims `key` for this request, or waits for the request that holds it and returns its
 * stored answer. A claim whose lease lapsed, or an answer past retention, is taken over.
 */
async function claimOrWait(deps: Deps, clientId: string, key: string, hash: string): Promise<Outcome> {
  const deadline = Date.now() + WAIT_MS;
  const leaseMs = deps.config.IDEMPOTENCY_LEASE_SECONDS * 1000;
  for (;;) {
    const now = deps.clock.now().getTime();
    const claim = { request_hash: hash, created_at: iso(now), locked_until: iso(now + leaseMs) };
    const claimed = { clientId, key, lockedUntil: claim.locked_until };
    if (await repo.insertPending(deps.db, { client_id: clientId, key, ...claim })) return { claimed };
    const row = await repo.findKey(deps.db, clientId, key);
    // Released by a request that failed with a 5xx: claim it again.
    if (!row) continue;
    const expired = Date.parse(row.created_at) <= now - RETENTION_MS;
    // The request holding the key died (or outlived its lease) before answering.
    const lapsed = row.state !== 'done' && row.locked_until !== null && Date.parse(row.locked_until) <= now;
    if (expired || (lapsed && row.request_hash === hash)) {
      if (await repo.takeOver(deps.db, row, claim, { fresh: expired })) {
        return !expired && row.state === 'committed' ? { recover: row, claimed } : { claimed };
      }
      continue;
    }
    if (row.request_hash !== hash) {
      throw AppError.badRequest(
        'This Idempotency-Key was already used with a different request (method, path or body).',
      );
    }
    if (row.state === 'done') return { replay: row };
    if (Date.now() >= deadline) {
      throw AppError.detail(
        'conflict',
        'A request with this Idempotency-Key is still being processed. Try again later.',
        { 'Retry-After': '1' },
      );
    }
    await sleep(POLL_MS);
  }
}

function replay(reply: FastifyReply, row: repo.KeyRow): FastifyReply {
  if (row.content_type) reply.header('content-type', row.content_type);
  return reply
    .code(row.status_code ?? 200)
    .header('idempotent-replayed', 'true')
    .send(row.body ?? '');
}

/** Deletes answers past retention, at most once an hour per process. */
function pruner(deps: Pick<Deps, 'db' | 'log'>) {
  let last = Number.NEGATIVE_INFINITY;
  return (now: number) => {
    if (now - last < 60 * 60 * 1000) return;
    last = now;
    repo
      .pruneKeys(deps.db, iso(now - RETENTION_MS))
      .catch((err) => deps.log.warn({ err }, 'idempotency key pruning failed'));
  };
}

/**
 * `Idempotency-Key` on POST: the first answer for a client and key is stored for 24 hours
 * and replayed (`Idempotent-Replayed: true`) for the same request; the same key with a
 * different request is a 400. Concurrent requests with one key run once: the others wait
 * for its answer. A 5xx is not stored, so the request can be retried. Runs after
 * authentication, in the API's scope, before routes are added.
 */
export function idempotency(api: FastifyInstance, deps: Deps): void {
  const prune = pruner(deps);
  api.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    documentHeader(
      route,
      'idempotency-key',
      'Makes the request safe to retry: the first answer for this key is replayed for 24 hours ' +
        '(with `Idempotent-Replayed: true`); the same key with a different request is a 400.',
    );
    documentDetailResponse(route, 'bad_request', 'A bad request.');
    documentDetailResponse(
      route,
      'conflict',
      'A request with the same Idempotency-Key is still in progress.',
    );
  });

  api.addHook('preValidation', async (req, reply) => {
    if (req.method !== 'POST') return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key) || key.trim() === '') {
      throw AppError.badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    // Keys of every client are pruned: by the server's time, never one client's moved clock.
    prune(deps.clock.real().getTime());
    const outcome = await claimOrWait(deps, req.principal.clientId, key, requestHash(req));
    if ('replay' in outcome) return replay(reply, outcome.replay);
    req.idempotencyClaim = outcome.claimed;
    if ('recover' in outcome) {
      const recover = req.routeOptions.config.recover;
      const resource = outcome.recover.resource;
      if (!recover || !resource) throw AppError.detail('conflict', 'This request cannot be answered again.');
      return reply.send(await recover(req, resource));
    }
  });

  api.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    req.idempotencyClaim = undefined;
    const body =
      payload === undefined || payload === null
        ? ''
        : typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : null;
    try {
      if (reply.statusCode >= statusOf('internal') || body === null) {
        await repo.release(deps.db, claim.clientId, claim.key, claim.lockedUntil);
      } else {
        const contentType = reply.getHeader('content-type');
        const stored = await repo.complete(deps.db, claim.clientId, claim.key, claim.lockedUntil, {
          status_code: reply.statusCode,
          content_type: typeof contentType === 'string' ? contentType : null,
          body,
        });
        if (!stored) req.log.warn('idempotency claim lapsed before the answer was stored');
      }
    } catch (err) {
      req.log.error({ err }, 'could not store the idempotent answer');
    }
    return payload;
  });

  // An answer that never went through onSend (the connection died first) must not hold its key.
  api.addHook('onResponse', async (req) => {
    const claim = req.idempotencyClaim;
    if (!claim) return;
    req.idempotencyClaim = undefined;
    await repo.release(deps.db, claim.clientId, claim.key, claim.lockedUntil);
  });
}
