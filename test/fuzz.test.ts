import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripText } from '../src/http/drf-input.ts';
import { type ApiResponse, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import {
  cursorJunk,
  editedCursor,
  isDetail,
  isFieldErrors,
  mutatedBody,
  notJson,
  query,
} from './helpers/fuzz.ts';

// Property runs are many small requests; a generous per-test limit keeps a loaded machine from failing them.
const SLOW = 120_000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent' });
});
afterAll(() => t?.close());

/** What every answer to junk must satisfy; returns whether the request was accepted. */
async function expectSafe(res: ApiResponse, before: Record<string, number>, what: string): Promise<boolean> {
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(isDetail(res.body) || isFieldErrors(res.body), `${what} → ${res.raw.slice(0, 500)}`).toBe(true);
    expect(await countRows(t.deps), what).toEqual(before);
    return false;
  }
  expect(res.status, what).toBe(200);
  return true;
}

async function sendProperty(body: unknown): Promise<void> {
  const payload = JSON.stringify(body) ?? '';
  const before = await countRows(t.deps);
  const res = await t.request('POST', '/v2/invites', {
    payload,
    headers: { 'content-type': 'application/json' },
  });
  const what = `POST /v2/invites ${payload.slice(0, 300)}`;
  if (!(await expectSafe(res, before, what))) return;
  const invite = res.body;
  expect(invite.status).toBe('sent');
  expect(invite.full_name).toBe(`${invite.first_name} ${invite.last_name}`.trim());
  // Blank as DRF judges it: Python's strip(), which keeps U+FEFF (JavaScript's trim() does not).
  expect(stripText(invite.first_name)).not.toBe('');
  const methods = invite.deliveries.map((d: { method: string }) => d.method).sort();
  expect(methods).toEqual([...(invite.email ? ['email'] : []), ...(invite.phone_number ? ['sms'] : [])]);
  const after = await countRows(t.deps);
  expect(after.invites).toBe(before.invites! + 1);
  expect(after.users).toBe(before.users! + 1);
  expect(after.deliveries).toBe(before.deliveries! + methods.length);
  // Whatever was accepted must read back, alone and in the list.
  const got = await t.request('GET', `/v2/invites/${invite.id}`);
  expect(got.status, what).toBe(200);
  expect({ ...got.body, user_token: null }).toEqual({ ...invite, user_token: null });
  const listed = await t.request('GET', '/v2/invites?limit=1');
  expect(listed.status, what).toBe(200);
  expect(listed.body.results).toEqual([{ ...invite, user_token: null }]);
}

describe('POST /v2/invites with random bodies', () => {
  it(
    'survives any JSON value',
    () => fc.assert(fc.asyncProperty(fc.anything(), sendProperty), { numRuns: 500 }),
    SLOW,
  );

  it(
    'survives random objects',
    () => fc.assert(fc.asyncProperty(fc.object(), sendProperty), { numRuns: 300 }),
    SLOW,
  );

  it(
    'survives mutations of a valid body',
    async () => {
      await fc.assert(fc.asyncProperty(mutatedBody, sendProperty), { numRuns: 1200 });
      // The mutations must reach the accepting path too, or the 200 checks above prove nothing.
      expect((await countRows(t.deps)).invites).toBeGreaterThan(20);
    },
    SLOW,
  );

  it(
    'answers invalid JSON with a 400 detail',
    async () => {
      const routes = ['/v2/invites', '/v2/invite-templates', '/v2/user-tokens'];
      await fc.assert(
        fc.asyncProperty(notJson, fc.constantFrom(...routes), async (payload, url) => {
          const before = await countRows(t.deps);
          const res = await t.request('POST', url, {
            payload,
            headers: { 'content-type': 'application/json' },
          });
          expect(res.status).toBe(400);
          expect(isDetail(res.body)).toBe(true);
          expect(res.body.detail).toMatch(/^JSON parse error - /);
          expect(await countRows(t.deps)).toEqual(before);
        }),
        { numRuns: 300 },
      );
    },
    SLOW,
  );
});

describe('list endpoints with random query strings', () => {
  const real: Record<string, string> = {};
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      await t.request('POST', '/v2/invites', {
        body: inviteBody({ external_id: 'e', override_invite_template: { email: { reply_to: ['a@b.co'] } } }),
      });
    }
    for (const url of [
      '/v2/invites?limit=1&status=sent&reply_to=a@b.co',
      '/v2/users?limit=1&external_id=e',
    ]) {
      const next: string = (await t.request('GET', url)).body.next;
      real[url.split('?')[0]!] = new URL(next).searchParams.get('cursor')!;
    }
  });

  for (const [path, runs] of [
    ['/v2/invites', 500],
    ['/v2/users', 300],
  ] as const) {
    const check = async (qs: string) => {
      const before = await countRows(t.deps);
      const res = await t.request('GET', `${path}?${qs}`);
      await expectSafe(res, before, `GET ${path}?${qs.slice(0, 300)}`);
      expect(await countRows(t.deps)).toEqual(before);
      if (res.status === 200) expect(res.body.results.length).toBeLessThanOrEqual(200);
    };

    it(
      `GET ${path} never fails and never writes`,
      async () => {
        await fc.assert(fc.asyncProperty(query, check), { numRuns: runs });
      },
      SLOW,
    );

    it(
      `GET ${path} with a tampered cursor never fails`,
      async () => {
        const cursor = fc.oneof(
          cursorJunk,
          editedCursor(() => real[path]!),
        );
        await fc.assert(
          fc.asyncProperty(cursor, (c) => check(`cursor=${encodeURIComponent(c)}`)),
          { numRuns: 200 },
        );
      },
      SLOW,
    );
  }
});
