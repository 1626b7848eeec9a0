import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { pathOf, recipient } from './helpers/link.ts';

// Deliveries are only queued here, never sent: each one's payload is read back from the API.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'false' });
});
afterAll(() => t?.close());

const hook = (events: string[]) => ({
  events,
  name: 'CRM sync',
  url: 'https://93.184.215.14/hooks/invitekit',
});

describe('which subscriptions get an event', () => {
  it('queues a delivery for subscriptions that name the event or "*", not for others', async () => {
    const key = await t.newKey();
    const create = async (events: string[]) =>
      (await t.request('POST', '/v2/webhooks', { auth: key, body: hook(events) })).body;
    const all = await create(['*']);
    const revoked = await create(['invites.revoked']);
    const users = await create(['users.created', 'accounts.connected']);
    const eventsOf = async (h: any) =>
      (await t.request('GET', `/v2/webhooks/${h.id}/deliveries?limit=200`, { auth: key })).body.results
        .map((d: any) => d.event)
        .sort();

    const invite = (await t.request('POST', '/v2/invites', { auth: key, body: inviteBody() })).body;
    await t.request('POST', `/v2/invites/${invite.id}/revoke`, { auth: key });
    expect(await eventsOf(all)).toEqual(['invites.revoked', 'invites.sent', 'users.created']);
    expect(await eventsOf(revoked)).toEqual(['invites.revoked']);
    expect(await eventsOf(users)).toEqual(['users.created']);

    // Deleting a subscription takes its deliveries along and cancels their queued sends.
    for (const h of [all, revoked, users]) await t.request('DELETE', `/v2/webhooks/${h.id}`, { auth: key });
    const live = await t.deps.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'webhook.send')
      .where('status', '=', 'queued')
      .execute();
    expect(live).toEqual([]);
  });
});

describe('what the recipient does in Link', () => {
  it('becomes invites.initiated, invites.attempted, accounts.connected and invites.completed', async () => {
    const h = (await t.request('POST', '/v2/webhooks', { body: hook(['*']) })).body;
    const r = recipient(t);
    const invite = await r.send();
    const { b } = await r.entered(invite);
    t.clock.advance(1000);
    const code = await r.login(b, pathOf(invite.url), 'item_000000011', 'test_2', 'passgood');
    await b.submit(code, { code: '8082' });

    const list = await t.request('GET', `/v2/webhooks/${h.id}/deliveries?limit=200`);
    const payloads = list.body.results.map((d: any) => d.payload).reverse();
    expect(payloads.map((p: any) => p.event)).toEqual([
      'users.created',
      'invites.sent',
      'invites.initiated',
      'invites.attempted',
      'accounts.connected',
      'invites.completed',
    ]);
    const [, , initiated, attempted, connected, completed] = payloads;
    expect(initiated.data).toMatchObject({
      invite: invite.id,
      via: 'invite_url',
      resource: { status: 'initiated' },
    });
    expect(attempted.data).toMatchObject({ reason: 'credentials', resource: { status: 'attempted' } });
    const account = connected.data.account;
    expect(connected.data).toEqual({
      account,
      user: invite.user,
      item: 'item_000000011',
      invite: invite.id,
      resource: expect.objectContaining({ id: account, status: 'connected', item: 'item_000000011' }),
    });
    expect(completed.data).toMatchObject({
      reason: 'account_connected',
      account,
      resource: { status: 'completed' },
    });
    for (const p of payloads) expect(JSON.stringify(p)).not.toContain('user_token');
    await t.request('DELETE', `/v2/webhooks/${h.id}`);
  });
});
