import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps, createLogger } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { basic, freshDatabase, lineSink, PUBLIC_URL } from './helpers/app.ts';
import { failInvitesNamed } from './helpers/faults.ts';

// The app as served, its log written to memory instead of stdout.
const lines: string[] = [];
let deps: Deps;
let app: FastifyInstance;
let drop: () => Promise<void>;
let key: Awaited<ReturnType<typeof createKey>>;

beforeAll(async () => {
  const database = await freshDatabase();
  drop = database.drop;
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL, LOG_LEVEL: 'info' });
  deps = await createDeps(config, { log: createLogger(config, lineSink(lines)) });
  app = await buildApp(deps);
  key = await createKey(deps, { name: 'logs' });
});
afterAll(async () => {
  await app?.close();
  if (deps) await closeDeps(deps);
  await drop?.();
});

const call = (method: string, url: string, o: { body?: unknown; headers?: Record<string, string> } = {}) =>
  app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: basic(key), ...o.headers },
    ...(o.body === undefined ? {} : { payload: o.body as object }),
  });

describe('the log', () => {
  const secrets: string[] = [];
  let records: Record<string, any>[];

  beforeAll(async () => {
    const invite = (
      await call('POST', '/v2/invites', {
        body: {
          first_name: 'Sarah',
          last_name: 'Longfield',
          email: 'sarah.private@email.com',
          phone_number: '(212) 555-0199',
          external_id: 'ext-sarah',
          override_invite_template: { email: { reply_to: ['loan.officer@lender.example'] } },
        },
        headers: { 'x-request-id': 'trace-send-1' },
      })
    ).json();
    expect(invite.user_token).toBeTruthy();
    const token = (await call('POST', '/v2/user-tokens', { body: { user: invite.user } })).json().user_token;
    await call('GET', '/v2/invites?reply_to=loan.officer%40lender.example');
    await call('GET', '/v2/users?external_id=ext-sarah');
    const cookie = 'ik_link=cookie-session-value-0123456789abcdefghijkl';
    await call('GET', `/link?user_token=${token}`, { headers: { cookie } });
    await call('GET', new URL(invite.url).pathname, { headers: { cookie } });
    const wrong = basic({ ...key, api_key_secret: 'a-guessed-wrong-secret' });
    await call('GET', '/v2/invites', { headers: { authorization: wrong } });
    // A fault deep in the database whose message names the recipient: logged, but masked.
    const restore = await failInvitesNamed(deps.db, 'Faulty');
    const failed = await call('POST', '/v2/invites', {
      body: { first_name: 'Faulty', last_name: 'Person', email: 'faulty.person@email.com' },
    });
    expect(failed.statusCode).toBe(500);
    await restore();
    deps.log.flush();
    secrets.push(
      'sarah.private',
      'loan.officer',
      'faulty.person',
      '555-0199',
      '5550199',
      key.api_key_secret,
      'a-guessed-wrong-secret',
      basic(key).slice(6),
      invite.user_token,
      token,
      'cookie-session-value',
    );
    records = lines.map((l) => JSON.parse(l));
  });

  it('has one line per request, with its id, route pattern and status', async () => {
    const requests = records.filter((r) => r.msg === 'request');
    expect(requests).toHaveLength(8);
    for (const r of requests) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['reqId', 'method', 'route', 'status', 'ms']));
      expect(r).not.toHaveProperty('url');
    }
    expect(requests.find((r) => r.reqId === 'trace-send-1')).toMatchObject({
      route: '/v2/invites',
      method: 'POST',
      status: 200,
    });
    expect(requests.map((r) => r.route)).toContain('/link');
  });

  it('names no email address, phone number, secret, token or cookie', () => {
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('\n');
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
  });

  it('keeps the error of a 500, with its request id, masked', () => {
    const error = records.find((r) => r.msg === 'unhandled error');
    expect(error?.reqId).toBeTruthy();
    expect(error?.err?.message).toContain('***@email.com');
    expect(records.find((r) => r.msg === 'request' && r.status === 500)?.reqId).toBe(error?.reqId);
  });

  it('masks personal data in whatever else is logged', () => {
    const before = lines.length;
    deps.log.warn(
      { to: 'Ann.Lee@example.org', detail: { phone: '+14155550123', auth: 'Bearer abc.def' } },
      'provider said no',
    );
    deps.log.error({ err: new Error('550 <bob@bounce.test> rejected; call (800) 900-0010') }, 'failed');
    const text = lines.slice(before).join('\n');
    expect(text).toContain('provider said no');
    for (const secret of ['Ann.Lee', '4155550123', 'abc.def', 'bob@', '900-0010']) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
