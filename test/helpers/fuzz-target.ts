import fc from 'fast-check';
import { expect } from 'vitest';
import { basic, type Credentials, startTestApp, type TestApp } from './app.ts';
import { isDetail, isFieldErrors } from './fuzz.ts';
import { bodyFor, type Operation, type Pools, paramValue, queryFor } from './fuzz-api.ts';
import { recipient } from './link.ts';
import { OpenApiChecker } from './openapi.ts';

/** FUZZ_SECONDS (30 by default) is the whole fuzzing budget, shared by the fuzz files. */
export const BUDGET_MS = Number(process.env.FUZZ_SECONDS ?? 30) * 1000;
export const TWILIO_TOKEN = 'fuzz-twilio-auth-token';
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const TEMPLATE = {
  ...Object.fromEntries(
    ['name', 'email_body', 'sms_body', 'header', 'button', 'subject', 'sender', 'company'].map((k) => [k, k]),
  ),
  logo_url: 'https://acme.example/logo.png',
  page_heading: 'Verify',
  page_description: 'Two minutes.',
  page_button: 'Start',
};

/** Runs a property for `share` of the budget (as many runs as fit). */
export const runFor = (share: number, property: fc.IAsyncProperty<any>) =>
  fc.assert(property, { numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS * share });

const json = (raw: string, type: unknown) =>
  String(type ?? '').includes('json') && raw ? (JSON.parse(raw) as unknown) : raw;

/**
 * The app with objects of every kind to aim at (a sent, a revoked and a completed invite,
 * an account, a template, a webhook), and `hit`, which sends one request and checks what
 * every answer must be: no 5xx, a request id, and from the API the wire format of the
 * OpenAPI document.
 */
export async function startFuzzTarget() {
  const t = await startTestApp({
    LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent',
    TWILIO_ACCOUNT_SID: 'ACfuzz',
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: 'http://127.0.0.1:9',
  });
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const checker = new OpenApiChecker(doc);
  const other = await t.newKey();
  const pools: Pools = {
    invites: [],
    users: [],
    templates: [],
    accounts: [],
    webhooks: [],
    deliveries: [],
    tokens: [],
  };
  const r = recipient(t);
  // One entry per invite in each of invites, users and tokens, at the same index.
  const addInvite = async (over: Record<string, unknown> = {}) => {
    const invite = await r.send(over);
    pools.invites.push(invite.id);
    pools.users.push(invite.user);
    pools.tokens.push(invite.user_token);
    return invite.id as string;
  };
  /** Completes an invite's Link, which connects an account. */
  const connect = async (inviteId: string) => {
    const { b } = await r.entered((await t.request('GET', `/v2/invites/${inviteId}`)).body);
    const verify = await r.login(b, `/connect/${inviteId}`, 'item_000000001', 'test_1', 'passgood');
    await b.follow(await b.submit(verify, { code: '8081' }));
    await listAccounts();
  };
  /** The pool holds the accounts there are (erasing a user takes theirs); returns how many. */
  const listAccounts = async () => {
    const accounts = (await t.request('GET', '/v2/accounts')).body.results.map((a: any) => a.id);
    pools.accounts.splice(0, Infinity, ...accounts);
    return accounts.length;
  };
  const addTemplate = async () => {
    pools.templates.push((await t.request('POST', '/v2/invite-templates', { body: TEMPLATE })).body.id);
  };
  const addWebhook = async () => {
    const hook = await t.request('POST', '/v2/webhooks', {
      body: { events: ['*'], name: 'fuzz', url: 'https://203.0.113.9/hook' },
    });
    if (hook.status !== 200) return;
    pools.webhooks.push(hook.body.id);
    const test = await t.request('POST', `/v2/webhooks/${hook.body.id}/test`);
    if (test.status === 200) pools.deliveries.push(test.body.id);
  };
  /**
   * The fuzzer erases users and deletes templates and webhooks; each one deleted is replaced,
   * so that requests keep reaching real objects for the whole run rather than only its start.
   */
  async function restock(path: string) {
    const [, , kind, id] = path.split('/');
    if (kind === 'users' && id && pools.users.includes(id)) {
      for (let i = pools.users.length - 1; i >= 0; i--) {
        if (pools.users[i] === id)
          for (const xs of [pools.invites, pools.users, pools.tokens]) xs.splice(i, 1);
      }
      // The fuzzer may have made settings require an external id.
      const fresh = await addInvite({ external_id: 'fuzz-restock' });
      if ((await listAccounts()) === 0) await connect(fresh);
    } else if (kind === 'invite-templates' && id && pools.templates.includes(id)) {
      pools.templates.splice(pools.templates.indexOf(id), 1);
      await addTemplate();
    } else if (kind === 'webhooks' && id && pools.webhooks.includes(id)) {
      pools.webhooks.splice(pools.webhooks.indexOf(id), 1);
      await addWebhook();
    }
  }

  for (const over of [{}, { phone_number: null }, { email: null }, {}]) await addInvite(over);
  await t.request('POST', `/v2/invites/${pools.invites[3]}/revoke`);
  await connect(pools.invites[0]!);
  await addTemplate();
  await addWebhook();

  const seen = { api: 0, apiOk: 0 };
  async function hit(method: string, url: string, headers: Record<string, string>, payload?: string) {
    // Time moves on, slowly enough that the key's own rate limit is never what answers.
    t.clock.advance(20);
    const remoteAddress = headers['x-from'];
    const res = await t.app.inject({ method: method as 'GET', url, headers, payload, remoteAddress });
    const what = `${method} ${url.slice(0, 300)} ${String(payload ?? '').slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 500)}`;
    expect(res.statusCode, what).toBeLessThan(500);
    expect(res.headers['x-request-id'], what).toBeTruthy();
    // As the request arrives: dot segments resolved (`/v2/../connect` is a page).
    const path = new URL(`http://x${url}`).pathname;
    if ((path.startsWith('/v2/') || path === '/outbox/messages') && method !== 'HEAD') {
      seen.api++;
      if (res.statusCode < 300) seen.apiOk++;
      const body = json(res.body, res.headers['content-type']);
      if (res.statusCode >= 400) expect(isDetail(body) || isFieldErrors(body), what).toBe(true);
      checker.check(method, path, res.statusCode, body);
      if (method === 'DELETE' && res.statusCode < 300) await restock(path);
    }
    return res;
  }
  return { t, doc, pools, other, hit, seen };
}

/** Text a header can carry (HTTP forbids control characters and anything past Latin-1). */
const headerText = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

/** Now and then (one time in `every`), a value; else nothing. */
const sometimes = <T>(every: number, arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: every - 1 }, { arbitrary: arb, weight: 1 });

const extraHeaders = fc
  .record({
    'content-type': sometimes(
      4,
      fc.constantFrom(
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        '',
      ),
    ),
    'idempotency-key': sometimes(
      3,
      fc.oneof(
        fc.constantFrom('k1', 'k2'),
        fc.nat(1000).map((n) => `key-${n}`),
        headerText(300),
      ),
    ),
    'x-request-id': sometimes(4, headerText(200)),
    accept: sometimes(4, fc.constantFrom('*/*', 'text/html', 'application/xml')),
  })
  .map(
    (h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

/** Who asks, and from where: mostly the key's owner; sometimes junk, from addresses of its own. */
function callers(t: TestApp, other: Credentials) {
  const junkAuth = [
    'Basic !!!',
    'Basic Og==',
    'Bearer x',
    basic({ api_key_id: 'nobody', api_key_secret: 's' }),
  ];
  return fc.oneof(
    { arbitrary: fc.constant({ authorization: basic(t.key), 'x-from': '192.0.2.1' }), weight: 40 },
    { arbitrary: fc.constant({ authorization: basic(other), 'x-from': '192.0.2.2' }), weight: 5 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...junkAuth), fc.nat(40))
        .map(([authorization, n]) => ({ authorization, 'x-from': `198.51.100.${n}` })),
      weight: 6,
    },
    { arbitrary: fc.constant({ 'x-from': '192.0.2.3' }), weight: 3 },
  );
}

/** A request to one of `ops`: its method or another, its path with ids of all kinds, query, body, headers. */
export function apiRequest(target: Awaited<ReturnType<typeof startFuzzTarget>>, ops: Operation[]) {
  const { doc, pools } = target;
  return fc.constantFrom(...ops).chain((o) =>
    fc
      .record({
        method: fc.oneof({ arbitrary: fc.constant(o.method), weight: 8 }, fc.constantFrom(...METHODS)),
        path: fc
          .tuple(
            ...[...o.path.matchAll(/\{([^}]+)\}/g)].map((m) =>
              paramValue(m[1]!, o.path, pools).map((v) => [m[0], v] as const),
            ),
          )
          .map((pairs) => pairs.reduce((p, [k, v]) => p.replace(k, v), o.path)),
        query: queryFor(o.op, doc, pools),
        body: bodyFor(o.op, doc, pools),
        caller: callers(target.t, target.other),
        headers: extraHeaders,
      })
      .map((r) => {
        const headers: Record<string, string> = { ...r.caller, ...r.headers };
        if (r.body !== undefined) headers['content-type'] ??= 'application/json';
        return { method: r.method, url: r.query ? `${r.path}?${r.query}` : r.path, headers, body: r.body };
      }),
  );
}
