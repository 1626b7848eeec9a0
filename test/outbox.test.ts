import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** Sends an invite and lets the worker capture its messages a second later. */
async function sendAndCapture(over: Record<string, unknown> = {}, auth = t.key) {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over), auth });
  expect(res.status).toBe(200);
  t.clock.advance(1000);
  await t.drain();
  const ids = Object.fromEntries(res.body.deliveries.map((d: any) => [d.method, d.id]));
  return { invite: res.body, email: ids.email as string, sms: ids.sms as string };
}

const delivery = async (inviteId: string, id: string) =>
  (await t.request('GET', `/v2/invites/${inviteId}`)).body.deliveries.find((d: any) => d.id === id);
const path = (url: string) => url.replace(PUBLIC_URL, '');
const list = (url: string, auth = t.key) => t.request('GET', url, { auth });

describe('GET /outbox/messages', () => {
  it("lists only the caller's captured messages, newest first, page by page", async () => {
    const other = await t.newKey();
    const theirs = await sendAndCapture({ email: 'them@example.com' }, other);
    const sent = [];
    for (const name of ['Ann', 'Ben', 'Cat'])
      sent.push(await sendAndCapture({ first_name: name, email: `${name}@example.com` }));

    const first = await list('/outbox/messages');
    expect(first.status).toBe(200);
    const cat = sent[2]!;
    const link = `${PUBLIC_URL}/connect/${cat.invite.id}?d=${cat.email}`;
    expect(
      first.body.results
        .map((m: any) => m.delivery_id)
        .slice(0, 2)
        .sort(),
    ).toEqual([cat.email, cat.sms].sort());
    expect(first.body.results.find((m: any) => m.delivery_id === cat.email)).toMatchObject({
      channel: 'email',
      to: 'Cat@example.com',
      from: 'invitekit <invites@invitekit.localhost>',
      message_id: `<${cat.email}@invitekit>`,
      subject: 'Connect your payroll account',
      text: expect.stringContaining(link),
      html: expect.stringContaining(`href="${link}"`),
      invite_id: cat.invite.id,
    });
    expect(first.body.results.find((m: any) => m.delivery_id === cat.sms)).toMatchObject({
      channel: 'sms',
      to: '+12125555555',
      subject: null,
      html: null,
      text: expect.stringContaining(`?d=${cat.sms}`),
    });

    const seen: any[] = [];
    let page = await list('/outbox/messages?limit=2');
    const pages = [page];
    for (; page.body.next; pages.push(page)) {
      seen.push(...page.body.results);
      page = await list(path(page.body.next));
    }
    seen.push(...page.body.results);
    expect(seen).toEqual(first.body.results);
    expect(seen).toHaveLength(6);
    const created = seen.map((m) => m.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const back = await list(path(pages[1]!.body.previous));
    expect(back.body.results).toEqual(pages[0]!.body.results);

    const mine = new Set(seen.map((m) => m.delivery_id));
    expect(mine.has(theirs.email)).toBe(false);
    const seenByOther = (await list('/outbox/messages', other)).body.results;
    expect(seenByOther.map((m: any) => m.delivery_id).sort()).toEqual([theirs.email, theirs.sms].sort());
    expect(
      (await list(`/outbox/messages?to=${encodeURIComponent('Ann@example.com')}`)).body.results,
    ).toHaveLength(1);
  });
});

describe('GET /outbox', () => {
  it('asks for Basic auth', async () => {
    const res = await t.request('GET', '/outbox', { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('shows the email in a frame and the SMS as a bubble whose link works', async () => {
    const { invite, sms } = await sendAndCapture({
      override_invite_template: { email: { subject: 'Pay & <b>stubs</b>' } },
    });
    const res = await t.request('GET', '/outbox');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.raw).toContain('<strong>Pay &amp; &lt;b&gt;stubs&lt;/b&gt;</strong>');
    expect(res.raw).toMatch(/<iframe [^>]*srcdoc="&lt;!doctype html&gt;/);
    const link = `${PUBLIC_URL}/connect/${invite.id}?d=${sms}`;
    expect(res.raw).toContain(`<div class="bubble">`);
    expect(res.raw).toContain(`<a href="${link}" target="_blank" rel="noopener">${link}</a>`);

    const followed = await t.app.inject({ method: 'GET', url: path(link) });
    expect(followed.statusCode).toBe(200);
    expect((await delivery(invite.id, sms)).status).toBe('opened');
  });
});

describe('sandbox recipients', () => {
  it('bounce, refuse or defer as their address says', async () => {
    const bounce = await sendAndCapture({ email: 'x@bounce.test', phone_number: '+15005550001' });
    expect(await delivery(bounce.invite.id, bounce.email)).toMatchObject({
      status: 'undelivered',
      attempts: 1,
    });
    expect((await delivery(bounce.invite.id, bounce.email)).status_detail).toMatch(/^550/);
    expect(await delivery(bounce.invite.id, bounce.sms)).toMatchObject({
      status: 'undelivered',
      attempts: 1,
    });
    expect((await delivery(bounce.invite.id, bounce.sms)).status_detail).toMatch(/not a valid phone number/);

    const defer = await sendAndCapture({ email: 'x@defer.test', phone_number: null });
    const d = await delivery(defer.invite.id, defer.email);
    expect(d).toMatchObject({ status: 'sent', attempts: 1, last_error: expect.stringMatching(/^451/) });
    expect(d.next_attempt_at).toBe(new Date(t.clock.now().getTime() + 10_000).toISOString());
    t.clock.advance(10_000);
    await t.drain();
    expect(await delivery(defer.invite.id, defer.email)).toMatchObject({ status: 'sent', attempts: 2 });
    const captured = await list('/outbox/messages?to=x%40defer.test');
    expect(captured.body.results).toEqual([]);
  });
});

describe('GET /t/{delivery}/open.gif', () => {
  const gif = (id: string) => t.app.inject({ method: 'GET', url: `/t/${id}/open.gif` });

  it('answers a GIF and marks the email opened', async () => {
    const { invite, email } = await sendAndCapture({ phone_number: null });
    const res = await gif(email);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
    expect((await delivery(invite.id, email)).status).toBe('opened');
  });

  it('answers the same GIF for an unknown id and changes nothing', async () => {
    const statuses = () =>
      t.deps.db.selectFrom('deliveries').select(['id', 'status', 'updated_at']).execute();
    const before = await statuses();
    const known = await gif(before[0]!.id);
    for (const id of [randomUUID(), 'not-an-id']) {
      const res = await gif(id);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload).toEqual(known.rawPayload);
    }
    const after = await statuses();
    expect(after.filter((r) => r.id !== before[0]!.id)).toEqual(before.filter((r) => r.id !== before[0]!.id));
  });
});
