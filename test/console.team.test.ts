import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { ROLE_LABELS, ROLE_RULES, ROLES } from '../src/members/roles.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, type Page, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;
const MANAGER = ROLES.find((r) => ROLE_RULES[r].canManageMembers) ?? 'admin';
const OTHER_ROLES = ROLES.filter((r) => !ROLE_RULES[r].canManageMembers);
const [STAFF = 'developer'] = OTHER_ROLES;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const browser = () => consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });

async function signIn(b: ConsoleBrowser, email: string, password = PASSWORD): Promise<Page> {
  return b.submit('/console', '/console/sign-in', { email, password });
}

/** A browser signed in as a new member of the role (of the test key's client unless told). */
async function signedIn(
  role: string,
  opts: { clientId?: string; name?: string } = {},
): Promise<{ b: ConsoleBrowser; id: string; email: string }> {
  const email = `m${nextIp}@acme.example`;
  const { member } = await createMember(t.deps, opts.clientId ?? t.key.client_id, {
    email,
    name: opts.name ?? `Member ${nextIp}`,
    role,
    password: PASSWORD,
  });
  const b = browser();
  expect((await signIn(b, email)).status).toBe(303);
  return { b, id: member.id, email };
}

/** Posts a form with repeated fields (ticked checkboxes) and the page's token, as a browser does. */
async function postForm(b: ConsoleBrowser, pageUrl: string, action: string, pairs: [string, string][]) {
  const page = await b.get(pageUrl);
  const body = new URLSearchParams([['_csrf', csrfOf(page.html)], ...pairs]);
  const res = await t.app.inject({
    method: 'POST',
    url: action,
    headers: {
      cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: body.toString(),
  });
  return { status: res.statusCode, html: res.body, location: res.headers.location };
}

function errorsBeside(html: string, name: string): string {
  const m = new RegExp(`<ul class="field-errors" id="field-${name}-errors">([\\s\\S]*?)</ul>`).exec(html);
  return textOf(m?.[1] ?? '');
}

const alertOf = (html: string) =>
  textOf(/<div class="alert" role="alert">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

async function outboxTo(to: string): Promise<{ subject: string; text: string }[]> {
  const res = await t.request('GET', `/outbox/messages?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return res.body.results;
}

const linkIn = (text: string) =>
  /http:\/\/invitekit\.test(\/console\/set-password\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

/** The row of the Team page's members table that links to the member. */
function memberRow(html: string, id: string): string {
  const row = html.split('<tr>').find((r) => r.includes(`href="/console/team/members/${id}"`));
  return textOf(row ?? '');
}

async function createGroup(b: ConsoleBrowser, name: string): Promise<string> {
  const res = await b.submit('/console/team', '/console/team/groups', { name });
  expect(res.status).toBe(303);
  const page = await b.get('/console/team');
  const links = page.html.matchAll(/href="\/console\/team\/groups\/([0-9a-f-]{36})">([^<]*)</g);
  const id = [...links].find((m) => textOf(m[2] ?? '') === name.trim())?.[1];
  if (!id) throw new Error(`no group ${name} on the Team page`);
  return id;
}

describe('inviting a member', () => {
  it('emails a one-time link that sets their password; they sign in with the role and groups given', async () => {
    const { b } = await signedIn(MANAGER);
    const payroll = await createGroup(b, 'Payroll');
    const sales = await createGroup(b, 'Sales');
    const invited = await postForm(b, '/console/team/invite', '/console/team/invite', [
      ['name', 'Nina Invited'],
      ['email', 'nina@acme.example'],
      ['role', STAFF],
      ['groups', payroll],
      ['groups', sales],
    ]);
    expect(invited.status).toBe(303);
    expect(invited.location).toBe('/console/team');

    const team = await b.get('/console/team');
    const row = textOf(team.html.split('<tr>').find((r) => r.includes('Nina Invited')) ?? '');
    expect(row).toContain('nina@acme.example');
    expect(row).toContain(ROLE_LABELS[STAFF]);
    expect(row).toContain('Payroll, Sales');
    expect(row).toContain('Invited');

    const [mail, ...more] = await outboxTo('nina@acme.example');
    expect(more).toEqual([]);
    expect(mail?.subject).toBe('You are invited to the invitekit Console');
    expect(mail?.text).toContain(`as ${ROLE_LABELS[STAFF]}`);
    const link = linkIn(mail?.text ?? '');
    expect(link).not.toBe('');

    // Sent again, the first link stops working and the new one sets the password.
    const id = /href="\/console\/team\/members\/([0-9a-f-]{36})">Nina Invited</.exec(team.html)?.[1] ?? '';
    const resent = await b.submit(`/console/team/members/${id}`, `/console/team/members/${id}/resend`, {});
    expect(resent.status).toBe(303);
    expect(textOf((await b.get(`/console/team/members/${id}`)).html)).toContain('A new link is on its way.');
    const mails = await outboxTo('nina@acme.example');
    expect(mails).toHaveLength(2);
    expect((await browser().get(link)).status).toBe(410);
    const newLink = linkIn(mails.map((m) => m.text).find((text) => linkIn(text) !== link) ?? '');

    const nina = browser();
    const form = await nina.get(newLink);
    expect(form.status).toBe(200);
    const set = await nina.post(newLink, {
      _csrf: csrfOf(form.html),
      password: 'nina has a long passphrase',
    });
    expect(set.status).toBe(303);
    const home = await nina.get('/console');
    expect(textOf(home.html)).toContain(ROLE_LABELS[STAFF]);
    expect((await nina.get('/console/team')).status).toBe(403);
    expect((await signIn(browser(), 'nina@acme.example', 'nina has a long passphrase')).status).toBe(303);
    expect(memberRow((await b.get('/console/team')).html, id)).toContain('Active');
    // Once a password is set, there is no link to send again.
    const again = await b.submit(`/console/team/members/${id}`, `/console/team/members/${id}/resend`, {});
    expect(again.status).toBe(400);
    expect(alertOf(again.html)).toContain('has set a password already');
  });

  it('two invitations of one address at once make one member; the other is told the email is taken', async () => {
    const input = { email: 'twice@acme.example', name: 'Twice', role: 'operations' } as const;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => createMember(t.deps, t.key.client_id, input)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected')
        expect(o.reason?.body).toEqual({ email: [expect.stringContaining('already')] });
    }
  });

  it('refuses what the CLI refuses, a taken email (any case) and an unknown group, beside their fields', async () => {
    const { b, email } = await signedIn(MANAGER);
    const before = (await t.request('GET', '/outbox/messages')).body.results.length;
    const taken = await b.submit('/console/team/invite', '/console/team/invite', {
      name: 'Twin',
      email: email.toUpperCase(),
      role: STAFF,
    });
    expect(taken.status).toBe(400);
    expect(errorsBeside(taken.html, 'email')).toBe('A member with this email already exists.');
    expect(taken.html).toContain('value="Twin"');

    const bad = await b.submit('/console/team/invite', '/console/team/invite', {
      name: 'x'.repeat(201),
      email: 'not-an-email',
      role: '',
      groups: '0190aaaa-0000-7000-8000-000000000000',
    });
    expect(bad.status).toBe(400);
    expect(errorsBeside(bad.html, 'email')).toBe('Enter a valid email address.');
    expect(errorsBeside(bad.html, 'name')).toBe('Ensure this field has no more than 200 characters.');
    expect(errorsBeside(bad.html, 'role')).toBe('This field is required.');
    expect(errorsBeside(bad.html, 'groups')).toBe(
      '"0190aaaa-0000-7000-8000-000000000000" is not a valid choice.',
    );
    expect(bad.html).toContain('aria-invalid="true"');

    const odd = await b.submit('/console/team/invite', '/console/team/invite', {
      email: 'odd@acme.example',
      role: 'superuser',
    });
    expect(errorsBeside(odd.html, 'role')).toBe('"superuser" is not a valid choice.');
    expect(textOf((await b.get('/console/team')).html)).not.toContain('odd@acme.example');
    expect((await t.request('GET', '/outbox/messages')).body.results).toHaveLength(before);
  });

  it('shows hostile names of members and groups as text', async () => {
    const { b } = await signedIn(MANAGER);
    const groupId = await createGroup(b, HOSTILE);
    const res = await postForm(b, '/console/team/invite', '/console/team/invite', [
      ['name', HOSTILE],
      ['email', 'hostile@acme.example'],
      ['role', STAFF],
      ['groups', groupId],
    ]);
    expect(res.status).toBe(303);
    const team = await b.get('/console/team');
    expect(team.html).not.toContain('<img src=x');
    expect(textOf(team.html)).toContain(`${HOSTILE} hostile@acme.example`);
    const id = /href="\/console\/team\/members\/([0-9a-f-]{36})">&lt;img/.exec(team.html)?.[1] ?? '';
    const member = await b.get(`/console/team/members/${id}`);
    expect(member.html).not.toContain('<img src=x');
    expect(textOf(member.html)).toContain(HOSTILE);
    const group = await b.get(`/console/team/groups/${groupId}`);
    expect(group.html).not.toContain('<img src=x');
    expect(textOf(group.html)).toContain(`${HOSTILE} 1 member.`);
    const [mail] = await outboxTo('hostile@acme.example');
    expect(mail?.text).toContain('hostile@acme.example');
  });
});

describe("changing a member's access", () => {
  it('a new role applies from their next request, without signing in again; groups are saved', async () => {
    const { b } = await signedIn(MANAGER);
    const ops = await createGroup(b, 'Ops East');
    const staff = await signedIn(STAFF);
    expect((await staff.b.get('/console/team')).status).toBe(403);

    const url = `/console/team/members/${staff.id}`;
    const saved = await postForm(b, url, url, [
      ['role', MANAGER],
      ['groups', ops],
    ]);
    expect(saved.status).toBe(303);
    expect((await staff.b.get('/console/team')).status).toBe(200);
    const page = await b.get(url);
    expect(page.html).toMatch(new RegExp(`value="${ops}" checked`));
    expect(page.html).toMatch(new RegExp(`<option value="${MANAGER}" selected`));

    // No group ticked: the member leaves every group.
    expect((await postForm(b, url, url, [['role', STAFF]])).status).toBe(303);
    expect((await staff.b.get('/console/team')).status).toBe(403);
    expect(memberRow((await b.get('/console/team')).html, staff.id)).toContain(`${ROLE_LABELS[STAFF]} —`);
  });

  it('disabling ends their session at once and stops sign-in; enabling lets them back', async () => {
    const { b } = await signedIn(MANAGER);
    const staff = await signedIn(STAFF);
    expect((await staff.b.get('/console')).html).not.toContain('action="/console/sign-in"');

    const url = `/console/team/members/${staff.id}`;
    expect((await b.submit(url, `${url}/disable`, {})).status).toBe(303);
    const after = await b.get(url);
    expect(textOf(after.html)).toContain('Member disabled. They were signed out.');
    expect(memberRow((await b.get('/console/team')).html, staff.id)).toContain('Disabled');

    const signedOut = await staff.b.get('/console/send');
    expect(signedOut.status).toBe(303);
    expect(signedOut.location).toContain('/console?next=');
    expect((await signIn(browser(), staff.email)).status).toBe(400);

    expect((await b.submit(url, `${url}/enable`, {})).status).toBe(303);
    expect(memberRow((await b.get('/console/team')).html, staff.id)).toContain('Active');
    expect((await signIn(browser(), staff.email)).status).toBe(303);
  });

  it('keeps an active admin: the last one cannot demote or disable themselves', async () => {
    const other = await t.newKey();
    const sole = await signedIn(MANAGER, { clientId: other.client_id });
    const url = `/console/team/members/${sole.id}`;

    const demote = await sole.b.submit(url, url, { role: STAFF });
    expect(demote.status).toBe(400);
    expect(errorsBeside(demote.html, 'role')).toContain('This is the last active admin of the team');
    const disable = await sole.b.submit(url, `${url}/disable`, {});
    expect(disable.status).toBe(400);
    expect(alertOf(disable.html)).toContain('You cannot disable yourself.');
    expect((await sole.b.get('/console/team')).status).toBe(200);

    // With another admin, giving up the role is allowed, and the Team page is then closed to them.
    await signedIn(MANAGER, { clientId: other.client_id });
    const stepDown = await sole.b.submit(url, url, { role: STAFF });
    expect(stepDown.status).toBe(303);
    expect(stepDown.location).toBe('/console');
    expect((await sole.b.get('/console/team')).status).toBe(403);
  });

  it("another client's member or group is not found", async () => {
    const { b } = await signedIn(MANAGER);
    const other = await t.newKey();
    const stranger = await signedIn(MANAGER, { clientId: other.client_id });
    const theirGroup = await createGroup(stranger.b, 'Theirs');
    for (const url of [`/console/team/members/${stranger.id}`, `/console/team/groups/${theirGroup}`]) {
      expect((await b.get(url)).status).toBe(404);
    }
    expect(
      (await b.submit('/console/team', `/console/team/members/${stranger.id}`, { role: STAFF })).status,
    ).toBe(404);
    expect((await b.submit('/console/team', `/console/team/members/${stranger.id}/disable`, {})).status).toBe(
      404,
    );
    expect((await b.submit('/console/team', `/console/team/groups/${theirGroup}/delete`, {})).status).toBe(
      404,
    );
    expect((await b.get('/console/team/members/not-an-id')).status).toBe(404);
    // Nothing of theirs changed.
    expect((await stranger.b.get('/console/team')).status).toBe(200);
    expect((await stranger.b.get(`/console/team/groups/${theirGroup}`)).status).toBe(200);
  });
});

describe('groups', () => {
  it('are created trimmed and unique whatever the case, renamed, and deleted with their memberships', async () => {
    const { b, id } = await signedIn(MANAGER);
    const groupId = await createGroup(b, '  Field Team  ');
    const dup = await b.submit('/console/team', '/console/team/groups', { name: 'field team' });
    expect(dup.status).toBe(400);
    expect(errorsBeside(dup.html, 'name')).toBe('A group with this name already exists.');
    expect(dup.html).toContain('value="field team"');
    const blank = await b.submit('/console/team', '/console/team/groups', { name: '   ' });
    expect(errorsBeside(blank.html, 'name')).toBe('This field may not be blank.');
    const long = await b.submit('/console/team', '/console/team/groups', { name: 'g'.repeat(101) });
    expect(errorsBeside(long.html, 'name')).toBe('Ensure this field has no more than 100 characters.');
    expect((await b.submit('/console/team', '/console/team/groups', { name: 'é'.repeat(100) })).status).toBe(
      303,
    );

    const url = `/console/team/members/${id}`;
    expect(
      (
        await postForm(b, url, url, [
          ['role', MANAGER],
          ['groups', groupId],
        ])
      ).status,
    ).toBe(303);
    const group = `/console/team/groups/${groupId}`;
    expect(textOf((await b.get(group)).html)).toContain('Field Team 1 member.');

    const renamed = await b.submit(group, group, { name: ' Field Crew ' });
    expect(renamed.status).toBe(303);
    const taken = await b.submit(group, group, { name: 'é'.repeat(100) });
    expect(taken.status).toBe(400);
    expect(errorsBeside(taken.html, 'name')).toBe('A group with this name already exists.');
    // Its own name again (another case) is no clash.
    expect((await b.submit(group, group, { name: 'FIELD CREW' })).status).toBe(303);
    expect(memberRow((await b.get('/console/team')).html, id)).toContain('FIELD CREW');

    const deleted = await b.submit(group, `${group}/delete`, {});
    expect(deleted.status).toBe(303);
    const team = await b.get('/console/team');
    expect(textOf(team.html)).toContain('Group deleted.');
    expect(textOf(team.html)).not.toContain('FIELD CREW');
    expect((await b.get(url)).html).not.toContain(groupId);
    expect((await b.get(group)).status).toBe(404);
  });
});

describe('who may use Team', () => {
  it('refuses every page and form to members without the permission (403), changing nothing', async () => {
    const { b: admin, id: adminId } = await signedIn(MANAGER);
    const groupId = await createGroup(admin, 'Guarded');
    const routes: [string, string, Record<string, string>][] = [
      ['GET', '/console/team', {}],
      ['GET', '/console/team/invite', {}],
      ['GET', `/console/team/members/${adminId}`, {}],
      ['GET', `/console/team/groups/${groupId}`, {}],
      ['POST', '/console/team/invite', { email: 'sneak@acme.example', role: MANAGER }],
      ['POST', '/console/team/groups', { name: 'Sneaky' }],
      ['POST', `/console/team/members/${adminId}`, { role: STAFF }],
      ['POST', `/console/team/members/${adminId}/disable`, {}],
      ['POST', `/console/team/members/${adminId}/enable`, {}],
      ['POST', `/console/team/members/${adminId}/resend`, {}],
      ['POST', `/console/team/groups/${groupId}`, { name: 'Renamed' }],
      ['POST', `/console/team/groups/${groupId}/delete`, {}],
    ];
    for (const role of OTHER_ROLES) {
      const { b } = await signedIn(role);
      const csrf = csrfOf((await b.get('/console')).html);
      for (const [method, url, fields] of routes) {
        const res = method === 'GET' ? await b.get(url) : await b.post(url, { _csrf: csrf, ...fields });
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
      }
      expect((await b.get('/console')).html).not.toContain('href="/console/team"');
    }
    const team = await admin.get('/console/team');
    expect(textOf(team.html)).not.toContain('sneak@acme.example');
    expect(textOf(team.html)).not.toContain('Sneaky');
    expect(memberRow(team.html, adminId)).toContain('Active');
    expect(textOf((await admin.get(`/console/team/groups/${groupId}`)).html)).toContain('Guarded');
  });

  it('refuses forms without their CSRF token (403), changing nothing', async () => {
    const { b, id } = await signedIn(MANAGER);
    const staff = await signedIn(STAFF);
    const groupId = await createGroup(b, 'Tokenless');
    const before = (await t.request('GET', '/outbox/messages')).body.results.length;
    const posts: [string, Record<string, string>][] = [
      ['/console/team/invite', { email: 'nocsrf@acme.example', role: STAFF }],
      ['/console/team/groups', { name: 'No token' }],
      [`/console/team/members/${staff.id}`, { role: MANAGER }],
      [`/console/team/members/${staff.id}/disable`, {}],
      [`/console/team/groups/${groupId}`, { name: 'Renamed' }],
      [`/console/team/groups/${groupId}/delete`, {}],
      [`/console/team/members/${id}/resend`, {}],
    ];
    for (const [url, fields] of posts) {
      const res = await b.post(url, fields);
      expect(res.status, url).toBe(403);
      expect(textOf(res.html)).toContain('This form has expired.');
    }
    const team = await b.get('/console/team');
    expect(textOf(team.html)).not.toContain('nocsrf@acme.example');
    expect(textOf(team.html)).not.toContain('No token');
    expect(memberRow(team.html, staff.id)).toContain(`${ROLE_LABELS[STAFF]}`);
    expect(memberRow(team.html, staff.id)).toContain('Active');
    expect(textOf((await b.get(`/console/team/groups/${groupId}`)).html)).toContain('Tokenless');
    expect((await staff.b.get('/console/team')).status).toBe(403);
    expect((await t.request('GET', '/outbox/messages')).body.results).toHaveLength(before);
  });
});
