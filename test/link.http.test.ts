import { describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import {
  Browser,
  hiddenField,
  pathOf as path,
  type Recipient,
  textOf,
  withRecipientApp,
} from './helpers/link.ts';

let t: TestApp;
let r: Recipient;
withRecipientApp((app, rec) => {
  t = app;
  r = rec;
});

describe('landing page', () => {
  it('renders branded HTML, sets an HttpOnly SameSite=Lax cookie and leaves the status alone', async () => {
    const invite = await r.send({ override_invite_template: { brand: { color: '#0F766E' } } });
    const page = await new Browser(t.app).get(path(invite.url));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
    expect(page.html).toContain('--brand:#0F766E');
    expect(textOf(page.html)).toContain('Connect your payroll account');
    expect(await r.statusOf(invite.id)).toBe('sent');
  });

  it('never changes the status on GET or HEAD, as link scanners send them', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const base = path(invite.url);
    for (const url of [
      base,
      `${base}/items`,
      `${base}/items/item_000000001`,
      `${base}/upload`,
      `${base}/success`,
    ]) {
      expect((await b.get(url)).status).toBe(200);
      expect((await t.app.inject({ method: 'HEAD', url })).statusCode).toBe(200);
    }
    expect(await r.statusOf(invite.id)).toBe('sent');
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent']);
  });

  it('marks the delivery named by ?d= opened, records it, and not another invite’s delivery', async () => {
    const invite = await r.send();
    const other = await r.send();
    const [sms, email] = invite.deliveries;
    await new Browser(t.app).get(`${path(invite.url)}?d=${email.id}`);
    await new Browser(t.app).get(`${path(invite.url)}?d=${other.deliveries[0].id}`);
    const got = (await t.request('GET', `/v2/invites/${invite.id}`)).body;
    expect(got.deliveries.find((d: any) => d.id === email.id).status).toBe('opened');
    expect(got.deliveries.find((d: any) => d.id === sms.id).status).toBe('sent');
    expect(got.status).toBe('sent');
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'delivery.opened']);
    expect((await t.request('GET', `/v2/invites/${other.id}`)).body.deliveries[0].status).toBe('sent');
  });
});

describe('status rules', () => {
  it('enters Link once: sent → initiated, and a second press counts nothing', async () => {
    const invite = await r.send();
    const { b, items } = await r.entered(invite);
    expect(items.status).toBe(200);
    expect(textOf(items.html)).toContain('Find your employer');
    expect(await r.statusOf(invite.id)).toBe('initiated');
    expect((await b.submit(await b.get(path(invite.url)))).status).toBe(303);
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'invite.initiated']);
  });

  it('wrong credentials: attempted, an error and a way to retry; right ones and code: completed', async () => {
    const invite = await r.send({ override_invite_template: { email: { reply_to: ['lo@lender.test'] } } });
    const base = path(invite.url);
    const { b } = await r.entered(invite);
    const wrong = await r.login(b, base, 'item_000000002', 'test_1', 'passbad');
    expect(wrong.status).toBe(200);
    expect(textOf(wrong.html)).toContain('didn’t work');
    expect(wrong.html).toContain('<label for="password">Password</label>');
    expect(await r.statusOf(invite.id)).toBe('attempted');

    const code = await r.login(b, base, 'item_000000002', 'test_2', 'passgood');
    expect(textOf(code.html)).toContain('verification code');
    expect(await r.statusOf(invite.id)).toBe('attempted');
    const badCode = await b.follow(await b.submit(code, { code: '8081' }));
    expect(textOf(badCode.html)).toContain('didn’t match');
    const done = await b.follow(await b.submit(badCode, { code: '8082' }));
    expect(textOf(done.html)).toContain('Your account is connected');
    expect(await r.statusOf(invite.id)).toBe('completed');
    expect(await r.eventTypes(invite.id)).toEqual([
      'invite.sent',
      'invite.initiated',
      'invite.attempted',
      'account.connected',
      'invite.completed',
    ]);

    await t.drain();
    const outbox = await t.request('GET', '/outbox/messages?to=lo@lender.test');
    expect(outbox.body.results).toHaveLength(1);
    expect(outbox.body.results[0].subject).toBe('Sarah Longfield completed your invite');
  });

  it('a double-submitted code connects once and notifies once', async () => {
    const invite = await r.send({ override_invite_template: { email: { reply_to: ['twice@lender.test'] } } });
    const { b } = await r.entered(invite);
    const code = await r.login(b, path(invite.url), 'item_000000001', 'test_3', 'passgood');
    const fields = { _csrf: hiddenField(code.html, '_csrf'), code: '8083' };
    const action = code.html.match(/action="([^"]+)"/)![1]!;
    const results = await Promise.all([1, 2, 3].map(() => b.post(action, fields)));
    for (const r of results) expect(r.location).toMatch(/\/success$/);
    expect((await r.eventTypes(invite.id)).filter((e: string) => e === 'invite.completed')).toHaveLength(1);
    await t.drain();
    expect((await t.request('GET', '/outbox/messages?to=twice@lender.test')).body.results).toHaveLength(1);
  });

  it('never moves backwards: a completed invite stays completed whatever is posted', async () => {
    const invite = await r.send();
    const base = path(invite.url);
    const { b } = await r.entered(invite);
    const code = await r.login(b, base, 'item_000000001', 'test_1', 'passgood');
    await b.follow(await b.submit(code, { code: '8081' }));
    expect(await r.statusOf(invite.id)).toBe('completed');
    const before = await r.eventTypes(invite.id);

    const csrf = hiddenField((await b.get(`${base}/items/item_000000003`)).html, '_csrf');
    expect((await b.post(`${base}/enter`, { _csrf: csrf })).status).toBe(303);
    await r.login(b, base, 'item_000000003', 'test_1', 'wrong');
    await b.submit(await b.get(`${base}/form`), { employer: 'Acme' });
    expect(await r.statusOf(invite.id)).toBe('completed');
    expect((await r.eventTypes(invite.id)).filter((e: string) => e.startsWith('invite.'))).toEqual(
      before.filter((e: string) => e.startsWith('invite.')),
    );

    const landing = await b.get(base);
    expect(textOf(landing.html)).toContain('Your account is connected');
    expect(textOf(landing.html)).toContain('Connect another account');
    const revoke = await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    expect(revoke.status).toBe(400);
    expect(await r.statusOf(invite.id)).toBe('completed');
  });

  it('the response form moves to attempted only, once per submission', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const form = await b.get(`${path(invite.url)}/form`);
    const first = await b.submit(form, { employer: 'Acme', pay_frequency: 'monthly' });
    await b.submit(form, { employer: 'Acme', pay_frequency: 'monthly' });
    expect(textOf((await b.follow(first)).html)).toContain('we got your answers');
    expect(await r.statusOf(invite.id)).toBe('attempted');
    const rows = await t.deps.db
      .selectFrom('form_responses')
      .selectAll()
      .where('invite_id', '=', invite.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ employer: 'Acme', pay_frequency: 'monthly' });
  });

  it('a revoked invite shows the expired page (410), never enters Link, and stays revoked', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const landing = await b.get(path(invite.url));
    await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    const expired = await b.get(path(invite.url));
    expect(expired.status).toBe(410);
    expect(textOf(expired.html)).toContain('This invite has expired');
    expect(expired.html).not.toContain('<form');
    const pressed = await b.submit(landing);
    expect(pressed.status).toBe(410);
    expect((await b.get(`${path(invite.url)}/items`)).status).toBe(410);
    expect(await r.statusOf(invite.id)).toBe('revoked');
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'invite.revoked']);
  });
});

describe('CSRF', () => {
  it('refuses a POST without the cookie, without the token, or with another invite’s token (403)', async () => {
    const invite = await r.send();
    const other = await r.send();
    const b = new Browser(t.app);
    const landing = await b.get(path(invite.url));
    const token = hiddenField(landing.html, '_csrf');
    const otherToken = hiddenField((await b.get(path(other.url))).html, '_csrf');
    const enter = `${path(invite.url)}/enter`;
    const attempts = [
      await new Browser(t.app).post(enter, { _csrf: token }),
      await b.post(enter, {}),
      await b.post(enter, { _csrf: `${token.slice(0, -2)}xx` }),
      await b.post(enter, { _csrf: otherToken }),
      await new Browser(t.app).post(`${path(invite.url)}/items/item_000000001/login`, {
        _csrf: token,
        username: 'test_1',
        password: 'passgood',
      }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    expect(await r.statusOf(invite.id)).toBe('sent');
    expect((await b.submit(landing)).status).toBe(303);
    expect(await r.statusOf(invite.id)).toBe('initiated');
  });
});

describe('embedded Link (/link?user_token=)', () => {
  it('answers a bad, tampered or expired token with a 401 page', async () => {
    const invite = await r.send();
    const [h, p] = invite.user_token.split('.');
    for (const token of ['', 'abc', `${h}.${p}.AAAA`]) {
      const page = await new Browser(t.app).get(`/link?user_token=${token}`);
      expect(page.status).toBe(401);
      expect(textOf(page.html)).toContain('no longer valid');
    }
    t.clock.advance(3601_000);
    expect((await new Browser(t.app).get(`/link?user_token=${invite.user_token}`)).status).toBe(401);
  });
});
