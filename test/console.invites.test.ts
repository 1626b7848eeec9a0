import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, listMembers } from '../src/members/members.service.ts';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)>';

const EMAILS = {
  admin: 'admin@acme.example',
  ops: 'ops@acme.example',
  limited: 'lim@acme.example',
  colleague: 'colleague@acme.example',
  developer: 'dev@acme.example',
} as const;
type Who = keyof typeof EMAILS;
const ROLE: Record<Who, string> = {
  admin: 'admin',
  ops: 'operations',
  limited: 'operations_limited',
  colleague: 'operations_limited',
  developer: 'developer',
};

const ids: Record<string, string> = {};
const memberIds: Partial<Record<Who, string>> = {};
const GROUP = '5b0c9c9e-3f1a-4c55-9a51-0d7c2f1e6a10';
const browsers = new Map<Who, ConsoleBrowser>();

async function send(over: Record<string, unknown>): Promise<string> {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over) });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

async function setOrigin(id: string, memberId: string | null, groupId: string | null) {
  await t.deps.db
    .updateTable('invites')
    .set({ sent_by_member_id: memberId, group_id: groupId })
    .where('id', '=', id)
    .execute();
}

async function as(who: Who): Promise<ConsoleBrowser> {
  const known = browsers.get(who);
  if (known) return known;
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email: EMAILS[who], password: PASSWORD });
  expect(res.status).toBe(303);
  browsers.set(who, b);
  return b;
}

/** The invites a list page links to, in order. */
const listed = (html: string) =>
  [...html.matchAll(/href="\/console\/invites\/([0-9a-f-]{36})"/g)].map((m) => m[1] as string);

/** The tabs' counts by label. */
function tabCounts(html: string): Record<string, string> {
  const nav = /<nav aria-label="Invite status"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  const out: Record<string, string> = {};
  for (const m of nav.matchAll(/>([A-Za-z]+) <span class="count">([^<]+)<\/span>/g))
    out[m[1] as string] = m[2] as string;
  return out;
}

async function exportOf(who: Who, query = ''): Promise<Record<string, string>[]> {
  const b = await as(who);
  const res = await b.get(`/console/invites/export.csv${query}`);
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toContain('text/csv');
  return parse(res.html, { columns: true }) as Record<string, string>[];
}

beforeAll(async () => {
  t = await startTestApp();
  for (const who of Object.keys(EMAILS) as Who[]) {
    await createMember(t.deps, t.key.client_id, {
      email: EMAILS[who],
      name: `${who[0]?.toUpperCase()}${who.slice(1)} Member`,
      role: ROLE[who],
      password: PASSWORD,
    });
  }
  for (const m of await listMembers(t.deps, t.key.client_id)) {
    const who = (Object.keys(EMAILS) as Who[]).find((w) => EMAILS[w] === m.email);
    if (who) memberIds[who] = m.id;
  }
  const member = (who: Who) => memberIds[who] ?? '';
  await t.deps.db
    .insertInto('groups')
    .values({ client_id: t.key.client_id, id: GROUP, name: 'North', created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  await t.deps.db
    .insertInto('member_groups')
    .values({ client_id: t.key.client_id, member_id: member('ops'), group_id: GROUP })
    .execute();

  // Thirty older invites from the API, a day apart from the rest, for pages and the date filter.
  t.clock.set(new Date('2026-01-10T09:00:00.000Z'));
  for (let i = 0; i < 30; i++) {
    ids[`bulk${i}`] = await send({
      first_name: `Bulk${i}`,
      email: `bulk${String(i).padStart(2, '0')}@list.example`,
      phone_number: undefined,
      external_id: `ext-${String(i).padStart(3, '0')}`,
    });
    t.clock.advance(1000);
  }
  t.clock.set(new Date('2026-01-15T12:00:00.000Z'));
  ids.own = await send({
    first_name: 'Olive',
    last_name: 'Owner',
    email: 'olive@recipients.example',
    phone_number: '212-555-0101',
  });
  await setOrigin(ids.own, member('limited'), null);
  t.clock.advance(1000);
  ids.colleague = await send({
    first_name: 'Carl',
    last_name: 'Colleague',
    email: 'carl@recipients.example',
  });
  await setOrigin(ids.colleague, member('colleague'), GROUP);
  t.clock.advance(1000);
  ids.cc = await send({
    first_name: 'Cora',
    last_name: 'Copied',
    email: 'cora@recipients.example',
    override_invite_template: { email: { reply_to: [EMAILS.limited.toUpperCase()] } },
  });
  t.clock.advance(1000);
  ids.hostile = await send({
    first_name: HOSTILE,
    last_name: '"quoted"',
    email: 'hostile@recipients.example',
    external_id: '=HYPERLINK("http://evil.example","x")',
  });
  t.clock.advance(1000);
});
afterAll(async () => {
  await t?.close();
});

describe('what each role sees', () => {
  it('an admin sees every invite, newest first, with counts per status', async () => {
    const b = await as('admin');
    const page = await b.get('/console');
    expect(page.status).toBe(200);
    expect(listed(page.html).slice(0, 4)).toEqual([ids.hostile, ids.cc, ids.colleague, ids.own]);
    expect(listed(page.html)).toHaveLength(25);
    expect(tabCounts(page.html)).toMatchObject({ All: '34', Sent: '34', Completed: '0', Revoked: '0' });
    expect(textOf(page.html)).toContain('olive@recipients.example');
    expect(textOf(page.html)).toContain('Limited Member');
  });

  it('an operations_limited member sees only what they sent or were Cc’d on: list, counts, detail, export', async () => {
    const b = await as('limited');
    const page = await b.get('/console/invites');
    expect(listed(page.html)).toEqual([ids.cc, ids.own]);
    expect(tabCounts(page.html)).toMatchObject({ All: '2', Sent: '2' });
    expect((await b.get(`/console/invites/${ids.own}`)).status).toBe(200);
    expect((await b.get(`/console/invites/${ids.cc}`)).status).toBe(200);
    const other = await b.get(`/console/invites/${ids.colleague}`);
    expect(other.status).toBe(404);
    expect(textOf(other.html)).not.toContain('Carl');
    expect((await exportOf('limited')).map((r) => r.id)).toEqual([ids.cc, ids.own]);
    // Searching for a colleague's invite finds nothing either.
    expect(listed((await b.get('/console/invites?q=carl')).html)).toEqual([]);
    // Nor can they act on it.
    const res = await b.post(`/console/invites/${ids.colleague}/revoke`, { _csrf: csrfOf(page.html) });
    expect(res.status).toBe(404);
    expect((await t.request('GET', `/v2/invites/${ids.colleague}`)).body.status).toBe('sent');
  });

  it('an operations member sees their group’s invites', async () => {
    const b = await as('ops');
    const page = await b.get('/console/invites');
    expect(listed(page.html)).toEqual([ids.colleague]);
    expect((await b.get(`/console/invites/${ids.own}`)).status).toBe(404);
    expect((await exportOf('ops')).map((r) => r.id)).toEqual([ids.colleague]);
  });

  it('a developer sees every invite without names, addresses or numbers, and cannot search by them', async () => {
    const b = await as('developer');
    const page = await b.get('/console/invites');
    expect(listed(page.html)).toHaveLength(25);
    const text = textOf(page.html);
    for (const secret of ['Olive', 'olive@recipients.example', 'Bulk', '@list.example']) {
      expect(text).not.toContain(secret);
    }
    // Providers name the address or number they refused, in answers the invite page shows.
    await t.deps.db
      .updateTable('deliveries')
      .set({
        last_error: '550 5.1.1 <olive@recipients.example>: Recipient address rejected',
        status_detail: "The 'To' number +12125550199 is not a valid phone number.",
      })
      .where('invite_id', '=', ids.own ?? '')
      .execute();
    const adminText = textOf((await (await as('admin')).get(`/console/invites/${ids.own}`)).html);
    expect(adminText).toContain('<olive@recipients.example>: Recipient address rejected');
    expect(adminText).toContain('+12125550199');
    const detail = await b.get(`/console/invites/${ids.own}`);
    expect(detail.status).toBe(200);
    const detailText = textOf(detail.html);
    expect(detailText).toContain('Recipient address rejected');
    // The recipient's number in any form, and the one in the provider's answer (ids may hold '555').
    for (const secret of [
      'Olive',
      'Owner',
      'olive@recipients.example',
      '212-555-0101',
      '5550101',
      '5550199',
      '+1212',
    ]) {
      expect(detailText).not.toContain(secret);
    }
    expect(detailText).not.toContain('Re-send');
    const rows = await exportOf('developer');
    expect(rows).toHaveLength(34);
    const csv = JSON.stringify(rows);
    for (const secret of ['Olive', 'olive@', '@list.example', '+1212']) expect(csv).not.toContain(secret);
    // An email typed as a search is not looked up for a role that may not see emails.
    expect(listed((await b.get('/console/invites?q=olive%40recipients.example')).html)).toEqual([]);
    expect(listed((await b.get('/console/invites?q=ext-007')).html)).toEqual([ids.bulk7]);
    // A developer may not act.
    const res = await b.post(`/console/invites/${ids.own}/resend`, { _csrf: csrfOf(page.html) });
    expect(res.status).toBe(403);
  });
});

describe('filters, search and pages', () => {
  it('filters by sender, group and date range', async () => {
    const b = await as('admin');
    expect(listed((await b.get(`/console/invites?sender=${memberIds.limited}`)).html)).toEqual([ids.own]);
    expect(listed((await b.get(`/console/invites?group=${GROUP}`)).html)).toEqual([ids.colleague]);
    const older = await b.get('/console/invites?from=2026-01-01&to=2026-01-10');
    expect(listed(older.html)).toHaveLength(25);
    expect(tabCounts(older.html)).toMatchObject({ All: '30' });
    const newer = await b.get('/console/invites?from=2026-01-15');
    expect(listed(newer.html)).toEqual([ids.hostile, ids.cc, ids.colleague, ids.own]);
    expect((await exportOf('admin', '?from=2026-01-15')).map((r) => r.id)).toEqual([
      ids.hostile,
      ids.cc,
      ids.colleague,
      ids.own,
    ]);
  });

  it('searches by email, phone, external id and name prefixes, and by invite id', async () => {
    const b = await as('admin');
    const found = async (q: string) =>
      listed((await b.get(`/console/invites?q=${encodeURIComponent(q)}`)).html);
    expect(await found('OLIVE@Recipients')).toEqual([ids.own]);
    expect(await found('(212) 555-0101')).toEqual([ids.own]);
    expect(await found('ext-01')).toHaveLength(10);
    expect(await found('ext-012')).toEqual([ids.bulk12]);
    expect(await found('cor')).toEqual([ids.cc]);
    expect(await found('Colleague')).toEqual([ids.colleague]);
    expect(await found(ids.hostile ?? '')).toEqual([ids.hostile]);
    // A prefix matches the start only.
    expect(await found('live')).toEqual([]);
  });

  it('pages with cursors: older, then newer again, keeping the filters', async () => {
    const b = await as('admin');
    const first = await b.get('/console/invites');
    const older = /href="([^"]+)" rel="next"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toBeDefined();
    const second = await b.get(older ?? '');
    expect(listed(second.html)).toHaveLength(9);
    expect(new Set([...listed(first.html), ...listed(second.html)]).size).toBe(34);
    expect(second.html).not.toContain('rel="next"');
    const newer = /href="([^"]+)" rel="prev"/.exec(second.html)?.[1]?.replaceAll('&amp;', '&');
    expect(listed((await b.get(newer ?? '')).html)).toEqual(listed(first.html));

    const filtered = await b.get('/console/invites?q=ext-0');
    const next = /href="([^"]+)" rel="next"/.exec(filtered.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toContain('q=ext-0');
    expect(listed((await b.get(next)).html)).toHaveLength(5);
  });
});

describe('the invite page', () => {
  it('shows the timeline with each delivery attempt and the provider’s answer', async () => {
    await t.drain();
    const b = await as('admin');
    const page = await b.get(`/console/invites/${ids.own}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('invite.sent');
    expect(text).toMatch(/email attempt 1: sent/);
    expect(text).toMatch(/sms attempt 1: sent/);
    expect(text).toMatch(/took \d+ ms/);
    expect(page.html).toContain('value="http://invitekit.test/');
  });

  it('re-sends and revokes from the page and records the member who did it', async () => {
    const b = await as('limited');
    const before = await b.get(`/console/invites/${ids.own}`);
    // Without its token the form is refused and nothing changes.
    const forged = await b.post(`/console/invites/${ids.own}/revoke`, { _csrf: 'x' });
    expect(forged.status).toBe(403);
    expect((await t.request('GET', `/v2/invites/${ids.own}`)).body.status).toBe('sent');

    const resent = await b.post(`/console/invites/${ids.own}/resend`, { _csrf: csrfOf(before.html) });
    expect(resent.status).toBe(303);
    expect(resent.location).toBe(`/console/invites/${ids.own}`);
    expect(textOf((await b.get(String(resent.location))).html)).toContain('The invite was sent again.');
    const revoked = await b.submit(`/console/invites/${ids.own}`, `/console/invites/${ids.own}/revoke`, {});
    expect(revoked.status).toBe(303);

    const after = textOf((await b.get(String(revoked.location))).html);
    expect(after).toContain('The invite was revoked.');
    expect(after).toContain('invite.resent by Limited Member');
    expect(after).toContain('invite.revoked by Limited Member');
    const events = await t.request('GET', `/v2/invites/${ids.own}/events`);
    const byType = Object.fromEntries(
      (events.body.results as { type: string; data: Record<string, unknown> }[]).map((e) => [e.type, e.data]),
    );
    expect(byType['invite.revoked']).toEqual({ member: { id: memberIds.limited, name: 'Limited Member' } });
    expect(byType['invite.resent']?.member).toEqual({ id: memberIds.limited, name: 'Limited Member' });

    // The tab counts follow.
    const admin = await as('admin');
    expect(tabCounts((await admin.get('/console/invites')).html)).toMatchObject({ Sent: '33', Revoked: '1' });
    expect(listed((await admin.get('/console/invites?status=revoked')).html)).toEqual([ids.own]);
  });

  it('leaves an API revoke’s event as the API records it', async () => {
    const res = await t.request('POST', `/v2/invites/${ids.bulk0}/revoke`);
    expect(res.status).toBe(200);
    const events = await t.request('GET', `/v2/invites/${ids.bulk0}/events`);
    const revoked = (events.body.results as { type: string; data: unknown }[]).find(
      (e) => e.type === 'invite.revoked',
    );
    expect(revoked?.data).toEqual({});
  });
});

describe('hostile text', () => {
  it('is shown as text on the list and the invite page', async () => {
    const b = await as('admin');
    for (const url of ['/console/invites', `/console/invites/${ids.hostile}`]) {
      const page = await b.get(url);
      expect(page.html).not.toContain(HOSTILE);
      expect(page.html).toContain('&lt;img src=x onerror=alert(1)>');
      expect(textOf(page.html)).toContain(HOSTILE);
    }
  });

  it('the export keeps a formula as text', async () => {
    const rows = await exportOf('admin', '?from=2026-01-15');
    const row = rows.find((r) => r.id === ids.hostile);
    expect(row?.external_id).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(row?.name).toBe(`${HOSTILE} "quoted"`);
  });
});

describe('a member who sees only some invites', () => {
  it('pages through their share with cursors, as far as it goes and back', async () => {
    for (let i = 1; i <= 26; i++) await setOrigin(ids[`bulk${i}`] ?? '', memberIds.colleague ?? '', null);
    const b = await as('colleague');
    const first = await b.get('/console/invites');
    expect(tabCounts(first.html)).toMatchObject({ All: '27' });
    expect(listed(first.html)[0]).toBe(ids.colleague);
    const older = /href="([^"]+)" rel="next"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const second = await b.get(older);
    expect(listed(second.html)).toEqual([ids.bulk2, ids.bulk1]);
    expect(new Set([...listed(first.html), ...listed(second.html)]).size).toBe(27);
    const newer = /href="([^"]+)" rel="prev"/.exec(second.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(listed((await b.get(newer)).html)).toEqual(listed(first.html));
    expect((await exportOf('colleague')).map((r) => r.id)).toEqual([
      ...listed(first.html),
      ids.bulk2,
      ids.bulk1,
    ]);
  });
  it('reads a date or cursor that is no such thing as absent, on the page and the export, and stays up', async () => {
    const all = (await exportOf('admin')).map((r) => r.id);
    const junk = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const query of [
      '?to=2024-13-01',
      '?from=2024-02-30&to=2024-13-45',
      '?from=0000-01-01&to=9999-12-31',
      `?after=${junk(['x', 'y'])}`,
      `?before=${junk(['0000-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])}`,
      `?after=${junk(['2026-01-15T12:00:00.000Z', 'not-an-id'])}`,
    ]) {
      expect(
        (await exportOf('admin', query)).map((r) => r.id),
        query,
      ).toEqual(all);
      const page = await (await as('admin')).get(`/console/invites${query}`);
      expect(page.status, query).toBe(200);
    }
    // The server is still there to answer.
    expect((await t.request('GET', '/v2/invites')).status).toBe(200);
  });
});
