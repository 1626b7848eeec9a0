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

describe('items', () => {
  it('one flow item goes straight to its login; several show just those', async () => {
    const one = await r.send({ flow_items: ['item_000000012'] });
    const { items: login } = await r.entered(one);
    expect(textOf(login.html)).toContain('Log in to Ledgerline Payroll');
    const direct = await new Browser(t.app).get(`${path(one.url)}/items`);
    expect(direct.location).toBe(`${path(one.url)}/items/item_000000012`);
    expect((await new Browser(t.app).get(`${path(one.url)}/items/item_000000001`)).status).toBe(404);

    const several = await r.send({ flow_items: ['item_000000001', 'item_000000016'] });
    const { items } = await r.entered(several);
    expect(items.html.match(/<li><a /g)).toHaveLength(2);
    expect(textOf(items.html)).toContain('Bluebird Grocers employer');
    expect(textOf(items.html)).toContain('RideNow Driver gig');
  });

  it('searches the catalog by name or kind', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const payroll = await b.get(`${path(invite.url)}/items?q=payroll+platform`);
    expect(payroll.html.match(/<li><a /g)).toHaveLength(5);
    const byName = await b.get(`${path(invite.url)}/items?q=taskh`);
    expect(textOf(byName.html)).toContain('TaskHive');
    expect(byName.html.match(/<li><a /g)).toHaveLength(1);
    expect(textOf((await b.get(`${path(invite.url)}/items?q=zzz`)).html)).toContain('No employer');
  });
});

describe('document upload', () => {
  it('stores the file once per submission and completes the invite', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const form = await b.get(`${path(invite.url)}/upload`);
    const fields = {
      _csrf: hiddenField(form.html, '_csrf'),
      _submission: hiddenField(form.html, '_submission'),
    };
    const content = Buffer.from('%PDF-1.4 pay stub');
    const file = { name: 'stub.pdf', type: 'application/pdf', content };
    const first = await b.upload(`${path(invite.url)}/upload`, fields, file);
    expect(first.location).toBe(`${path(invite.url)}/success`);
    await b.upload(`${path(invite.url)}/upload`, fields, file);
    expect(await r.statusOf(invite.id)).toBe('completed');
    const docs = await t.deps.db
      .selectFrom('documents')
      .selectAll()
      .where('invite_id', '=', invite.id)
      .execute();
    expect(docs).toHaveLength(1);
    expect(Buffer.from(docs[0]!.content).equals(content)).toBe(true);
    expect(docs[0]).toMatchObject({
      file_name: 'stub.pdf',
      content_type: 'application/pdf',
      size: content.length,
    });
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'document.uploaded', 'invite.completed']);
  });

  it('takes files up to 10 MB and asks for a smaller one beyond', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const form = await b.get(`${path(invite.url)}/upload`);
    const fields = { _csrf: hiddenField(form.html, '_csrf') };
    const big = { name: 'big.pdf', type: 'application/pdf', content: Buffer.alloc(10 * 1024 * 1024 + 1, 1) };
    const refused = await b.follow(await b.upload(`${path(invite.url)}/upload`, fields, big));
    expect(textOf(refused.html)).toContain('That file is too large');
    expect(await r.statusOf(invite.id)).toBe('sent');
    const ok = { ...big, content: Buffer.alloc(3 * 1024 * 1024, 1) };
    expect((await b.upload(`${path(invite.url)}/upload`, fields, ok)).location).toMatch(/\/success$/);
    expect(await r.statusOf(invite.id)).toBe('completed');
  });

  it('refuses an upload without its token, and asks again when no file was chosen', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const form = await b.get(`${path(invite.url)}/upload`);
    const file = { name: 'x.pdf', type: 'application/pdf', content: Buffer.from('x') };
    expect((await b.upload(`${path(invite.url)}/upload`, {}, file)).status).toBe(403);
    const empty = { name: '', type: 'application/octet-stream', content: Buffer.alloc(0) };
    const none = await b.upload(
      `${path(invite.url)}/upload`,
      { _csrf: hiddenField(form.html, '_csrf') },
      empty,
    );
    expect(textOf((await b.follow(none)).html)).toContain('Choose a file to upload');
    expect(await r.statusOf(invite.id)).toBe('sent');
  });
});

describe('embedded Link (/link?user_token=)', () => {
  it('runs the same flow for the token’s user and moves that user’s invite', async () => {
    const invite = await r.send();
    const token = encodeURIComponent(invite.user_token);
    const b = new Browser(t.app);
    const landing = await b.get(`/link?user_token=${token}`);
    expect(landing.status).toBe(200);
    const items = await b.follow(await b.submit(landing));
    expect(textOf(items.html)).toContain('Find your employer');
    expect(await r.statusOf(invite.id)).toBe('initiated');
    const code = await r.login(b, '/link', `item_000000005?user_token=${token}`, 'test_1', 'passgood');
    const done = await b.follow(await b.submit(code, { code: '8081' }));
    expect(textOf(done.html)).toContain('Your account is connected');
    expect(await r.statusOf(invite.id)).toBe('completed');
    const events = await t.request('GET', `/v2/invites/${invite.id}/events`);
    expect(events.body.results[1].data).toMatchObject({ item: 'item_000000005' });
  });

  it('connects an account for a user whose invite was revoked, but the invite stays revoked', async () => {
    const invite = await r.send();
    await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    const token = encodeURIComponent(invite.user_token);
    const b = new Browser(t.app);
    const code = await r.login(b, '/link', `item_000000007?user_token=${token}`, 'test_2', 'passgood');
    const done = await b.follow(await b.submit(code, { code: '8082' }));
    expect(textOf(done.html)).toContain('Your account is connected');
    expect(await r.statusOf(invite.id)).toBe('revoked');
    const accounts = await t.request('GET', `/v2/accounts?user=${invite.user}`);
    expect(accounts.body.results).toEqual([expect.objectContaining({ status: 'connected' })]);
  });
});
