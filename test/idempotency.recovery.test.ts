import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IDEMPOTENCY_LEASE_SECONDS: '2', WEBHOOKS_ALLOW_PRIVATE: 'true' });
});
afterAll(() => t?.close());

/** What a crash leaves behind after the change committed and before the answer was stored. */
async function crashAfterCommit(key: string, resource: string) {
  const past = new Date(t.clock.now().getTime() - 60_000).toISOString();
  await t.deps.db
    .updateTable('idempotency_keys')
    .set({
      state: 'committed',
      resource,
      status_code: null,
      content_type: null,
      body: null,
      locked_until: past,
    })
    .where('key', '=', key)
    .execute();
}

describe('a retry of a request that committed and died before answering', () => {
  it('answers the invite it made and makes no second one', async () => {
    const headers = { 'idempotency-key': 'committed-send' };
    const body = inviteBody({ external_id: 'once' });
    const first = await t.request('POST', '/v2/invites', { headers, body });
    expect(first.status).toBe(200);
    await crashAfterCommit('committed-send', `invite:${first.body.id}`);
    const before = await countRows(t.deps);

    const retry = await t.request('POST', '/v2/invites', { headers, body });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.user).toBe(first.body.user);
    expect(await countRows(t.deps)).toEqual(before);
    // The recovered answer is stored: the next retry replays it.
    const again = await t.request('POST', '/v2/invites', { headers, body });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('answers a revoke and a re-send the same way', async () => {
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    const resend = { 'idempotency-key': 'committed-resend' };
    expect((await t.request('POST', `/v2/invites/${sent.id}`, { headers: resend })).status).toBe(200);
    await crashAfterCommit('committed-resend', `invite:${sent.id}`);
    const deliveries = (await countRows(t.deps)).deliveries;
    const retried = await t.request('POST', `/v2/invites/${sent.id}`, { headers: resend });
    expect(retried.status).toBe(200);
    expect(retried.body.deliveries).toHaveLength(4);
    expect((await countRows(t.deps)).deliveries).toBe(deliveries);
  });

  it('answers a webhook subscription it made', async () => {
    const headers = { 'idempotency-key': 'committed-webhook' };
    const body = { events: ['*'], name: 'once', url: 'http://127.0.0.1:9/hook' };
    const first = await t.request('POST', '/v2/webhooks', { headers, body });
    expect(first.status).toBe(200);
    await crashAfterCommit('committed-webhook', `webhook:${first.body.id}`);
    const retry = await t.request('POST', '/v2/webhooks', { headers, body });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect((await t.request('GET', '/v2/webhooks')).body.results).toHaveLength(1);
  });
});
