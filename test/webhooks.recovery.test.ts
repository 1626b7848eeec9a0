import { describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { type Receiver, type webhookTools, withWebhookApp } from './helpers/webhooks.ts';

let t: TestApp;
let receiver: Receiver;
let w: ReturnType<typeof webhookTools>;
withWebhookApp((app, rcv, tools) => {
  t = app;
  receiver = rcv;
  w = tools;
});

const s = 1000;

describe('managing deliveries', () => {
  it('sends a delivery again on request, byte for byte', async () => {
    receiver.script('/again', 410);
    const { key, hook } = await w.subscribe('/again', ['invites.revoked']);
    await w.revokedInvite(key);
    await t.drain();
    const [failed] = await w.deliveries(key, hook.id);
    expect(failed.status).toBe('failed');

    const retry = await t.request('POST', `/v2/webhooks/${hook.id}/deliveries/${failed.id}/retry`, {
      auth: key,
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 1 });
    await t.drain();
    const [hit1, hit2] = receiver.hits('/again');
    expect(hit2!.raw).toBe(hit1!.raw);
    expect(hit2!.headers['x-argyle-signature']).toBe(hit1!.headers['x-argyle-signature']);
    expect(hit2!.headers['x-invitekit-event-id']).toBe(failed.event_id);
    expect((await w.deliveries(key, hook.id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });

    const other = await w.subscribe('/other', ['users.created']);
    const wrongHook = `/v2/webhooks/${other.hook.id}/deliveries/${failed.id}/retry`;
    expect((await t.request('POST', wrongHook, { auth: other.key })).status).toBe(404);
    const unknown = `/v2/webhooks/${hook.id}/deliveries/01900000-0000-7000-8000-00000000abcd/retry`;
    expect((await t.request('POST', unknown, { auth: key })).status).toBe(404);
  });

  it('sends a signed test event', async () => {
    const { key, hook } = await w.subscribe('/test', ['invites.completed']);
    const res = await t.request('POST', `/v2/webhooks/${hook.id}/test`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ webhook: hook.id, event: 'webhooks.test', status: 'pending' });
    await t.drain();
    const [hit] = receiver.hits('/test');
    expect(hit!.body).toEqual({
      event: 'webhooks.test',
      name: 'hook /test',
      data: { webhook: hook.id, message: expect.any(String) },
    });
    expect(hit!.headers['x-argyle-signature']).toBe(w.hmac(hit!.raw));
    expect(hit!.headers['x-invitekit-event-id']).toBe(res.body.event_id);
  });

  it('disables a subscription that fails for days, says so, and a passing test enables it again', async () => {
    receiver.otherwise('/down', 500);
    const { key, hook } = await w.subscribe('/down', ['invites.revoked']);
    const started = t.clock.now().toISOString();
    await w.revokedInvite(key);
    await t.drain();
    t.clock.advance(2 * 24 * 3600 * s);
    await w.revokedInvite(key);
    await t.drain();
    let h = await w.webhook(key, hook.id);
    expect(h).toMatchObject({ disabled_at: null, failing_since: started });

    t.clock.advance(1.5 * 24 * 3600 * s);
    await w.revokedInvite(key);
    await t.drain();
    h = await w.webhook(key, hook.id);
    expect(h.disabled_at).toBe(t.clock.now().toISOString());
    expect(h.disabled_reason).toContain(`every delivery has failed since ${started}`);
    const count = (await w.deliveries(key, hook.id)).length;
    await w.revokedInvite(key);
    expect(await w.deliveries(key, hook.id)).toHaveLength(count);
    // Retries still waiting are not sent to a disabled subscription.
    const hitsBefore = receiver.hits('/down').length;
    t.clock.advance(24 * 3600 * s);
    await t.drain();
    expect(receiver.hits('/down')).toHaveLength(hitsBefore);
    expect((await w.deliveries(key, hook.id)).map((d) => d.status)).toEqual(Array(count).fill('failed'));

    receiver.otherwise('/down', 204);
    await t.request('POST', `/v2/webhooks/${hook.id}/test`, { auth: key });
    await t.drain();
    h = await w.webhook(key, hook.id);
    expect(h).toMatchObject({ disabled_at: null, disabled_reason: null, failing_since: null });
    await w.revokedInvite(key);
    expect(await w.deliveries(key, hook.id)).toHaveLength(count + 2);
  });
});
