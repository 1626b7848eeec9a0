import { describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { pathOf as path, type Recipient, withRecipientApp } from './helpers/link.ts';

let t: TestApp;
let r: Recipient;
withRecipientApp((app, rec) => {
  t = app;
  r = rec;
});

describe('GET /v2/accounts and /v2/invites/{id}/events', () => {
  it('lists the user’s accounts newest first with cursor pagination, and keeps tenants apart', async () => {
    const invite = await r.send();
    const base = path(invite.url);
    const { b } = await r.entered(invite);
    await r.login(b, base, 'item_000000004', 'test_1', 'nope');
    t.clock.advance(1000);
    const code = await r.login(b, base, 'item_000000011', 'test_2', 'passgood');
    await b.submit(code, { code: '8082' });

    const page1 = await t.request('GET', `/v2/accounts?user=${invite.user}&limit=1`);
    expect(page1.status).toBe(200);
    expect(page1.body.results).toEqual([
      expect.objectContaining({
        user: invite.user,
        item: 'item_000000011',
        status: 'connected',
        invite: invite.id,
      }),
    ]);
    const page2 = await t.request('GET', path(page1.body.next) + new URL(page1.body.next).search);
    expect(page2.body.results).toEqual([
      expect.objectContaining({ item: 'item_000000004', status: 'error', error_code: 'invalid_credentials' }),
    ]);
    expect(page2.body.next).toBeNull();
    const one = await t.request('GET', `/v2/accounts/${page1.body.results[0].id}`);
    expect(one.body).toEqual(page1.body.results[0]);
    const user = await t.request('GET', `/v2/users/${invite.user}`);
    expect(user.body).toMatchObject({
      items_connected: ['item_000000011'],
      employers_connected: ['PayPilot'],
    });

    const stranger = await t.newKey();
    expect((await t.request('GET', `/v2/accounts/${one.body.id}`, { auth: stranger })).status).toBe(404);
    const theirs = await t.request('GET', `/v2/accounts?user=${invite.user}`, { auth: stranger });
    expect(theirs.body.results).toEqual([]);
    expect((await t.request('GET', `/v2/invites/${invite.id}/events`, { auth: stranger })).status).toBe(404);
    expect((await t.request('GET', '/v2/accounts', { auth: null })).status).toBe(401);
    expect((await t.request('GET', '/v2/accounts?user=nope')).status).toBe(400);
  });

  it('pages through an invite’s events with their times', async () => {
    const invite = await r.send();
    t.clock.advance(5000);
    await r.entered(invite);
    const first = await t.request('GET', `/v2/invites/${invite.id}/events?limit=1`);
    expect(first.body.results).toEqual([
      {
        id: expect.any(String),
        invite: invite.id,
        type: 'invite.initiated',
        data: { via: 'invite_url' },
        created_at: t.clock.now().toISOString(),
      },
    ]);
    const next = new URL(first.body.next);
    const second = await t.request('GET', next.pathname + next.search);
    expect(second.body.results[0]).toMatchObject({ type: 'invite.sent', created_at: invite.created_at });
  });

  it('records the delivery job’s outcome as events', async () => {
    const invite = await r.send({ email: 'gone@bounce.test', phone_number: undefined });
    await t.drain();
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'delivery.undelivered']);
    const ok = await r.send({ phone_number: undefined });
    await t.drain();
    expect(await r.eventTypes(ok.id)).toEqual(['invite.sent', 'delivery.sent']);
  });
});
