import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { basic, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;

/** Ann's invite is Cc'd to the limited member; Ben's to nobody. Both use the one (hostile) template. */
let ann: { id: string; email: string; sms: string };
let ben: { id: string; email: string; sms: string };
/** The reset email sent to the admin: a message of no invite. */
let resetId: string;

const browsers = new Map<string, ConsoleBrowser>();

/** A browser signed in as the member with this address. */
async function as(email: string): Promise<ConsoleBrowser> {
  const known = browsers.get(email);
  if (known) return known;
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  browsers.set(email, b);
  return b;
}

async function send(body: Record<string, unknown>) {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(body) });
  expect(res.status).toBe(200);
  const ids = Object.fromEntries(res.body.deliveries.map((d: any) => [d.method, d.id]));
  return { id: res.body.id as string, deliveries: ids };
}

/** The API's record of the captured messages, newest first. */
const captured = async (query = ''): Promise<any[]> =>
  (await t.request('GET', `/outbox/messages?limit=100${query}`)).body.results;

/** The ids of the messages a Console page lists, in its order. */
const listed = (html: string) =>
  [...html.matchAll(/<td data-label="Message"><a href="\/console\/outbox\/([0-9a-f-]{36})"/g)].map(
    (m) => m[1],
  );

const errorsBeside = (html: string, name: string) =>
  textOf(new RegExp(`id="field-${name}-errors"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '');

beforeAll(async () => {
  t = await startTestApp();
  for (const [email, role] of [
    ['ada@acme.example', 'admin'],
    ['fay@acme.example', 'full'],
    ['lim@acme.example', 'operations_limited'],
    ['dev@acme.example', 'developer'],
  ] as const) {
    await createMember(t.deps, t.key.client_id, { email, name: '', role, password: PASSWORD });
  }
  const flow = await t.request('POST', '/v2/flows', {
    body: {
      type: 'email_sms_template',
      name: 'Hostile',
      email: { subject: `Hi [Name] ${HOSTILE}`, sender: `Acme ${HOSTILE}`, header: HOSTILE },
      sms_text: `Acme ${HOSTILE} [Link]`,
    },
  });
  expect(flow.status).toBe(200);
  const a = await send({
    first_name: 'Ann',
    email: 'ann@example.com',
    flow_id: flow.body.id,
    override_invite_template: { email: { reply_to: ['lim@acme.example'] } },
  });
  const b = await send({ first_name: 'Ben', email: 'ben@example.com' });
  // Texts to one number go out paced, a few seconds apart.
  for (let i = 0; i < 3; i++) {
    t.clock.advance(5000);
    await t.drain();
  }
  ann = { id: a.id, email: a.deliveries.email, sms: a.deliveries.sms };
  ben = { id: b.id, email: b.deliveries.email, sms: b.deliveries.sms };

  const form = consoleBrowser(t, { ip: '203.0.113.9' });
  const page = await form.get('/console/forgot-password');
  const asked = await form.post('/console/forgot-password', {
    _csrf: csrfOf(page.html),
    email: 'ada@acme.example',
  });
  expect(asked.status).toBe(303);
  // The reset email goes out after the answer.
  for (let i = 0; i < 200 && !resetId; i++) {
    resetId = (await captured('&to=ada@acme.example'))[0]?.id;
    if (!resetId) await new Promise((r) => setTimeout(r, 50));
  }
  expect(resetId).toBeDefined();
});
afterAll(async () => {
  await t?.close();
});

const messageIdOf = async (deliveryId: string) =>
  (await captured()).find((m) => m.delivery_id === deliveryId)?.id as string;

describe('the Console outbox', () => {
  it("lists every message newest first, each linked to its page and its invite's page", async () => {
    const page = await (await as('ada@acme.example')).get('/console/outbox');
    expect(page.status).toBe(200);
    const all = await captured();
    expect(all).toHaveLength(5);
    expect(listed(page.html)).toEqual(all.map((m) => m.id));
    for (const id of [ann.id, ben.id]) expect(page.html).toContain(`href="/console/invites/${id}"`);
    const text = textOf(page.html);
    expect(text).toContain('Choose a new password for the invitekit Console');
    expect(text).toContain('+12125555555');
  });

  it('filters by channel, recipient and invite, and refuses what could match nothing', async () => {
    const b = await as('ada@acme.example');
    const sms = await b.get('/console/outbox?channel=sms&to=&invite=');
    expect(listed(sms.html)).toEqual((await captured('&channel=sms')).map((m) => m.id));
    expect(listed(sms.html)).toHaveLength(2);
    expect(sms.html).toMatch(/<option value="sms" selected/);

    const toAnn = await b.get('/console/outbox?to=ANN@example.com');
    expect(listed(toAnn.html)).toEqual([await messageIdOf(ann.email)]);
    expect(toAnn.html).toContain('value="ANN@example.com"');

    const ofBen = await b.get(`/console/outbox?invite=${ben.id}&channel=email`);
    expect(listed(ofBen.html)).toEqual([await messageIdOf(ben.email)]);

    const none = await b.get('/console/outbox?to=nobody@example.com');
    expect(listed(none.html)).toEqual([]);
    expect(textOf(none.html)).toContain('No message matches these filters.');

    const bad = await b.get('/console/outbox?channel=fax&invite=nope');
    expect(bad.status).toBe(400);
    expect(errorsBeside(bad.html, 'channel')).toBe('"fax" is not a valid choice.');
    expect(errorsBeside(bad.html, 'invite')).toBe('Must be a valid UUID.');
    expect(bad.html).toContain('value="nope"');
    expect(listed(bad.html)).toEqual([]);

    const badCursor = await b.get('/console/outbox?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect(textOf(badCursor.html)).toContain('Invalid cursor.');
  });

  it('pages with cursors that keep the filters', async () => {
    const b = await as('ada@acme.example');
    const first = await t.request('GET', '/outbox/messages?limit=2&channel=email');
    const cursor = new URL(first.body.next).searchParams.get('cursor') ?? '';
    const second = await b.get(`/console/outbox?cursor=${encodeURIComponent(cursor)}`);
    expect(second.status).toBe(200);
    const emails = await captured('&channel=email');
    expect(listed(second.html)).toEqual(emails.slice(2).map((m) => m.id));
    // The filter the cursor carries shows in the form, and the page links back to newer ones.
    expect(second.html).toMatch(/<option value="email" selected/);
    const newer = /<a href="(\/console\/outbox\?cursor=[^"]+)" rel="prev">/.exec(second.html)?.[1] ?? '';
    expect(newer).not.toBe('');
    const back = await b.get(newer.replaceAll('&amp;', '&'));
    expect(listed(back.html)).toEqual(emails.slice(0, 2).map((m) => m.id));
  });

  it("shows an email's HTML in a frame that runs nothing, without its tracking image, and its text part", async () => {
    const id = await messageIdOf(ben.email);
    const page = await (await as('ada@acme.example')).get(`/console/outbox/${id}`);
    expect(page.status).toBe(200);
    const frame = /<iframe[\s\S]*?<\/iframe>/.exec(page.html)?.[0] ?? '';
    // An empty sandbox (written bare) allows the frame nothing: no script, no popup, no navigation.
    expect(frame).toMatch(/ sandbox( |="" )srcdoc="/);
    expect(frame).not.toContain('allow-');
    expect(frame).toContain('Hi Ben Longfield');
    const sent = (await captured()).find((m) => m.id === id);
    expect(sent.html).toContain('/open.gif');
    expect(frame).not.toContain('open.gif');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    // The invite's link, followable from the text part.
    const link = `http://invitekit.test/connect/${ben.id}?d=${ben.email}`;
    expect(page.html).toContain(`<a href="${link}">${link}</a>`);
    expect(page.html).toContain(`href="/console/invites/${ben.id}"`);
    const text = textOf(page.html);
    expect(text).toContain('To ben@example.com');

    const sms = await (await as('ada@acme.example')).get(`/console/outbox/${await messageIdOf(ben.sms)}`);
    expect(sms.status).toBe(200);
    expect(textOf(sms.html)).toMatch(/1 segment · \d+ characters · GSM-7/);
    expect(sms.html).not.toContain('<iframe');
  });

  it('shows hostile subjects, senders and bodies as text', async () => {
    const b = await as('ada@acme.example');
    const list = await b.get('/console/outbox');
    expect(textOf(list.html)).toContain(`Hi Ann Longfield ${HOSTILE}`);
    expect(textOf(list.html)).toContain(`Acme ${HOSTILE} http://invitekit.test/`);
    const email = await b.get(`/console/outbox/${await messageIdOf(ann.email)}`);
    const sms = await b.get(`/console/outbox/${await messageIdOf(ann.sms)}`);
    for (const page of [list, email, sms]) {
      // Inside a quoted attribute (the frame's title and document) a tag is only text.
      expect(page.html.replace(/="[^"]*"/g, '=""')).not.toContain('<img');
    }
    expect(textOf(email.html)).toContain(`Hi Ann Longfield ${HOSTILE}`);
    expect(textOf(email.html)).toContain(`From "Acme <img src=x onerror=alert(1)>\\"'&" <invites@`);
    // In the frame's document too the text is escaped, once more for the attribute.
    expect(email.html).toContain('&amp;lt;img src=x onerror=alert(1)&amp;gt;');
    expect(textOf(sms.html)).toContain(`Acme ${HOSTILE} http://invitekit.test/`);
  });

  it('shows each member only the messages of invites they may see; messages of no invite to admins only', async () => {
    const mine = [await messageIdOf(ann.email), await messageIdOf(ann.sms)];
    const theirs = [await messageIdOf(ben.email), await messageIdOf(ben.sms)];

    const lim = await as('lim@acme.example');
    const limited = await lim.get('/console/outbox');
    expect(limited.status).toBe(200);
    expect(new Set(listed(limited.html))).toEqual(new Set(mine));
    expect((await lim.get(`/console/outbox?invite=${ben.id}`)).html).not.toContain(theirs[0]);
    for (const id of [...theirs, resetId]) expect((await lim.get(`/console/outbox/${id}`)).status).toBe(404);
    expect((await lim.get(`/console/outbox/${mine[0]}`)).status).toBe(200);

    const fay = await as('fay@acme.example');
    const full = await fay.get('/console/outbox');
    expect(new Set(listed(full.html))).toEqual(new Set([...mine, ...theirs]));
    expect((await fay.get(`/console/outbox/${resetId}`)).status).toBe(404);

    const ada = await as('ada@acme.example');
    expect(listed((await ada.get('/console/outbox')).html)).toContain(resetId);
    const reset = await ada.get(`/console/outbox/${resetId}`);
    expect(reset.status).toBe(200);
    expect(textOf(reset.html)).toContain('Invite none');

    // A role without recipients' personal data may not open the outbox at all.
    const dev = await as('dev@acme.example');
    expect((await dev.get('/console/outbox')).status).toBe(403);
    expect((await dev.get(`/console/outbox/${mine[0]}`)).status).toBe(403);
    const out = await consoleBrowser(t, { ip: '203.0.113.50' }).get('/console/outbox');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/console?next=%2Fconsole%2Foutbox');
    expect((await ada.get('/console/outbox/not-an-id')).status).toBe(404);
  });

  it('keeps the API key’s outbox page, which points to the Console’s', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/outbox',
      headers: { authorization: basic(t.key) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/console/outbox"');
    expect((res.body.match(/<article class="msg">/g) ?? []).length).toBe(5);
  });
});
