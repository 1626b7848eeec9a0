import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

// Text a database cannot take must be a 400 on every database, never a 500 on one of them.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const cursor = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('text the database cannot store', () => {
  it('refuses a null character in a body field, as DRF does, and writes nothing', async () => {
    const before = await countRows(t.deps);
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({ first_name: 'Sa\u0000rah', flow_items: ['a\u0000'] }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      first_name: ['Null characters are not allowed.'],
      flow_items: { 0: ['Null characters are not allowed.'] },
    });
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('refuses a null character in a query parameter', async () => {
    const res = await t.request('GET', `/v2/invites?reply_to=${encodeURIComponent('a\u0000@b.co')}`);
    expect(res.status).toBe(400);
    expect(res.body.reply_to).toContain('Null characters are not allowed.');
  });

  it('answers a cursor whose position is not a time, or that carries impossible filters, as invalid', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await t.request('POST', '/v2/invites', { body: inviteBody() })).status).toBe(200);
    }
    const first = await t.request('GET', '/v2/invites?limit=1&status=sent');
    const next = new URL(first.body.next).searchParams.get('cursor')!;
    const real = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    expect((await t.request('GET', `/v2/invites?cursor=${cursor(real)}`)).status).toBe(200);

    const [at, id] = real.k;
    for (const payload of [
      { ...real, k: ['', id] },
      { ...real, k: ['2026-02-30T00:00:00.000Z', id] },
      { ...real, k: ['15 Jan 2026 12:00:00 GMT', id] },
      { ...real, k: [at, 'a\u0000'] },
      { ...real, f: { status: [] } },
      { ...real, f: { reply_to: 'a\u0000@b.co' } },
    ]) {
      const res = await t.request('GET', `/v2/invites?cursor=${cursor(payload)}`);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body).toEqual({ cursor: ['Invalid cursor.'] });
    }
  });
});
