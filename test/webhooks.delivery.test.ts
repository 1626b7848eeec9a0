import { describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { type Hit, type Receiver, type webhookTools, withWebhookApp } from './helpers/webhooks.ts';

let t: TestApp;
let receiver: Receiver;
let w: ReturnType<typeof webhookTools>;
withWebhookApp((app, rcv, tools) => {
  t = app;
  receiver = rcv;
  w = tools;
});

const s = 1000;

const byEvent = (hits: Hit[], event: string) => hits.filter((h) => h.body.event === event);

describe('webhook deliveries to a real receiver', () => {
  it('signs every body with the secret and sends event id and timestamp; no user token ever', async () => {
    const { key, hook } = await w.subscribe('/all', ['*']);
    const invite = await w.sendInvite(key);
    expect(invite.user_token).toEqual(expect.any(String));
    await t.drain();

    const hits = receiver.hits('/all');
    expect(hits.map((h) => h.body.event).sort()).toEqual([
      'invites.delivery_updated',
      'invites.delivery_updated',
      'invites.sent',
      'users.created',
    ]);
    for (const h of hits) {
      expect(h.headers['x-argyle-signature']).toBe(w.hmac(h.raw));
      expect(h.headers['x-invitekit-event-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
      expect(h.headers['x-invitekit-timestamp']).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
      expect(h.headers['content-type']).toBe('application/json');
      expect(h.body.name).toBe(`hook /all`);
      expect(h.raw).not.toContain('user_token');
      expect(h.raw).not.toContain(invite.user_token);
    }
    const { user_token: _, ...withoutToken } = invite;
    const [sent] = byEvent(hits, 'invites.sent');
    expect(sent!.body.data).toEqual({
      invite: invite.id,
      user: invite.user,
      deliveries: expect.any(Array),
      resent: false,
      resource: withoutToken,
    });
    // The event id is the invite event's, so a receiver can match it with the invite's history.
    const history = await t.request('GET', `/v2/invites/${invite.id}/events?limit=200`, { auth: key });
    const sentEvent = history.body.results.find((e: any) => e.type === 'invite.sent');
    expect(sent!.headers['x-invitekit-event-id']).toBe(sentEvent.id);

    const [user] = byEvent(hits, 'users.created');
    expect(user!.body.data).toMatchObject({
      user: invite.user,
      invite: invite.id,
      resource: { id: invite.user },
    });
    for (const d of byEvent(hits, 'invites.delivery_updated')) {
      expect(d.body.data).toMatchObject({ invite: invite.id, delivery_status: 'sent' });
    }
    const list = await w.deliveries(key, hook.id);
    expect(list).toHaveLength(4);
    expect(list.every((d) => d.status === 'succeeded' && d.attempts === 1 && d.response_status === 200)).toBe(
      true,
    );
    expect((await w.webhook(key, hook.id)).last_sent_at).toBe(t.clock.now().toISOString());
  });

  it('retries a 500 on the schedule with the same bytes, then succeeds', async () => {
    receiver.script('/flaky', 500, 503, 200);
    const { key, hook } = await w.subscribe('/flaky', ['invites.revoked']);
    await w.revokedInvite(key);
    await t.drain();
    let [d] = await w.deliveries(key, hook.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: 500, error: 'HTTP 500' });
    expect(d.next_attempt_at).toBe(new Date(t.clock.now().getTime() + 10 * s).toISOString());
    expect((await w.webhook(key, hook.id)).failing_since).toBe(t.clock.now().toISOString());

    t.clock.advance(9 * s);
    await t.drain();
    expect(receiver.hits('/flaky')).toHaveLength(1);
    t.clock.advance(1 * s);
    await t.drain();
    [d] = await w.deliveries(key, hook.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 2, response_status: 503 });
    expect(d.next_attempt_at).toBe(new Date(t.clock.now().getTime() + 60 * s).toISOString());

    t.clock.advance(60 * s);
    await t.drain();
    [d] = await w.deliveries(key, hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, response_status: 200, error: null });
    expect(d.next_attempt_at).toBeNull();
    const hits = receiver.hits('/flaky');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.raw)).size).toBe(1);
    expect(new Set(hits.map((h) => h.headers['x-argyle-signature'])).size).toBe(1);
    expect(new Set(hits.map((h) => h.headers['x-invitekit-event-id'])).size).toBe(1);
    expect(hits.map((h) => h.headers['x-invitekit-timestamp'])).toEqual([
      String(Math.floor(t.clock.now().getTime() / 1000) - 70),
      String(Math.floor(t.clock.now().getTime() / 1000) - 60),
      String(Math.floor(t.clock.now().getTime() / 1000)),
    ]);
    expect((await w.webhook(key, hook.id)).failing_since).toBeNull();
  });

  it('retries 429 and timeouts, but stops at 410', async () => {
    receiver.script('/busy', 429, 'hang', 200);
    receiver.script('/gone', 410);
    const busy = await w.subscribe('/busy', ['invites.revoked']);
    const gone = await w.subscribe('/gone', ['invites.revoked']);
    await w.revokedInvite(busy.key);
    await w.revokedInvite(gone.key);
    await t.drain();
    expect((await w.deliveries(busy.key, busy.hook.id))[0]).toMatchObject({
      status: 'retrying',
      response_status: 429,
    });
    const [final] = await w.deliveries(gone.key, gone.hook.id);
    expect(final).toMatchObject({
      status: 'failed',
      attempts: 1,
      response_status: 410,
      next_attempt_at: null,
    });
    expect(final.response_body).toBe('answered 410');

    t.clock.advance(10 * s);
    await t.drain();
    expect((await w.deliveries(busy.key, busy.hook.id))[0]).toMatchObject({
      status: 'retrying',
      attempts: 2,
      response_status: null,
      error: 'timed out after 1 s',
    });
    t.clock.advance(60 * s);
    await t.drain();
    expect((await w.deliveries(busy.key, busy.hook.id))[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
    });

    t.clock.advance(2 * 24 * 3600 * s);
    await t.drain();
    expect(receiver.hits('/gone')).toHaveLength(1);
  });
});
