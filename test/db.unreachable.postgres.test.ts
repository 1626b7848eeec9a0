import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps, createLogger } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { basic, type Credentials, countRows, inviteBody, lineSink, PUBLIC_URL } from './helpers/app.ts';
import { OpenApiChecker } from './helpers/openapi.ts';
import { proxiedDatabase } from './helpers/proxied-database.ts';
import type { TcpProxy } from './helpers/tcp-proxy.ts';

// The app as served (rate limits on), reaching its PostgreSQL through a proxy this file cuts
// and restores: the database stopped or cut off, and back, in one running process.
const lines: string[] = [];
let proxy: TcpProxy;
let deps: Deps;
let app: FastifyInstance;
let key: Credentials;
let checker: OpenApiChecker;
let password: string;
let drop: () => Promise<void>;
/** Every status the app answered in this file. */
const statuses: number[] = [];

beforeAll(async () => {
  const database = await proxiedDatabase();
  ({ proxy, password, drop } = database);
  const config = loadConfig({
    DATABASE_URL: database.url,
    PUBLIC_URL,
    LOG_LEVEL: 'info',
  });
  deps = await createDeps(config, { log: createLogger(config, lineSink(lines)) });
  app = await buildApp(deps);
  await app.ready();
  checker = new OpenApiChecker((await app.inject({ method: 'GET', url: '/openapi.json' })).json());
  key = await createKey(deps, { name: 'outage' });
});
afterAll(async () => {
  await app?.close();
  if (deps) await closeDeps(deps);
  await proxy?.close();
  await drop?.();
});

async function call(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: basic(key), ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  statuses.push(res.statusCode);
  const json = res.body ? res.json() : undefined;
  checker.check(method, url, res.statusCode, json);
  return { status: res.statusCode, body: json, headers: res.headers };
}

function expectUnavailable(res: Awaited<ReturnType<typeof call>>, what: string) {
  expect(res.status, what).toBe(503);
  expect(res.body, what).toEqual({ detail: expect.any(String) });
  expect(res.headers['retry-after'], what).toMatch(/^[1-9][0-9]*$/);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL out of reach', () => {
  it('answers 503 with Retry-After while the database is cut off, and serves again once it is back', async () => {
    const sent = await call('POST', '/v2/invites', inviteBody());
    expect(sent.status).toBe(200);
    const before = await countRows(deps);

    await proxy.cut();
    // Twice each: the pool's connections broke, and then no new one can be made.
    for (let i = 0; i < 2; i++) {
      expectUnavailable(await call('GET', '/v2/invites'), 'list');
      expectUnavailable(await call('GET', `/v2/invites/${sent.body.id}`), 'retrieve');
      expectUnavailable(await call('POST', '/v2/invites', inviteBody({ first_name: 'Cut' })), 'send');
      expectUnavailable(
        await call('POST', '/v2/invites', inviteBody({ first_name: 'Keyed' }), { 'idempotency-key': 'k-1' }),
        'send with an Idempotency-Key',
      );
    }

    await proxy.restore();
    expect((await call('GET', `/v2/invites/${sent.body.id}`)).status).toBe(200);
    // The sends refused while it was cut wrote nothing.
    expect(await countRows(deps)).toEqual(before);
    const list = await call('GET', '/v2/invites');
    expect(list.body.results.map((i: { id: string }) => i.id)).toEqual([sent.body.id]);
    // The same keyed request goes through now: the refused one did not hold its key.
    const keyed = await call('POST', '/v2/invites', inviteBody({ first_name: 'Keyed' }), {
      'idempotency-key': 'k-1',
    });
    expect(keyed.status).toBe(200);
    expect(keyed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 503 for a request whose connection breaks mid-query, and keeps serving', async () => {
    for (const [method, url, body] of [
      ['GET', '/v2/invites', undefined],
      ['POST', '/v2/invites', inviteBody({ first_name: 'Midway' })],
    ] as const) {
      // A request first, so the pool holds open connections for the next one to use.
      expect((await call('GET', '/v2/invites')).status).toBe(200);
      const before = await countRows(deps);
      proxy.hold();
      const pending = call(method, url, body);
      for (let waited = 0; proxy.heldBytes === 0; waited += 10) {
        expect(waited, 'the request reached the database').toBeLessThan(20_000);
        await sleep(10);
      }
      await proxy.cut();
      expectUnavailable(await pending, `${method} ${url}`);
      await proxy.restore();
      expect((await call('GET', '/v2/invites')).status).toBe(200);
      expect(await countRows(deps)).toEqual(before);
    }
  });

  it('never answered 500, and logged the outage without the database password', () => {
    expect(statuses).not.toContain(500);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(10);
    const outage = lines.filter((l) => l.includes('database unreachable'));
    expect(outage.length).toBeGreaterThan(0);
    expect(password.length).toBeGreaterThan(8);
    for (const line of lines) expect(line).not.toContain(password);
  });
});
