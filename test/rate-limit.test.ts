import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import type { Deps } from '../src/deps.ts';
import { basic, type Credentials, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '60' });
});
afterAll(() => t?.close());

const throttled = (seconds: number) => ({
  detail: `Request was throttled. Expected available in ${seconds} seconds.`,
});

/** `n` requests as fast as they go; their statuses. */
async function burst(n: number, auth: Credentials, app?: FastifyInstance): Promise<number[]> {
  const one = () =>
    app
      ? app.inject({ method: 'GET', url: '/v2/invites', headers: { authorization: basic(auth) } })
      : t.request('GET', '/v2/invites', { auth });
  const answers = await Promise.all(Array.from({ length: n }, one));
  return answers.map((r) => ('statusCode' in r ? r.statusCode : r.status));
}

describe('RATE_LIMIT_PER_MINUTE per API key', () => {
  it('refuses the 61st request in a minute at 60/min with 429 and Retry-After, writing nothing', async () => {
    const key = await t.newKey();
    expect(await burst(60, key)).toEqual(Array(60).fill(200));
    const before = await countRows(t.deps);
    const res = await t.request('POST', '/v2/invites', { auth: key, body: inviteBody() });
    expect(res.status).toBe(429);
    // The window opened at the first request: a slot frees once it has slid past one request.
    expect(res.headers['retry-after']).toBe('61');
    expect(res.body).toEqual(throttled(61));
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('keeps its Retry-After promise, not earlier', async () => {
    const key = await t.newKey();
    await burst(60, key);
    const refused = await t.request('GET', '/v2/users', { auth: key });
    const wait = Number(refused.headers['retry-after']);
    t.clock.advance((wait - 1) * 1000);
    const early = await t.request('GET', '/v2/users', { auth: key });
    expect(early.status).toBe(429);
    expect(early.body).toEqual(throttled(Number(early.headers['retry-after'])));
    expect(Number(early.headers['retry-after'])).toBe(1);
    t.clock.advance(1000);
    expect((await t.request('GET', '/v2/users', { auth: key })).status).toBe(200);
  });

  it('does not count refused requests, so a client hammering on sees no longer wait', async () => {
    const key = await t.newKey();
    await burst(60, key);
    const first = await t.request('GET', '/v2/invites', { auth: key });
    expect(await burst(100, key)).toEqual(Array(100).fill(429));
    const last = await t.request('GET', '/v2/invites', { auth: key });
    expect(last.headers['retry-after']).toBe(first.headers['retry-after']);
  });

  it('counts each key on its own, also two keys of one client', async () => {
    const limited = await t.newKey();
    const sibling = await t.newKey({ clientId: limited.client_id });
    await burst(61, limited);
    expect((await t.request('GET', '/v2/invites', { auth: limited })).status).toBe(429);
    expect((await t.request('GET', '/v2/invites', { auth: sibling })).status).toBe(200);
  });

  it('shares the count with every API process on the same database', async () => {
    const key = await t.newKey();
    const second = await createDeps(t.deps.config, { clock: t.clock });
    const other = await buildApp(second);
    try {
      expect(await burst(30, key)).toEqual(Array(30).fill(200));
      expect(await burst(30, key, other)).toEqual(Array(30).fill(200));
      expect(await burst(1, key, other)).toEqual([429]);
      expect(await burst(1, key)).toEqual([429]);
    } finally {
      await other.close();
      await closeDeps(second);
    }
  });

  it('holds a larger limit across processes, though each counts in chunks', async () => {
    // At 1000 a minute each process takes 5 requests at a time from the shared count.
    const config = { ...t.deps.config, RATE_LIMIT_PER_MINUTE: 1000 };
    const deps = [await createDeps(config, { clock: t.clock }), await createDeps(config, { clock: t.clock })];
    const apps = await Promise.all(deps.map(buildApp));
    try {
      const key = await t.newKey();
      const statuses: number[] = [];
      for (let i = 0; i < 1100; i++) statuses.push(...(await burst(1, key, apps[i % 2])));
      const accepted = statuses.filter((s) => s === 200).length;
      expect(accepted).toBeLessThanOrEqual(1000);
      // What a process took and has not spent is all that is lost.
      expect(accepted).toBeGreaterThanOrEqual(990);
      expect(statuses.slice(-50)).toEqual(Array(50).fill(429));
    } finally {
      for (const app of apps) await app.close();
      for (const d of deps) await closeDeps(d);
    }
  });

  it('is off at 0', async () => {
    const unlimited: Deps = await createDeps(
      { ...t.deps.config, RATE_LIMIT_PER_MINUTE: 0 },
      { clock: t.clock },
    );
    const app = await buildApp(unlimited);
    try {
      const key = await t.newKey();
      expect(new Set(await burst(150, key, app))).toEqual(new Set([200]));
    } finally {
      await app.close();
      await closeDeps(unlimited);
    }
  });
});

describe('AUTH_FAILURES_PER_MINUTE per source address', () => {
  const from = (remoteAddress: string, authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/v2/invites',
      remoteAddress,
      headers: authorization ? { authorization } : {},
    });
  // A wrong secret costs a slow hash to refuse; unknown keys and broken headers are quick.
  const wrongSecret = () => basic({ ...t.key, api_key_secret: 'guessed-secret-0000' });
  const unknownKey = () => basic({ ...t.key, api_key_id: '0190c5b8-8fa1-77b3-89af-14b3e18da8a7' });
  const wrong = [wrongSecret, unknownKey, () => 'Basic !!!', unknownKey, () => 'Basic Og=='];

  it('answers 429 after 30 failures, before any secret is checked, even for the right one', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await from('203.0.113.7', (i < 3 ? wrongSecret : wrong[i % wrong.length]!)());
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    for (const authorization of [wrongSecret(), basic(t.key)]) {
      const res = await from('203.0.113.7', authorization);
      expect(res.statusCode).toBe(429);
      const wait = Number(res.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(res.json()).toEqual(throttled(wait));
    }
    // Another address is not held back by it.
    expect((await from('203.0.113.8', basic(t.key))).statusCode).toBe(200);
  });

  it('lets the address try again once the failures have slid out of the last minute', async () => {
    for (let i = 0; i < 31; i++) await from('203.0.113.9', unknownKey());
    const refused = await from('203.0.113.9', basic(t.key));
    expect(refused.statusCode).toBe(429);
    t.clock.advance(Number(refused.headers['retry-after']) * 1000);
    expect((await from('203.0.113.9', basic(t.key))).statusCode).toBe(200);
  });

  it('does not count requests without credentials (a browser before its login prompt)', async () => {
    for (let i = 0; i < 40; i++) expect((await from('203.0.113.10')).statusCode).toBe(401);
    expect((await from('203.0.113.10', basic(t.key))).statusCode).toBe(200);
  });
});

describe('RATE_LIMIT_PER_MINUTE and batches', () => {
  const batchOf = (key: Credentials, n: number, headers: Record<string, string> = {}) =>
    t.request('POST', '/v2/invites/batch', {
      auth: key,
      headers,
      body: { invites: Array.from({ length: n }, (_, i) => inviteBody({ email: `b-${i}@example.com` })) },
    });
  const invitesOf = async (key: Credentials) =>
    (await t.deps.db.selectFrom('invites').select('id').where('client_id', '=', key.client_id).execute())
      .length;

  it('takes one request of the limit per item, refusing whole a batch bigger than what is left', async () => {
    const key = await t.newKey();
    expect((await batchOf(key, 40)).status).toBe(200);
    const before = await countRows(t.deps);
    const refused = await batchOf(key, 30);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(refused.body).toEqual(throttled(wait));
    expect(await countRows(t.deps)).toEqual(before);
    expect(await invitesOf(key)).toBe(40);
    // What is left still takes a batch that fits, and then nothing more.
    expect((await batchOf(key, 20)).status).toBe(200);
    expect(await invitesOf(key)).toBe(60);
    expect((await t.request('GET', '/v2/invites', { auth: key })).status).toBe(429);
    expect((await batchOf(key, 1)).status).toBe(429);
  });

  it("keeps a refused batch's Retry-After promise, not earlier", async () => {
    const key = await t.newKey();
    expect((await batchOf(key, 40)).status).toBe(200);
    const refused = await batchOf(key, 30);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    t.clock.advance((wait - 1) * 1000);
    expect((await batchOf(key, 30)).status).toBe(429);
    t.clock.advance(1000);
    expect((await batchOf(key, 30)).status).toBe(200);
    expect(await invitesOf(key)).toBe(70);
  });

  it('leaves an Idempotency-Key free when it refuses the batch, so the retry sends it', async () => {
    const key = await t.newKey();
    const headers = { 'idempotency-key': 'limited-batch' };
    expect((await batchOf(key, 50)).status).toBe(200);
    const refused = await batchOf(key, 20, headers);
    expect(refused.status).toBe(429);
    t.clock.advance(Number(refused.headers['retry-after']) * 1000);
    const retry = await batchOf(key, 20, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await invitesOf(key)).toBe(70);
  });

  it('counts a batch whose body cannot be read as one request', async () => {
    const key = await t.newKey();
    for (let i = 0; i < 60; i++) {
      const res = await t.request('POST', '/v2/invites/batch', {
        auth: key,
        payload: '{"invites": [',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
    }
    expect((await t.request('GET', '/v2/invites', { auth: key })).status).toBe(429);
  });

  it('answers a batch bigger than the whole limit with a 400 on `invites`, as one request', async () => {
    const key = await t.newKey();
    const res = await batchOf(key, 61);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ invites: ['Ensure this field has no more than 60 elements.'] });
    expect(await invitesOf(key)).toBe(0);
    expect((await batchOf(key, 59)).status).toBe(200);
    expect((await batchOf(key, 1)).status).toBe(429);
  });
});
