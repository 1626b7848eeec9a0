import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let auth: Credentials;
const sent: any[] = [];
beforeAll(async () => {
  t = await startTestApp();
  auth = await t.newKey();
  for (const name of ['Ann', 'Ben']) {
    const res = await t.request('POST', '/v2/invites', {
      auth,
      body: inviteBody({ first_name: name, email: `${name}@Example.com`, phone_number: '+12125550100' }),
    });
    expect(res.status).toBe(200);
    sent.push(res.body);
  }
  // Text messages from one sender are paced: the second waits its turn.
  await t.drain();
  t.clock.advance(5000);
  await t.drain();
});
afterAll(() => t?.close());

const messages = async (query: string) => {
  const res = await t.request('GET', `/outbox/messages?${query}`, { auth });
  expect(res.status).toBe(200);
  return res.body.results as any[];
};

describe('outbox filters', () => {
  it('finds the email of one invite in one call', async () => {
    const [ann] = sent;
    const found = await messages(`invite=${ann.id}&channel=email`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ channel: 'email', to: 'Ann@Example.com', invite_id: ann.id });
  });

  it('filters by channel and by recipient, an email address in any case', async () => {
    expect((await messages('channel=sms')).map((m) => m.to)).toEqual(['+12125550100', '+12125550100']);
    expect((await messages('to=ann@example.COM')).map((m) => m.channel)).toEqual(['email']);
    expect(await messages('to=%2B12125550100&channel=email')).toEqual([]);
  });

  it('keeps the filters on every page', async () => {
    const first = await t.request('GET', '/outbox/messages?channel=sms&limit=1', { auth });
    expect(first.body.results).toHaveLength(1);
    const next = await t.request('GET', new URL(first.body.next).pathname + new URL(first.body.next).search, {
      auth,
    });
    expect(next.body.results.map((m: any) => m.channel)).toEqual(['sms']);
    expect(next.body.next).toBeNull();
  });

  it('refuses a filter value that names nothing it could match', async () => {
    const bad = await t.request('GET', '/outbox/messages?channel=fax&invite=nope', { auth });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['channel', 'invite']);
  });
});

describe('the outbox page', () => {
  const page = (query = '') =>
    t.app.inject({
      method: 'GET',
      url: `/outbox${query}`,
      headers: {
        authorization: `Basic ${Buffer.from(`${auth.api_key_id}:${auth.api_key_secret}`).toString('base64')}`,
      },
    });

  it('shows the filters, takes the form’s empty fields as no filter, and shows what matches', async () => {
    const all = await page('?channel=&to=&invite=');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<form class="filters"');
    expect(all.body.match(/<article class="msg">/g)).toHaveLength(4);
    const sms = await page('?channel=sms&to=&invite=');
    expect(sms.body.match(/<article class="msg">/g)).toHaveLength(2);
    expect(sms.body).toContain('<option value="sms" selected>');
    const none = await page(`?invite=${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`);
    expect(none.body).toContain('No message matches these filters');
  });

  it('shows each email without its open-tracking image, so looking is not opening', async () => {
    const res = await page('?channel=email');
    expect(res.body).not.toContain('open.gif');
    // The link into the invite stays.
    expect(res.body).toContain(`/connect/${sent[0].id}`);
    for (const invite of sent) {
      const now = (await t.request('GET', `/v2/invites/${invite.id}`, { auth })).body;
      expect(now.deliveries.map((d: any) => d.status)).toEqual(['sent', 'sent']);
    }
  });
});
