import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { failInvitesNamed } from './helpers/faults.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const send = (key: string, body: unknown = inviteBody(), auth?: Credentials) =>
  t.request('POST', '/v2/invites', { body, auth, headers: { 'idempotency-key': key } });
const replayed = (res: { headers: Record<string, unknown> }) => res.headers['idempotent-replayed'] === 'true';

describe('Idempotency-Key on POST', () => {
  it('sends one invite for 50 concurrent requests with one key, and answers all 50 alike', async () => {
    const before = await countRows(t.deps);
    const answers = await Promise.all(Array.from({ length: 50 }, () => send('burst')));
    const after = await countRows(t.deps);
    expect(after.invites).toBe(before.invites! + 1);
    expect(after.deliveries).toBe(before.deliveries! + 2);
    expect(answers[0]!.status).toBe(200);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.raw).toBe(answers[0]!.raw);
    }
    // One request ran; the other 49 replayed its answer.
    expect(answers.filter(replayed)).toHaveLength(49);
  });

  it('replays the stored answer to a later retry', async () => {
    const first = await send('retry-later');
    const before = await countRows(t.deps);
    const again = await send('retry-later');
    expect(again.status).toBe(200);
    expect(again.raw).toBe(first.raw);
    expect(replayed(again)).toBe(true);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('takes the same body with its keys in another order as the same request', async () => {
    const first = await send('order', { first_name: 'Ann', last_name: 'Lee', email: 'ann@lee.example' });
    const again = await send('order', { email: 'ann@lee.example', last_name: 'Lee', first_name: 'Ann' });
    expect(again.raw).toBe(first.raw);
    expect(replayed(again)).toBe(true);
  });

  it('refuses the key with another body, path or method: 400, nothing written', async () => {
    const first = await send('reused');
    const before = await countRows(t.deps);
    const others = [
      send('reused', inviteBody({ first_name: 'Other' })),
      t.request('POST', `/v2/invites/${first.body.id}`, { headers: { 'idempotency-key': 'reused' } }),
      t.request('POST', `/v2/invites/${first.body.id}/revoke`, { headers: { 'idempotency-key': 'reused' } }),
      t.request('POST', '/v2/user-tokens', {
        body: { user: first.body.user },
        headers: { 'idempotency-key': 'reused' },
      }),
    ];
    for (const res of await Promise.all(others)) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ detail: expect.stringMatching(/Idempotency-Key .*different request/) });
    }
    expect(await countRows(t.deps)).toEqual(before);
    expect((await t.request('GET', `/v2/invites/${first.body.id}`)).body.status).toBe('sent');
  });

  it('keeps keys per client: another client’s key of the same name is its own', async () => {
    const other = await t.newKey();
    const mine = await send('shared-name');
    const theirs = await send('shared-name', inviteBody(), other);
    expect(theirs.status).toBe(200);
    expect(replayed(theirs)).toBe(false);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('shares keys between the API keys of one client', async () => {
    const sibling = await t.newKey({ clientId: t.key.client_id });
    const first = await send('sibling');
    const again = await send('sibling', inviteBody(), sibling);
    expect(again.raw).toBe(first.raw);
    expect(replayed(again)).toBe(true);
  });

  it('replays a 4xx answer too', async () => {
    const bad = inviteBody({ email: 'not-an-email' });
    const first = await send('bad-body', bad);
    expect(first.status).toBe(400);
    const again = await send('bad-body', bad);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    expect(replayed(again)).toBe(true);
  });

  it('does not keep a 5xx answer, so the same request can be retried', async () => {
    const body = inviteBody({ first_name: 'Faulty' });
    const restore = await failInvitesNamed(t.deps.db, 'Faulty');
    const failed = await send('after-5xx', body);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ detail: 'A server error occurred.' });
    await restore();
    const retried = await send('after-5xx', body);
    expect(retried.status).toBe(200);
    expect(replayed(retried)).toBe(false);
    expect(retried.body.first_name).toBe('Faulty');
  });

  it('runs the request again when the one holding the key died before answering', async () => {
    const first = await send('crashed');
    // What a process that died mid-request leaves: the claim, with no answer.
    await t.deps.db
      .updateTable('idempotency_keys')
      .set({ state: 'pending', status_code: null, body: null, locked_until: t.clock.now().toISOString() })
      .where('key', '=', 'crashed')
      .execute();
    const retried = await send('crashed');
    expect(retried.status).toBe(200);
    expect(replayed(retried)).toBe(false);
    expect(retried.body.id).not.toBe(first.body.id);
    const again = await send('crashed');
    expect(again.raw).toBe(retried.raw);
    expect(replayed(again)).toBe(true);
  });

  it('forgets a key after 24 hours', async () => {
    const first = await send('day-old');
    t.clock.advance(24 * 60 * 60 * 1000);
    const later = await send('day-old', inviteBody({ first_name: 'Later' }));
    expect(later.status).toBe(200);
    expect(replayed(later)).toBe(false);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('refuses a key that is not 1 to 255 printable ASCII characters, writing nothing', async () => {
    const before = await countRows(t.deps);
    for (const key of ['x'.repeat(256), 'caf\u00e9', ' ']) {
      const res = await send(key);
      expect(res.status, key).toBe(400);
      expect(res.body).toEqual({ detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters.' });
    }
    expect(await countRows(t.deps)).toEqual(before);
    expect((await send('x'.repeat(255))).status).toBe(200);
  });

  it('leaves reads alone', async () => {
    const headers = { 'idempotency-key': 'a-read' };
    await t.request('GET', '/v2/invites?limit=1', { headers });
    await send('read-then-write', inviteBody({ first_name: 'Newest' }));
    const res = await t.request('GET', '/v2/invites?limit=1', { headers });
    expect(replayed(res)).toBe(false);
    expect(res.body.results[0].first_name).toBe('Newest');
  });

  it('is documented on every POST operation', async () => {
    const doc = (await t.request('GET', '/openapi.json', { auth: null })).body;
    const posts = Object.entries(doc.paths as Record<string, any>).filter(
      ([path, ops]) => path.startsWith('/v2/') && ops.post,
    );
    expect(posts.length).toBeGreaterThanOrEqual(5);
    for (const [path, ops] of posts) {
      const names = (ops.post.parameters ?? []).map((p: any) => `${p.in}:${p.name}`);
      expect(names, path).toContain('header:idempotency-key');
      expect(Object.keys(ops.post.responses), path).toEqual(expect.arrayContaining(['400', '409']));
    }
  });
});
