import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

// What clients written against the hosted API send in practice.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('seed-style clients', () => {
  it('treat an empty email as absent when a phone number is given', async () => {
    const res = await t.request('POST', '/v2/invites', { body: inviteBody({ email: '' }) });
    expect(res.status).toBe(200);
    expect(res.body.email).toBeNull();
    expect(res.body.deliveries.map((d: any) => d.method)).toEqual(['sms']);
  });

  it('still need one contact when both are empty', async () => {
    const before = await countRows(t.deps);
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({ email: '', phone_number: ' ' }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: ['Either email or phone_number is required.'] });
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('can re-send and revoke with a stray content type and no body', async () => {
    const sent = await t.request('POST', '/v2/invites', { body: inviteBody() });
    const headers = { 'content-type': 'text/plain' };
    const resent = await t.request('POST', `/v2/invites/${sent.body.id}`, { headers, payload: '' });
    expect(resent.status).toBe(200);
    expect(resent.body.deliveries).toHaveLength(4);
    const revoked = await t.request('POST', `/v2/invites/${sent.body.id}/revoke`, { headers, payload: '' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
  });

  it('refuse a non-JSON body that is not empty', async () => {
    const res = await t.request('POST', '/v2/invites', {
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });
});
