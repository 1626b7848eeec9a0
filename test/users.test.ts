import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  countRows,
  inviteBody,
  PUBLIC_URL,
  startTestApp,
  type TestApp,
} from './helpers/app.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const send = async (over: Record<string, unknown> = {}, auth?: TestApp['key']) => {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over), auth });
  expect(res.status).toBe(200);
  return res.body;
};

/** Follows `next` (or `previous`) links from `url` to the end, returning every page. */
async function walk(url: string, link: 'next' | 'previous' = 'next') {
  const pages: any[] = [];
  let current: string | null = url;
  while (current) {
    expect(pages.length).toBeLessThan(50);
    const res: ApiResponse = await t.request('GET', current.replace(PUBLIC_URL, ''));
    expect(res.status).toBe(200);
    pages.push(res.body);
    current = res.body[link];
  }
  return pages;
}

describe('users', () => {
  it('retrieves the user an invite created', async () => {
    const invite = await send({ external_id: 'ext-1', first_name: 'Ana', last_name: 'Lima' });
    const res = await t.request('GET', `/v2/users/${invite.user}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: invite.user,
      created_at: invite.created_at,
      external_id: 'ext-1',
      first_name: 'Ana',
      last_name: 'Lima',
      email: 'sarah@email.com',
      phone_number: '212-555-5555',
      items_connected: [],
      employers_connected: [],
    });
    expect((await t.request('GET', `/v2/users/${invite.user.toUpperCase()}`)).body.id).toBe(invite.user);
  });

  it("answers 404 for an unknown id or another client's user", async () => {
    const other = await t.newKey();
    const invite = await send({}, other);
    for (const id of [invite.user, '0e41254b-bed6-12cd-959d-63470f57c7f5', 'nope']) {
      const res = await t.request('GET', `/v2/users/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    }
  });
});

describe('user list', () => {
  let pagedIds: string[];
  beforeAll(async () => {
    // Several users share an instant so that order falls back to the id.
    pagedIds = [];
    for (let i = 0; i < 23; i++) {
      if (i % 4 === 0) t.clock.advance(1000);
      pagedIds.push((await send({ external_id: 'paged', first_name: `P${i}` })).user);
      if (i % 3 === 0) await send({ external_id: 'noise' });
    }
  });

  it('filters by external_id', async () => {
    const res = await t.request('GET', '/v2/users?external_id=ext-1');
    expect(res.status).toBe(200);
    expect(res.body.results.map((u: any) => u.external_id)).toEqual(['ext-1']);
    expect((await t.request('GET', '/v2/users?external_id=none')).body).toEqual({
      next: null,
      previous: null,
      results: [],
    });
  });

  it('pages through every user newest first, the cursor keeping filter and limit', async () => {
    const pages = await walk('/v2/users?external_id=paged&limit=10');
    expect(pages.map((p) => p.results.length)).toEqual([10, 10, 3]);
    expect(pages.flatMap((p) => p.results.map((u: any) => u.id))).toEqual([...pagedIds].reverse());
    expect(pages[0].previous).toBeNull();
    expect(pages[2].next).toBeNull();
    for (const p of pages.slice(1))
      expect(p.previous).toMatch(/^http:\/\/invitekit\.test\/v2\/users\?cursor=[^&]+$/);
    for (const p of pages.slice(0, -1))
      expect(p.next).toMatch(/^http:\/\/invitekit\.test\/v2\/users\?cursor=[^&]+$/);

    const back = await walk(pages[2].previous, 'previous');
    expect(back.map((p) => p.results.map((u: any) => u.id))).toEqual(
      [pages[1], pages[0]].map((p) => p.results.map((u: any) => u.id)),
    );
  });

  it('lists all users 10 a page by default', async () => {
    const pages = await walk('/v2/users');
    const all = pages.flatMap((p) => p.results);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((p) => p.results.length === 10)).toBe(true);
    expect(new Set(all.map((u: any) => u.id)).size).toBe(all.length);
    const keys = all.map((u: any) => `${u.created_at} ${u.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('rejects a bad limit or cursor', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=abc']) {
      const res = await t.request('GET', `/v2/users?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body).toEqual({ limit: [expect.any(String)] });
    }
    const res = await t.request('GET', '/v2/users?cursor=garbage');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ cursor: [expect.any(String)] });
  });
});

describe('user tokens', () => {
  const create = (body: unknown, auth?: TestApp['key']) =>
    t.request('POST', '/v2/user-tokens', { body, auth });

  it('issues a one-hour HS256 token for the user', async () => {
    const invite = await send();
    const res = await create({ user: invite.user.toUpperCase() });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['user_token']);
    const { payload, protectedHeader } = await jwtVerify(res.body.user_token, t.deps.userTokenKey, {
      algorithms: ['HS256'],
      currentDate: t.clock.now(),
    });
    expect(protectedHeader.alg).toBe('HS256');
    const iat = Math.floor(t.clock.now().getTime() / 1000);
    expect(payload).toEqual({
      client_id: t.key.client_id,
      sub: invite.user,
      user_id: invite.user,
      iat,
      exp: iat + 3600,
      jti: expect.stringMatching(UUID),
      iss: expect.any(String),
    });
    expect(payload.iss).not.toBe('');
    const again = await jwtVerify(
      (await create({ user: invite.user })).body.user_token,
      t.deps.userTokenKey,
      {
        currentDate: t.clock.now(),
      },
    );
    expect(again.payload.jti).not.toBe(payload.jti);
    await expect(
      jwtVerify(res.body.user_token, t.deps.userTokenKey, {
        currentDate: new Date(t.clock.now().getTime() + 3601_000),
      }),
    ).rejects.toThrow();
  });

  it("rejects an unknown or another client's user on `user`", async () => {
    const theirs = await send({}, await t.newKey());
    for (const user of [theirs.user, '0e41254b-bed6-12cd-959d-63470f57c7f5']) {
      const res = await create({ user });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ user: [expect.stringContaining('does not exist')] });
    }
  });

  it('validates the body', async () => {
    const before = await countRows(t.deps);
    const cases: [unknown, string][] = [
      [{}, 'This field is required.'],
      [{ user: 'not-a-uuid' }, 'Must be a valid UUID.'],
      [{ user: 42 }, expect.any(String)],
      [{ user: null }, expect.any(String)],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ user: [message] });
    }
    expect((await t.request('POST', '/v2/user-tokens')).body).toEqual({ user: ['This field is required.'] });
    expect(await countRows(t.deps)).toEqual(before);
  });
});
