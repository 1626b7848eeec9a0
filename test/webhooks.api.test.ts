import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertWebhook } from '../src/webhooks/webhooks.repo.ts';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

// Private targets are refused here (the default); no test in this file sends to a public address.
let t: TestApp;
let receiver: Receiver;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'false' });
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** A public address nothing in this file ever sends to. */
const PUBLIC = 'https://93.184.215.14/hooks/invitekit';
const hook = (over: Record<string, unknown> = {}) => ({
  events: ['invites.completed'],
  name: 'CRM sync',
  url: PUBLIC,
  ...over,
});
const countWebhooks = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('POST/GET/DELETE /v2/webhooks', () => {
  it('creates, retrieves, lists and deletes a subscription, with a generated secret', async () => {
    const created = await t.request('POST', '/v2/webhooks', { body: hook() });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'CRM sync',
      events: ['invites.completed'],
      config: {},
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      url: PUBLIC,
      created_at: t.clock.now().toISOString(),
      updated_at: t.clock.now().toISOString(),
      last_sent_at: null,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
    });
    t.clock.advance(1000);
    const second = await t.request('POST', '/v2/webhooks', {
      body: hook({ events: ['*', '*'], secret: 'my-own-secret', config: { include_resource: true } }),
    });
    expect(second.body).toMatchObject({
      events: ['*'],
      secret: 'my-own-secret',
      config: { include_resource: true },
    });
    expect(second.body.secret).not.toBe(created.body.secret);

    expect((await t.request('GET', `/v2/webhooks/${created.body.id}`)).body).toEqual(created.body);
    const page1 = await t.request('GET', '/v2/webhooks?limit=1');
    expect(page1.body.results).toEqual([second.body]);
    const next = new URL(page1.body.next);
    const page2 = await t.request('GET', next.pathname + next.search);
    expect(page2.body).toMatchObject({ results: [created.body], next: null });

    for (const id of [created.body.id, second.body.id]) {
      expect((await t.request('DELETE', `/v2/webhooks/${id}`)).status).toBe(204);
      expect((await t.request('GET', `/v2/webhooks/${id}`)).status).toBe(404);
      expect((await t.request('DELETE', `/v2/webhooks/${id}`)).status).toBe(404);
    }
    expect((await t.request('GET', '/v2/webhooks')).body.results).toEqual([]);
  });

  it('answers bad subscriptions field by field and stores nothing', async () => {
    const before = await countWebhooks();
    const empty = await t.request('POST', '/v2/webhooks', { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      events: ['This field is required.'],
      name: ['This field is required.'],
      url: ['This field is required.'],
    });
    const bad = await t.request('POST', '/v2/webhooks', {
      body: {
        events: ['invites.sent', 'invites.exploded'],
        name: '',
        url: 'ftp://example.com/x',
        config: [],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      events: { '1': ['"invites.exploded" is not a valid choice.'] },
      name: ['This field may not be blank.'],
      url: ['Enter a valid URL (http or https).'],
      config: ['Expected a dictionary of items but got type "list".'],
    });
    const none = await t.request('POST', '/v2/webhooks', { body: hook({ events: [] }) });
    expect(none.body).toEqual({ events: ['This list may not be empty.'] });
    expect(await countWebhooks()).toBe(before);
  });

  it('keeps each client’s subscriptions to itself', async () => {
    const mine = (await t.request('POST', '/v2/webhooks', { body: hook() })).body;
    const other = await t.newKey();
    for (const [method, path] of [
      ['GET', `/v2/webhooks/${mine.id}`],
      ['DELETE', `/v2/webhooks/${mine.id}`],
      ['POST', `/v2/webhooks/${mine.id}/test`],
      ['GET', `/v2/webhooks/${mine.id}/deliveries`],
    ] as const) {
      expect((await t.request(method, path, { auth: other })).status, `${method} ${path}`).toBe(404);
    }
    expect((await t.request('GET', '/v2/webhooks', { auth: other })).body.results).toEqual([]);
    expect((await t.request('GET', '/v2/webhooks', { auth: null })).status).toBe(401);
    expect((await t.request('GET', `/v2/webhooks/${mine.id}`)).status).toBe(200);
    await t.request('DELETE', `/v2/webhooks/${mine.id}`);
  });
});

describe('private addresses (WEBHOOKS_ALLOW_PRIVATE=false)', () => {
  it('refuses URLs on private, loopback, link-local and unique-local addresses', async () => {
    const before = await countWebhooks();
    for (const url of [
      receiver.url('/hook'),
      'http://localhost:8080/hook',
      'http://10.0.0.8/hook',
      'http://192.168.1.20/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://2130706433/hook',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
    ]) {
      const res = await t.request('POST', '/v2/webhooks', { body: hook({ url }) });
      expect(res.status, url).toBe(400);
      expect(res.body.url, url).toEqual([expect.stringMatching(/^Enter a public URL: .* is a private/)]);
    }
    expect(await countWebhooks()).toBe(before);
  });

  it('checks the address again when connecting, so a name that turned private is not called', async () => {
    const key = await t.newKey();
    // As if `localhost` had resolved to a public address when the subscription was made.
    await insertWebhook(t.deps.db, {
      client_id: key.client_id,
      id: '01900000-0000-7000-8000-000000000001',
      name: 'rebound',
      url: `http://localhost:${receiver.port}/rebound`,
      events: '["users.created"]',
      config: '{}',
      secret: 'x'.repeat(32),
      created_at: t.clock.now().toISOString(),
      updated_at: t.clock.now().toISOString(),
      last_sent_at: null,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
    });
    await t.request('POST', '/v2/invites', { auth: key, body: inviteBody() });
    await t.drain();
    expect(receiver.hits('/rebound')).toEqual([]);
    const list = await t.request('GET', '/v2/webhooks/01900000-0000-7000-8000-000000000001/deliveries', {
      auth: key,
    });
    expect(list.body.results).toEqual([
      expect.objectContaining({
        event: 'users.created',
        status: 'failed',
        attempts: 1,
        response_status: null,
        next_attempt_at: null,
        error: expect.stringMatching(/localhost resolves to .* which is a private, loopback or link-local/),
      }),
    ]);
  });
});
