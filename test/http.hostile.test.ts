import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../src/auth/keys.service.ts';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { Browser, textOf } from './helpers/link.ts';

// What an attacker sends on purpose: bodies built to exhaust the stack or poison prototypes,
// credentials probed for which key ids exist, and user tokens re-encoded to slip past a check.
let t: TestApp;
beforeAll(async () => {
  // Every probe below is an authentication failure; the per-address guard has its own tests.
  t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '0' });
});
afterAll(() => t?.close());

const DEPTH = 10_000;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A valid send body as JSON text, with `field` set to raw JSON text. */
const sendWith = (field: string, raw: string) =>
  `${JSON.stringify(inviteBody()).slice(0, -1)},"${field}":${raw}}`;

const withAndWithoutKey = (): Record<string, string>[] => [{}, { 'idempotency-key': randomUUID() }];

const post = (payload: string, headers: Record<string, string> = {}) =>
  t.request('POST', '/v2/invites', { payload, headers: { 'content-type': 'application/json', ...headers } });

describe('deeply nested JSON', () => {
  const bodies: [string, string][] = [
    ['an array body', deepArray(DEPTH)],
    ['an object body', deepObject(DEPTH)],
    ['an array in a field', sendWith('override_invite_template', deepArray(DEPTH))],
    ['an object in a field', sendWith('override_invite_template', deepObject(DEPTH))],
  ];

  it('refuses 10,000 levels as a 400 that says so, with or without an Idempotency-Key, and writes nothing', async () => {
    const before = await countRows(t.deps);
    for (const [what, payload] of bodies) {
      for (const headers of withAndWithoutKey()) {
        const res = await post(payload, headers);
        expect(res.status, `${what} ${JSON.stringify(headers)}`).toBe(400);
        expect(res.body).toEqual({
          detail: expect.stringMatching(/^JSON parse error - .*nested too deeply/i),
        });
      }
    }
    expect(await countRows(t.deps)).toEqual(before);
    // The server is unharmed: the same request, sanely nested, goes through.
    expect((await post(JSON.stringify(inviteBody()))).status).toBe(200);
  });

  it('takes nesting up to the limit and refuses one level more', async () => {
    // 64 levels in all: the body, and 63 under a field the API ignores.
    const atLimit = await post(sendWith('extra', deepArray(63)));
    expect(atLimit.status).toBe(200);
    const beyond = await post(sendWith('extra', deepArray(64)));
    expect(beyond.status).toBe(400);
    expect(beyond.body.detail).toMatch(/nested too deeply/i);
  });

  it('counts only brackets outside strings', async () => {
    const res = await post(sendWith('extra', JSON.stringify(`${'[{'.repeat(DEPTH)}"\\`)));
    expect(res.status).toBe(200);
  });
});

describe('prototype keys in JSON', () => {
  const poisons = [
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"\\u005f_proto__":{"polluted":"yes"}}',
  ];

  it('refuses __proto__ and constructor.prototype at the top level and nested, and writes nothing', async () => {
    const before = await countRows(t.deps);
    for (const poison of poisons) {
      const top = `${poison.slice(0, -1)},${JSON.stringify(inviteBody()).slice(1)}`;
      for (const payload of [top, sendWith('override_invite_template', poison)]) {
        for (const headers of withAndWithoutKey()) {
          const res = await post(payload, headers);
          expect(res.status, payload).toBe(400);
          expect(res.body).toEqual({ detail: expect.stringMatching(/^JSON parse error - ./) });
        }
      }
    }
    expect(await countRows(t.deps)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('still takes a constructor field that is plain data', async () => {
    const res = await post(sendWith('constructor', '"plain"'));
    expect(res.status).toBe(200);
  });
});

describe('user tokens in non-canonical base64url', () => {
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /** The same 32 bytes with the last character's two unused bits set differently. */
  const sameBytes = (signature: string) => {
    const last = B64URL.indexOf(signature.slice(-1));
    return [1, 2, 3].map((bits) => `${signature.slice(0, -1)}${B64URL[last ^ bits]}`);
  };

  const pageFor = (token: string) => new Browser(t.app).get(`/link?user_token=${encodeURIComponent(token)}`);

  it('answers every re-encoding as an invalid token, and the token as issued works', async () => {
    const sent = await post(JSON.stringify(inviteBody()));
    expect(sent.status).toBe(200);
    // Tokens until one's signature uses - or _, which the lenient decoder also reads as + and /.
    let token = sent.body.user_token as string;
    for (let i = 0; i < 50 && !/[-_]/.test(token.split('.')[2] ?? ''); i++) {
      token = (await t.request('POST', '/v2/user-tokens', { body: { user: sent.body.user } })).body
        .user_token;
    }
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(signature).toMatch(/[-_]/);
    expect(Buffer.from(sameBytes(signature)[0] ?? '', 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );

    const forged = [
      `${token}=`,
      `${token}==`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}=.${signature}`,
      `${header}.${payload}.${signature.replace(/-/g, '+').replace(/_/g, '/')}`,
      `${header}.${payload}.${signature.slice(0, 20)} ${signature.slice(20)}`,
      ...sameBytes(signature).map((s) => `${header}.${payload}.${s}`),
    ];
    for (const bad of forged) {
      const page = await pageFor(bad);
      expect(page.status, bad).toBe(401);
      expect(textOf(page.html)).toContain('no longer valid');
    }
    expect((await pageFor(token)).status).toBe(200);
  });
});

describe('API key ids', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

  async function timeFailure(auth: { api_key_id: string; api_key_secret: string }): Promise<number> {
    const start = process.hrtime.bigint();
    const res = await t.request('GET', '/v2/invites', { auth: { ...auth, client_id: '' } });
    expect(res.status).toBe(401);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  it('a wrong secret costs the slow hash whether the key id exists, never existed or was revoked', async () => {
    const revoked = await t.newKey();
    await revokeKey(t.deps, revoked.api_key_id);
    const probes = {
      known: { api_key_id: t.key.api_key_id, api_key_secret: 'wrong-secret' },
      unknown: { api_key_id: randomUUID(), api_key_secret: 'wrong-secret' },
      revoked: { api_key_id: revoked.api_key_id, api_key_secret: revoked.api_key_secret },
    };
    const times = { known: [] as number[], unknown: [] as number[], revoked: [] as number[] };
    // Taken in turns, so that a change in the machine's load falls on every kind alike;
    // the first round warms up and is not counted.
    for (let round = 0; round <= 5; round++) {
      for (const kind of ['known', 'unknown', 'revoked'] as const) {
        const ms = await timeFailure(probes[kind]);
        if (round > 0) times[kind].push(ms);
      }
    }
    const medians = {
      known: median(times.known),
      unknown: median(times.unknown),
      revoked: median(times.revoked),
    };
    console.info(`median ms of a failed authentication: ${JSON.stringify(medians)}`);
    // Only that the slow hash runs (without it a refusal takes about 1 ms): the ratio itself
    // varies with the machine's load.
    expect(medians.unknown).toBeGreaterThanOrEqual(medians.known * 0.3);
    expect(medians.revoked).toBeGreaterThanOrEqual(medians.known * 0.3);
    // The right secret still works after all that.
    expect((await t.request('GET', '/v2/invites')).status).toBe(200);
  });
});
