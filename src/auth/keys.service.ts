import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { evictOldest } from '../lib/bounded.ts';
import { newId } from '../lib/ids.ts';
import * as repo from './keys.repo.ts';
import { hashSecret, NO_KEY_HASH, newSecret, sha256, verifySecret } from './secrets.ts';

export interface Principal {
  keyId: string;
  clientId: string;
}

/** Creates a key for a new client (tenant), or for `clientId` when given. The secret is shown once. */
export async function createKey(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { name: string; clientId?: string },
): Promise<{ api_key_id: string; api_key_secret: string; client_id: string }> {
  const now = deps.clock.now().toISOString();
  let clientId = input.clientId;
  if (clientId) {
    if (!(await repo.findClient(deps.db, clientId))) throw new Error(`No client with id ${clientId}`);
  } else {
    clientId = newId();
    await repo.insertClient(deps.db, { id: clientId, name: input.name, created_at: now });
  }
  const secret = newSecret();
  const id = newId();
  await repo.insertKey(deps.db, {
    id,
    client_id: clientId,
    name: input.name,
    secret_hash: await hashSecret(secret),
    created_at: now,
  });
  return { api_key_id: id, api_key_secret: secret, client_id: clientId };
}

/**
 * Makes the key from INVITEKIT_API_KEY_ID / _SECRET exist with that secret (a changed secret
 * replaces the stored one). A key revoked since stays revoked: a restart must not undo a
 * revocation, so `revoked` tells the caller to say so.
 */
export async function ensureKey(
  deps: Pick<Deps, 'db' | 'clock'>,
  id: string,
  secret: string,
): Promise<'ready' | 'revoked'> {
  const existing = await repo.findKey(deps.db, id);
  if (existing) {
    if (existing.revoked_at !== null) return 'revoked';
    if (await verifySecret(secret, existing.secret_hash)) return 'ready';
    await repo.updateKeySecret(deps.db, id, await hashSecret(secret));
    return 'ready';
  }
  const now = deps.clock.now().toISOString();
  const secretHash = await hashSecret(secret);
  // Processes started together on a new database race to create the key: one wins, and the
  // others (their new client rolled back) find the key on the next pass.
  const raced = new Error('key created by another process');
  try {
    await deps.db.transaction().execute(async (trx) => {
      const clientId = newId();
      await repo.insertClient(trx, { id: clientId, name: 'default', created_at: now });
      const row = {
        id,
        client_id: clientId,
        name: 'INVITEKIT_API_KEY_ID',
        secret_hash: secretHash,
        created_at: now,
      };
      if (!(await repo.insertKeyIfAbsent(trx, row))) throw raced;
    });
  } catch (err) {
    if (err !== raced) throw err;
    return ensureKey(deps, id, secret);
  }
  return 'ready';
}

export const listKeys = (deps: Pick<Deps, 'db'>) => repo.listKeys(deps.db);

export interface ClientKey {
  id: string;
  name: string;
  client_id: string;
  created_at: string;
  revoked_at: string | null;
}

/** The keys of one client, newest first. */
export const listClientKeys = (deps: Pick<Deps, 'db'>, clientId: string): Promise<ClientKey[]> =>
  repo.listClientKeys(deps.db, clientId);

const KEY_NAME_MAX = 255;

/** A new key for an existing client, named as the member typed it; the secret is shown once. */
export async function createClientKey(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: { name: string },
): Promise<{ api_key_id: string; api_key_secret: string; client_id: string }> {
  const name = input.name.trim();
  if (name === '') throw AppError.field('name', 'This field may not be blank.');
  if (name.length > KEY_NAME_MAX) {
    throw AppError.field('name', `Ensure this field has no more than ${KEY_NAME_MAX} characters.`);
  }
  return createKey(deps, { name, clientId });
}

/**
 * Revokes one of the client's keys; a key of another client is not found, as if it did not
 * exist. False when it was already revoked.
 */
export async function revokeClientKey(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  clientId: string,
  id: string,
): Promise<boolean> {
  await getClientKey(deps, clientId, id);
  return revokeKey(deps, id);
}

/** One of the client's keys; a key of another client is not found. */
export async function getClientKey(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<ClientKey> {
  const key = await repo.findKey(deps.db, id);
  if (!key || key.client_id !== clientId) throw AppError.notFound();
  return {
    id: key.id,
    name: key.name,
    client_id: key.client_id,
    created_at: key.created_at,
    revoked_at: key.revoked_at,
  };
}

export async function revokeKey(deps: Pick<Deps, 'db' | 'clock' | 'config'>, id: string): Promise<boolean> {
  authCacheOf(deps).delete(id);
  return repo.revokeKey(deps.db, id, deps.clock.now().toISOString());
}

interface CacheEntry {
  digest: Buffer;
  principal: Principal;
  expires: number;
}

/**
 * Verified keys, so that the slow hash runs once per key per TTL rather than per request.
 * The TTL bounds how long a key revoked by another process keeps working here.
 */
class AuthCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyId: string, secret: string, now: number): Principal | null {
    const entry = this.entries.get(keyId);
    if (!entry || entry.expires <= now) return null;
    return timingSafeEqual(entry.digest, sha256(secret)) ? entry.principal : null;
  }

  set(keyId: string, secret: string, principal: Principal, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) evictOldest(this.entries);
    this.entries.set(keyId, { digest: sha256(secret), principal, expires: now + this.ttlMs });
  }

  delete(keyId: string): void {
    this.entries.delete(keyId);
  }
}

// One cache per database handle (a process normally has one), rebuilt from the database
// whenever it is lost; other processes learn of a revocation within the TTL.
const caches = new WeakMap<object, AuthCache>();

/** This process's cache of verified keys for `deps.db`. */
export function authCacheOf(deps: Pick<Deps, 'db' | 'config'>): AuthCache {
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = new AuthCache(deps.config.AUTH_CACHE_TTL_SECONDS * 1000);
    caches.set(deps.db, cache);
  }
  return cache;
}

/** Verifications under way, so a burst of requests with one uncached key pays for one slow hash. */
const pending = new Map<string, Promise<Principal | null>>();

/** Checks Basic credentials; null when the key is unknown, revoked or the secret is wrong. */
export async function verifyCredentials(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  keyId: string,
  secret: string,
): Promise<Principal | null> {
  const now = deps.clock.now().getTime();
  const cached = authCacheOf(deps).get(keyId, secret, now);
  if (cached) return cached;
  if (keyId.length > 100 || secret.length > 200) return null;
  const flight = `${keyId}\u0000${sha256(secret).toString('base64')}`;
  let verification = pending.get(flight);
  if (!verification) {
    verification = verifyAgainstDb(deps, keyId, secret, now).finally(() => pending.delete(flight));
    pending.set(flight, verification);
  }
  return verification;
}

async function verifyAgainstDb(
  deps: Pick<Deps, 'db' | 'config'>,
  keyId: string,
  secret: string,
  now: number,
): Promise<Principal | null> {
  const key = await repo.findKey(deps.db, keyId);
  const usable = key !== undefined && key.revoked_at === null;
  // An unknown or revoked id pays for the slow hash too, so timing does not reveal which ids exist.
  const matches = await verifySecret(secret, usable ? key.secret_hash : NO_KEY_HASH);
  if (!usable || !matches) return null;
  const principal = { keyId: key.id, clientId: key.client_id };
  authCacheOf(deps).set(keyId, secret, principal, now);
  return principal;
}
