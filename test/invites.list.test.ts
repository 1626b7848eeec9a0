import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
const TOTAL = 450;
const OPS = 'ops@team.example';
const LEAD = 'lead@team.example';

interface Seeded {
  id: string;
  created_at: string;
  status: string;
  reply_to: string[];
}
const seeded: Seeded[] = [];

// 150 creation times, each used by three invites, visited out of order: created_at
// ties must fall back to id, and ids (time-ordered) disagree with created_at.
const start = Date.parse('2026-01-15T12:00:00.000Z');
const createdAt = (i: number) => start + ((i * 67) % 150) * 1000;

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < TOTAL; i++) {
    t.clock.advance(createdAt(i) - t.clock.now().getTime());
    const replyTo = [[OPS], [OPS, LEAD], []][i % 3]!;
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({ first_name: `N${i}`, override_invite_template: { email: { reply_to: replyTo } } }),
    });
    expect(res.status).toBe(200);
    seeded.push({ id: res.body.id, created_at: res.body.created_at, status: 'sent', reply_to: replyTo });
  }
  t.clock.advance(createdAt(0) + 3_600_000 - t.clock.now().getTime());
  for (const [i, inv] of seeded.entries()) {
    if (i % 4 !== 1) continue;
    expect((await t.request('POST', `/v2/invites/${inv.id}/revoke`)).status).toBe(200);
    inv.status = 'revoked';
  }
}, 60_000);
afterAll(() => t.close());

const newestFirst = (a: Seeded, b: Seeded) =>
  a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1;

const path = (url: string) => {
  expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/v2/invites\\?cursor=[A-Za-z0-9_-]+$`));
  return url.slice(PUBLIC_URL.length);
};

async function page(url: string) {
  const res = await t.request('GET', url);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const inv of res.body.results) expect(inv.user_token).toBeNull();
  return res.body as { next: string | null; previous: string | null; results: any[] };
}

/** Follows `next` to the end, then `previous` back to the start; answers the ids seen each way. */
async function walk(query: string, limit: number) {
  const forward: string[][] = [];
  let p = await page(`/v2/invites${query}`);
  expect(p.previous).toBeNull();
  for (;;) {
    // A `next` that leads to an empty page would be a page too many.
    expect(p.results.length).toBeGreaterThan(0);
    forward.push(p.results.map((r) => r.id));
    if (!p.next) break;
    expect(p.results).toHaveLength(limit);
    p = await page(path(p.next));
  }
  const backward: string[][] = [];
  for (;;) {
    backward.unshift(p.results.map((r) => r.id));
    if (!p.previous) break;
    p = await page(path(p.previous));
    expect(p.results).toHaveLength(limit);
  }
  return { forward, backward };
}

const filters: [string, (s: Seeded) => boolean][] = [
  ['', () => true],
  ['status=revoked', (s) => s.status === 'revoked'],
  ['status=sent,completed', (s) => s.status === 'sent'],
  ['status=sent,revoked', () => true],
  ['status=revoked&status=attempted', (s) => s.status === 'revoked'],
  [`reply_to=${LEAD}`, (s) => s.reply_to.includes(LEAD)],
  [`reply_to=${OPS}&status=sent`, (s) => s.reply_to.includes(OPS) && s.status === 'sent'],
];
const limits: [string, number | undefined, number][] = [
  ['default', undefined, 10],
  ['1', 1, 1],
  ['7', 7, 7],
  ['200', 200, 200],
];

describe('GET /v2/invites pagination', () => {
  describe.each(filters)('filter "%s"', (filter, keep) => {
    it.each(limits)('limit %s: every invite once each way, newest first', async (_label, limit, size) => {
      // Sent as clients write them: a literal comma, an unencoded @.
      const query = [filter, limit ? `limit=${limit}` : ''].filter(Boolean).join('&');
      const expected = seeded
        .filter(keep)
        .sort(newestFirst)
        .map((s) => s.id);
      expect(expected.length).toBeGreaterThan(0);

      const { forward, backward } = await walk(query ? `?${query}` : '', size);
      expect(forward.flat()).toEqual(expected);
      expect(backward.flat()).toEqual(expected);
      expect(backward).toEqual(forward);
    });
  });

  it('answers an empty page when nothing matches', async () => {
    expect(await page('/v2/invites?status=completed,initiated')).toEqual({
      next: null,
      previous: null,
      results: [],
    });
  });

  it('matches reply_to without regard to case', async () => {
    const p = await page(`/v2/invites?reply_to=${LEAD.toUpperCase()}&limit=200`);
    expect(p.results).toHaveLength(150);
  });

  it('lists the objects as retrieved, without user token', async () => {
    const [first] = (await page('/v2/invites?limit=1')).results;
    const got = await t.request('GET', `/v2/invites/${first.id}`);
    expect(first).toEqual({ ...got.body, user_token: null });
  });
});

describe('GET /v2/invites rejects', () => {
  it.each([
    ['0', 'Ensure this value is greater than or equal to 1.'],
    ['201', 'Ensure this value is less than or equal to 200.'],
    ['abc', 'A valid integer is required.'],
    ['2.5', 'A valid integer is required.'],
  ])('limit=%s', async (limit, message) => {
    const res = await t.request('GET', `/v2/invites?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ limit: [message] });
  });

  it.each(['bogus', 'sent,bogus', 'SENT'])('status=%s', async (status) => {
    const res = await t.request('GET', `/v2/invites?status=${status}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: [expect.stringContaining(status.replace('sent,', ''))] });
  });

  it('an unknown status among repeated ones', async () => {
    const res = await t.request('GET', '/v2/invites?status=sent&status=expired');
    expect(res.body).toEqual({ status: [expect.stringContaining('expired')] });
  });

  it('a reply_to that is not an email', async () => {
    const res = await t.request('GET', '/v2/invites?reply_to=ops');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reply_to: ['Enter a valid email address.'] });
  });

  it('a tampered cursor', async () => {
    const next = (await page('/v2/invites?limit=5&status=sent')).next!;
    const cursor = new URL(next).searchParams.get('cursor')!;
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const reencode = (p: unknown) => Buffer.from(JSON.stringify(p)).toString('base64url');
    const tampered = [
      'abc',
      `${cursor.slice(0, -3)}`,
      `x${cursor}`,
      reencode({ ...payload, l: 1000 }),
      reencode({ ...payload, f: { status: ['bogus'] } }),
      reencode({ ...payload, d: 'sideways' }),
      reencode({ ...payload, k: [1, 2] }),
    ];
    for (const c of tampered) {
      const res = await t.request('GET', `/v2/invites?cursor=${encodeURIComponent(c)}`);
      expect(res.status, c).toBe(400);
      expect(res.body).toEqual({ cursor: ['Invalid cursor.'] });
    }
  });
});
