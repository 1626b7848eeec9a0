import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { countRows, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  for (const [email, role, name] of [
    ['ops@acme.example', 'operations', 'Olive Ops'],
    ['dev@acme.example', 'developer', 'Dev'],
    ['mate@acme.example', 'operations_limited', 'Mate'],
    ['grouped@acme.example', 'full', 'Grouped'],
  ] as const) {
    const { member } = await createMember(t.deps, t.key.client_id, { email, name, role, password: PASSWORD });
    ids[email] = member.id;
  }
  // Group management has no page yet: the grouped member is put in one group directly.
  const at = new Date().toISOString();
  await t.deps.db
    .insertInto('groups')
    .values({ client_id: t.key.client_id, id: 'grp_east', name: 'East', created_at: at })
    .execute();
  await t.deps.db
    .insertInto('member_groups')
    .values({
      client_id: t.key.client_id,
      member_id: ids['grouped@acme.example'] ?? '',
      group_id: 'grp_east',
    })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

async function signedIn(email: string): Promise<ConsoleBrowser> {
  const b = consoleBrowser(t, { ip: `203.0.113.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

/** Posts the send form as a browser would: the page's token, its fields, the pressed button. */
async function postSend(b: ConsoleBrowser, fields: Record<string, string | string[]>) {
  return b.submit('/console/send', '/console/send', fields);
}

const errorsOf = (html: string, name: string) =>
  textOf(new RegExp(`id="field-${name}-errors"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '');

describe('Send invite', () => {
  it('labels the recipient fields as the API names them, with the sender Cc’d by default', async () => {
    const b = await signedIn('ops@acme.example');
    const page = await b.get('/console/send');
    expect(page.status).toBe(200);
    for (const label of ['First name', 'Last name', 'Email', 'Phone number', 'External id', 'Template']) {
      expect(page.html).toContain(`>${label}</label>`);
    }
    expect(page.html).toMatch(new RegExp(`name="cc" value="${ids['ops@acme.example']}" checked`));
    expect(page.html).not.toMatch(new RegExp(`name="cc" value="${ids['mate@acme.example']}" checked`));
    expect(textOf(page.html)).toContain('Send invite');
  });

  it("refuses what the API refuses, with the API's messages beside the fields, and sends nothing", async () => {
    const b = await signedIn('ops@acme.example');
    const before = await countRows(t.deps);
    const res = await postSend(b, { action: 'send', first_name: 'Ann', email: 'not-an-email' });
    expect(res.status).toBe(400);
    const api = await t.request('POST', '/v2/invites', {
      body: { first_name: 'Ann', email: 'not-an-email' },
    });
    expect(api.status).toBe(400);
    expect(errorsOf(res.html, 'email')).toBe(api.body.email.join(' '));
    expect(errorsOf(res.html, 'last_name')).toBe(api.body.last_name.join(' '));
    expect(res.html).toContain('value="Ann"');
    expect(await countRows(t.deps)).toEqual(before);
  });

  it("sends with the Cc'd teammates as reply_to and records the sender", async () => {
    const b = await signedIn('ops@acme.example');
    const res = await postSend(b, {
      action: 'send',
      first_name: 'Sarah',
      last_name: 'Longfield',
      email: 'sarah@email.com',
      cc: [ids['ops@acme.example'] ?? '', ids['mate@acme.example'] ?? ''],
    });
    expect(res.status).toBe(303);
    const id = /^\/console\/invites\/([0-9a-f-]{36})$/.exec(String(res.location))?.[1] ?? '';
    const invite = await t.request('GET', `/v2/invites/${id}`);
    expect(invite.status).toBe(200);
    expect([...invite.body.reply_to].sort()).toEqual(['mate@acme.example', 'ops@acme.example']);
    const row = await t.deps.db
      .selectFrom('invites')
      .select(['sent_by_member_id', 'group_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sent_by_member_id: ids['ops@acme.example'], group_id: null });
    const after = await b.get(String(res.location));
    expect(textOf(after.html)).toContain('The invite is on its way.');
    expect(textOf(after.html)).toContain(id);
  });

  it('records the group of a member who is in one', async () => {
    const b = await signedIn('grouped@acme.example');
    const res = await postSend(b, { action: 'send', first_name: 'G', last_name: 'R', email: 'g@email.com' });
    expect(res.status).toBe(303);
    const id = /^\/console\/invites\/([0-9a-f-]{36})$/.exec(String(res.location))?.[1] ?? '';
    const row = await t.deps.db
      .selectFrom('invites')
      .select(['sent_by_member_id', 'group_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sent_by_member_id: ids['grouped@acme.example'], group_id: 'grp_east' });
  });

  it("previews the email, SMS, landing and success pages with the flow's texts, and sends nothing", async () => {
    const flow = await t.request('POST', '/v2/flows', {
      body: {
        type: 'email_sms_template',
        name: 'Payroll',
        email: { subject: 'Connect your payroll, [Name]', header: 'Payroll header' },
        sms_text: 'Hi [Name], connect here: [Link]',
        landing_page: { header: 'Landing for [Name]' },
        success_page: { header: 'All done, [Name]' },
      },
    });
    expect(flow.status).toBe(200);
    const b = await signedIn('ops@acme.example');
    const before = await countRows(t.deps);
    const res = await postSend(b, {
      action: 'preview',
      first_name: 'Pat',
      last_name: 'Q',
      email: 'pat@email.com',
      flow_id: flow.body.id,
    });
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('Email: Connect your payroll, Pat Q');
    expect(text).toMatch(/SMS: 1 segment \(GSM-7, \d+ characters\) Hi Pat Q, connect here: http/);
    // `sandbox` with no value: the frames may run nothing, submit nothing, navigate nowhere.
    expect(res.html).toMatch(/<iframe title="Email preview" sandbox srcdoc="[^"]*Payroll header/);
    expect(res.html).toMatch(/<iframe title="Landing page preview" sandbox srcdoc="[^"]*Landing for Pat Q/);
    expect(res.html).toMatch(/<iframe title="Success page preview" sandbox srcdoc="[^"]*All done, Pat Q/);
    expect(res.html).toContain(`<option value="${flow.body.id}" selected`);
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('escapes hostile text from every field in the page and its previews', async () => {
    const b = await signedIn('ops@acme.example');
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const res = await postSend(b, {
      action: 'preview',
      first_name: evil,
      last_name: evil,
      email: 'evil@email.com',
      phone_number: evil,
      external_id: evil,
    });
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('<img src=x');
    // Inside srcdoc the frame's own markup is escaped once more: no raw tag reaches either document.
    for (const frame of res.html.matchAll(/srcdoc="([^"]*)"/g)) {
      const inner = (frame[1] ?? '')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      expect(inner).not.toContain('<img src=x');
    }
    // What was typed is kept, as text.
    const typed = /id="field-first_name" name="first_name" type="text" value="([^"]*)"/.exec(res.html)?.[1];
    expect(
      typed
        ?.replace(/&lt;/g, '<')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ).toBe(evil);
  });

  it('is not for a developer: the page and the send are 403 and nothing is sent', async () => {
    const b = await signedIn('dev@acme.example');
    expect((await b.get('/console/send')).status).toBe(403);
    const before = await countRows(t.deps);
    const page = await b.get('/console');
    const res = await b.post('/console/send', {
      _csrf: csrfOf(page.html),
      action: 'send',
      first_name: 'A',
      last_name: 'B',
      email: 'a@email.com',
    });
    expect(res.status).toBe(403);
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('refuses a send without its CSRF token and sends nothing', async () => {
    const b = await signedIn('ops@acme.example');
    const before = await countRows(t.deps);
    const res = await b.post('/console/send', {
      action: 'send',
      first_name: 'A',
      last_name: 'B',
      email: 'a@email.com',
    });
    expect(res.status).toBe(403);
    expect(await countRows(t.deps)).toEqual(before);
  });
});
