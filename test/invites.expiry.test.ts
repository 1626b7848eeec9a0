import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

const DAY = 24 * 3600 * 1000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const landing = (id: string) => t.app.inject({ method: 'GET', url: `/connect/${id}` });
const eventsOf = async (id: string) =>
  (await t.request('GET', `/v2/invites/${id}/events?limit=200`)).body.results.map((e: any) => e.type);

describe('invite expiry', () => {
  it('is off by default: invites never expire', async () => {
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    expect(sent.expires_at).toBeNull();
    expect(sent.expired_at).toBeNull();
    t.clock.advance(400 * DAY);
    await t.drain();
    expect((await landing(sent.id)).statusCode).toBe(200);
  });

  it('expires an open invite after its days, moved by a re-send, with its event', async () => {
    const patched = await t.request('PATCH', '/v2/invite-settings', {
      body: { expiry: { enabled: true, after_days: 2 } },
    });
    expect(patched.status).toBe(200);
    const start = t.clock.now().getTime();
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    expect(sent.expires_at).toBe(new Date(start + 2 * DAY).toISOString());

    t.clock.advance(DAY);
    const resent = (await t.request('POST', `/v2/invites/${sent.id}`)).body;
    expect(resent.expires_at).toBe(new Date(start + 3 * DAY).toISOString());

    // Past the first time but not the moved one: still open.
    t.clock.advance(1.5 * DAY);
    await t.drain();
    expect((await t.request('GET', `/v2/invites/${sent.id}`)).body.expired_at).toBeNull();
    expect((await landing(sent.id)).statusCode).toBe(200);

    t.clock.advance(DAY);
    await t.drain();
    const expired = (await t.request('GET', `/v2/invites/${sent.id}`)).body;
    expect(expired.expired_at).toBe(new Date(start + 3.5 * DAY).toISOString());
    expect(expired.status).toBe('sent');
    const page = await landing(sent.id);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This invite has expired');
    const enter = await t.app.inject({ method: 'POST', url: `/connect/${sent.id}/enter` });
    expect(enter.statusCode).toBe(410);
    expect((await eventsOf(sent.id)).filter((e: string) => e === 'invite.expired')).toHaveLength(1);
  });

  it('shows the expired page once the time has passed, even before the worker has run', async () => {
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    t.clock.advance(2 * DAY);
    expect((await landing(sent.id)).statusCode).toBe(410);
  });

  it('leaves a revoked invite revoked, and a re-send opens an expired invite again', async () => {
    const revoked = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    await t.request('POST', `/v2/invites/${revoked.id}/revoke`);
    const expiring = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    t.clock.advance(3 * DAY);
    await t.drain();
    const after = (await t.request('GET', `/v2/invites/${revoked.id}`)).body;
    expect(after.status).toBe('revoked');
    expect(after.expired_at).toBeNull();
    expect(await eventsOf(revoked.id)).not.toContain('invite.expired');
    expect((await t.request('GET', `/v2/invites/${expiring.id}`)).body.expired_at).not.toBeNull();

    const again = (await t.request('POST', `/v2/invites/${expiring.id}`)).body;
    expect(again.expired_at).toBeNull();
    expect((await landing(expiring.id)).statusCode).toBe(200);
  });

  it('opens an expired invite again on a re-send after expiry was turned off', async () => {
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    t.clock.advance(3 * DAY);
    await t.drain();
    expect((await landing(sent.id)).statusCode).toBe(410);
    await t.request('PATCH', '/v2/invite-settings', { body: { expiry: { enabled: false } } });
    const again = (await t.request('POST', `/v2/invites/${sent.id}`)).body;
    expect(again.expires_at).toBeNull();
    expect(again.expired_at).toBeNull();
    expect((await landing(sent.id)).statusCode).toBe(200);
  });
});
