import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SENT_REVOKED } from '../src/invites/deliveries.service.ts';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const send = async (over: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over) });
  expect(res.status).toBe(200);
  return res.body;
};

/** The invite without its user token, which is fresh on every answer. */
const stable = ({ user_token: _token, ...rest }: Record<string, unknown>) => rest;

describe('GET /v2/invites/{id}', () => {
  it('answers the invite as sent, with a fresh user token', async () => {
    const sent = await send();
    const got = await t.request('GET', `/v2/invites/${sent.id}`);
    expect(got.status).toBe(200);
    expect(stable(got.body)).toEqual(stable(sent));
    expect(got.body.user_token).toEqual(expect.any(String));
  });

  it('finds an invite by its id written in upper case', async () => {
    const sent = await send();
    const got = await t.request('GET', `/v2/invites/${sent.id.toUpperCase()}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(sent.id);
  });
});

describe('POST /v2/invites/{id} re-sends', () => {
  it('adds a delivery per method, newest first, and bumps invited_at / updated_at', async () => {
    const sent = await send();
    t.clock.advance(90_000);
    const at = t.clock.now().toISOString();
    const res = await t.request('POST', `/v2/invites/${sent.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'sent',
      created_at: sent.created_at,
      invited_at: at,
      updated_at: at,
    });
    const [a, b, ...older] = res.body.deliveries;
    expect([a.method, b.method].sort()).toEqual(['email', 'sms']);
    for (const d of [a, b]) expect(d).toMatchObject({ status: 'sent', sent_at: at, updated_at: at });
    expect(older).toEqual(expect.arrayContaining(sent.deliveries));
    expect(older).toHaveLength(2);
    expect(new Set(res.body.deliveries.map((d: any) => d.id)).size).toBe(4);

    const got = await t.request('GET', `/v2/invites/${sent.id}`);
    expect(stable(got.body)).toEqual(stable(res.body));
  });

  it('re-sends only by the methods the invite has', async () => {
    const sent = await send({ phone_number: undefined });
    t.clock.advance(1_000);
    const res = await t.request('POST', `/v2/invites/${sent.id}`);
    expect(res.body.deliveries.map((d: any) => d.method)).toEqual(['email', 'email']);
    expect(res.body.deliveries[0].sent_at).toBe(t.clock.now().toISOString());
  });

  it('accepts an empty body sent as application/json', async () => {
    const sent = await send();
    t.clock.advance(1_000);
    const res = await t.request('POST', `/v2/invites/${sent.id}`, {
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.body.deliveries).toHaveLength(4);
    expect(res.body.invited_at).toBe(t.clock.now().toISOString());
  });

  it('accepts an empty JSON object as body', async () => {
    const sent = await send();
    const res = await t.request('POST', `/v2/invites/${sent.id}`, { body: {} });
    expect(res.status).toBe(200);
    expect(res.body.deliveries).toHaveLength(4);
  });
});

describe('POST /v2/invites/{id}/revoke', () => {
  it('revokes once; revoking again returns the same invite unchanged', async () => {
    const sent = await send();
    t.clock.advance(60_000);
    const at = t.clock.now().toISOString();
    const res = await t.request('POST', `/v2/invites/${sent.id}/revoke`);
    expect(res.status).toBe(200);
    expect(stable(res.body)).toEqual({
      ...stable(sent),
      status: 'revoked',
      revoked_at: at,
      updated_at: at,
      // Nothing had gone out yet: the queued sends are cancelled and the deliveries say so.
      deliveries: sent.deliveries.map((d: any) => ({ ...d, status_detail: NOT_SENT_REVOKED })),
    });

    t.clock.advance(60_000);
    const again = await t.request('POST', `/v2/invites/${sent.id}/revoke`);
    expect(again.status).toBe(200);
    expect(stable(again.body)).toEqual(stable(res.body));

    const got = await t.request('GET', `/v2/invites/${sent.id}`);
    expect(stable(got.body)).toEqual(stable(res.body));
  });

  it('refuses to re-send a revoked invite, writing no delivery', async () => {
    const sent = await send();
    await t.request('POST', `/v2/invites/${sent.id}/revoke`);
    t.clock.advance(60_000);
    const before = await countRows(t.deps);
    const res = await t.request('POST', `/v2/invites/${sent.id}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: expect.stringMatching(/revoked/) });
    expect(await countRows(t.deps)).toEqual(before);
    const got = await t.request('GET', `/v2/invites/${sent.id}`);
    expect(got.body.deliveries).toEqual(
      sent.deliveries.map((d: any) => ({ ...d, status_detail: NOT_SENT_REVOKED })),
    );
    expect(got.body.invited_at).toBe(sent.invited_at);
  });
});
