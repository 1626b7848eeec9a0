import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('smoke', () => {
  it('sends and reads back an invite', async () => {
    const sent = await t.request('POST', '/v2/invites', { body: inviteBody() });
    expect(sent.status).toBe(200);
    const got = await t.request('GET', `/v2/invites/${sent.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(sent.body.id);
    const list = await t.request('GET', '/v2/invites');
    expect(list.body.results).toHaveLength(1);
  });
});
