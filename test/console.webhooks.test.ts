import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { ROLE_RULES, ROLES, type Role } from '../src/members/roles.ts';
import { inviteBody, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, type Fields, textOf } from './helpers/console.ts';
import { type Receiver, withWebhookApp } from './helpers/webhooks.ts';

let t: TestApp;
let receiver: Receiver;
withWebhookApp((app, rcv) => {
  t = app;
  receiver = rcv;
});

let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;

async function signedIn(role: Role): Promise<ConsoleBrowser> {
  const email = `w${nextIp}@acme.example`;
  await createMember(t.deps, t.key.client_id, { email, name: '', role, password: PASSWORD });
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

/** A role that may manage webhooks and is not the all-powerful one. */
const hookManager = (): Role => {
  const role = ROLES.find((r) => ROLE_RULES[r].canManageWebhooks && !ROLE_RULES[r].canManageMembers);
  if (!role) throw new Error('no such role');
  return role;
};

function errorsBeside(html: string, name: string): string {
  const m = new RegExp(`<ul class="field-errors" id="field-${name}-errors">([\\s\\S]*?)</ul>`).exec(html);
  return textOf(m?.[1] ?? '');
}

/** The form posts repeated `events` fields, as a browser does for ticked checkboxes. */
const submitHook = (b: ConsoleBrowser, fields: { name: string; url: string; events: string[] }) =>
  b.submit('/console/webhooks/new', '/console/webhooks/new', fields);

async function createHook(b: ConsoleBrowser, path: string, events: string[], name = `hook ${path}`) {
  const res = await submitHook(b, { name, url: receiver.url(path), events });
  expect(res.status).toBe(303);
  const id = /^\/console\/webhooks\/([0-9a-f-]{36})$/.exec(res.location ?? '')?.[1];
  if (!id) throw new Error(`no webhook id in ${res.location}`);
  return id;
}

const hookCount = async () => (await t.request('GET', '/v2/webhooks?limit=100')).body.results.length;
const deliveries = async (id: string) =>
  (await t.request('GET', `/v2/webhooks/${id}/deliveries?limit=100`)).body.results;

/** One row of the delivery log, as text. */
function logRow(html: string, event: string): string {
  return textOf(new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${event}[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '');
}

describe('webhooks in the Console', () => {
  it('opens for the roles that manage webhooks and refuses the others (403)', async () => {
    for (const role of ROLES) {
      const b = await signedIn(role);
      const allowed = ROLE_RULES[role].canManageWebhooks;
      expect((await b.get('/console/webhooks')).status, role).toBe(allowed ? 200 : 403);
      if (!allowed) {
        const token = csrfOf((await b.get('/console/invites')).html);
        const res = await b.post('/console/webhooks/new', {
          _csrf: token,
          name: 'x',
          url: receiver.url('/x'),
          events: '*',
        });
        expect(res.status, role).toBe(403);
      }
    }
    expect(await hookCount()).toBe(0);
  });

  it('refuses bad input with the API’s messages beside the fields, creating nothing', async () => {
    const b = await signedIn(hookManager());
    const bad = { name: '', url: 'ftp://example.com/x', events: [] as string[] };
    const api = await t.request('POST', '/v2/webhooks', { body: bad });
    expect(api.status).toBe(400);
    const res = await submitHook(b, bad);
    expect(res.status).toBe(400);
    expect(errorsBeside(res.html, 'url')).toBe('Enter a valid URL (http or https).');
    expect(errorsBeside(res.html, 'url')).toBe(api.body.url.join(' '));
    expect(errorsBeside(res.html, 'name')).toBe(api.body.name.join(' '));
    expect(errorsBeside(res.html, 'events')).toBe(api.body.events.join(' '));
    expect(res.html).toContain('value="ftp://example.com/x"');
    const unknown = await submitHook(b, { name: 'x', url: receiver.url('/x'), events: ['invites.nope'] });
    expect(unknown.status).toBe(400);
    expect(errorsBeside(unknown.html, 'events')).not.toBe('');
    expect(await hookCount()).toBe(0);
  });

  it('creates a subscription, lists it, and reveals its signing secret as the API has it', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/crm', ['invites.completed', 'invites.revoked'], 'CRM sync');
    const hook = (await t.request('GET', `/v2/webhooks/${id}`)).body;
    expect(hook).toMatchObject({ name: 'CRM sync', url: receiver.url('/crm') });
    expect(hook.events).toEqual(['invites.completed', 'invites.revoked']);
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);

    const page = await b.get(`/console/webhooks/${id}`);
    expect(textOf(page.html)).toContain('The webhook subscription is created.');
    expect(page.html).not.toContain(hook.secret);
    expect(textOf(page.html)).toContain(`It ends in …${hook.secret.slice(-4)}.`);
    const revealed = await b.post(`/console/webhooks/${id}/secret`, { _csrf: csrfOf(page.html) });
    expect(revealed.status).toBe(200);
    expect(revealed.html).toMatch(
      new RegExp(`<textarea[^>]*id="hook-secret"[^>]*>${hook.secret}</textarea>`),
    );
    expect(textOf(page.html)).toContain('No deliveries yet.');

    const list = await b.get('/console/webhooks');
    const row = textOf(/<tr>(?:(?!<\/tr>)[\s\S])*CRM sync[\s\S]*?<\/tr>/.exec(list.html)?.[0] ?? '');
    expect(row).toBe(
      `CRM sync ${receiver.url('/crm')} invites.completed, invites.revoked Active 2026-01-15 12:00 UTC`,
    );
    expect(list.html).not.toContain(hook.secret);
  });

  it('shows an attempt answered 500, and Retry sends it again', async () => {
    receiver.script('/flaky', 500, 200);
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/flaky', ['invites.revoked']);
    const invite = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
    await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    await t.drain();
    expect(receiver.hits('/flaky')).toHaveLength(1);

    let page = await b.get(`/console/webhooks/${id}`);
    let row = logRow(page.html, 'invites.revoked');
    expect(row).toContain('invites.revoked 2026-01-15 12:00 UTC retrying');
    expect(row).toContain('1 attempt 2026-01-15 12:00:00 UTC · Failed, retried · HTTP 500');
    expect(row).toContain('HTTP 500 answered 500');
    expect(textOf(page.html)).toMatch(/Failing since 2026-01-15 12:00 UTC/);

    const [delivery] = await deliveries(id);
    const retry = await b.post(`/console/webhooks/${id}/deliveries/${delivery.id}/retry`, {
      _csrf: csrfOf(page.html),
    });
    expect(retry.status).toBe(303);
    await t.drain();
    expect(receiver.hits('/flaky')).toHaveLength(2);
    // The same body, event id and signature on both attempts.
    const [first, second] = receiver.hits('/flaky');
    expect(second?.raw).toBe(first?.raw);
    expect(second?.headers['x-invitekit-event-id']).toBe(first?.headers['x-invitekit-event-id']);

    page = await b.get(`/console/webhooks/${id}`);
    expect(textOf(page.html)).toContain('The delivery is being sent again.');
    row = logRow(page.html, 'invites.revoked');
    expect(row).toContain('succeeded');
    expect(row).toContain('2 attempts');
    expect(row).toMatch(/Failed, retried · HTTP 500 .*Delivered · HTTP 200/);
    expect(page.html).not.toContain(`/deliveries/${delivery.id}/retry`);
  });

  it('sends a test event, which arrives signed with the secret', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/test-me', ['invites.completed']);
    const hook = (await t.request('GET', `/v2/webhooks/${id}`)).body;
    const page = await b.get(`/console/webhooks/${id}`);
    const res = await b.post(`/console/webhooks/${id}/test`, { _csrf: csrfOf(page.html) });
    expect(res.status).toBe(303);
    await t.drain();
    const hits = receiver.hits('/test-me');
    expect(hits.map((h) => h.body.event)).toEqual(['webhooks.test']);
    const hit = hits[0];
    expect(hit?.headers['x-argyle-signature']).toBe(
      createHmac('sha512', hook.secret)
        .update(hit?.raw ?? '')
        .digest('hex'),
    );
    const after = await b.get(`/console/webhooks/${id}`);
    expect(textOf(after.html)).toContain('A test event is on its way.');
    expect(logRow(after.html, 'webhooks.test')).toContain('succeeded 1 attempt');
  });

  it('pages the delivery log newest first, as the API does', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/paged', ['invites.completed']);
    for (let i = 0; i < 11; i++) {
      t.clock.advance(1000);
      expect((await t.request('POST', `/v2/webhooks/${id}/test`)).status).toBe(200);
    }
    const all = await deliveries(id);
    const first = await b.get(`/console/webhooks/${id}`);
    expect(first.html.match(/<tr>/g)).toHaveLength(11);
    const older = /<a href="([^"]+)">Older deliveries<\/a>/.exec(first.html)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toMatch(new RegExp(`^/console/webhooks/${id}\\?cursor=`));
    const second = await b.get(older ?? '');
    expect(second.status).toBe(200);
    expect(second.html.match(/<tr>/g)).toHaveLength(2);
    expect(second.html.toLowerCase()).toContain(`<time datetime="${all[10].created_at.toLowerCase()}"`);
    expect(second.html).toContain('Newer deliveries');
    await t.drain();
  });

  it('deletes a subscription only after the confirmation step', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/gone', ['*'], 'Short-lived');
    const confirm = await b.get(`/console/webhooks/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('Delete “Short-lived”?');
    expect((await t.request('GET', `/v2/webhooks/${id}`)).status).toBe(200);
    const res = await b.post(`/console/webhooks/${id}/delete`, { _csrf: csrfOf(confirm.html) });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/webhooks');
    expect((await t.request('GET', `/v2/webhooks/${id}`)).status).toBe(404);
    expect((await b.get(`/console/webhooks/${id}`)).status).toBe(404);
  });

  it('refuses forms without their CSRF token, changing nothing', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/csrf', ['invites.completed']);
    const count = await hookCount();
    expect(
      (await b.post('/console/webhooks/new', { name: 'x', url: receiver.url('/x'), events: '*' })).status,
    ).toBe(403);
    expect((await b.post(`/console/webhooks/${id}/test`, {})).status).toBe(403);
    expect((await b.post(`/console/webhooks/${id}/delete`, {})).status).toBe(403);
    expect(await hookCount()).toBe(count);
    expect(await deliveries(id)).toEqual([]);
  });

  it('shows nothing of another client’s subscriptions (404)', async () => {
    const other = await t.newKey();
    const theirs = await t.request('POST', '/v2/webhooks', {
      auth: other,
      body: { name: 'Theirs', url: receiver.url('/theirs'), events: ['*'] },
    });
    expect(theirs.status).toBe(200);
    await t.request('POST', `/v2/webhooks/${theirs.body.id}/test`, { auth: other });
    const [delivery] = (await t.request('GET', `/v2/webhooks/${theirs.body.id}/deliveries`, { auth: other }))
      .body.results;

    const b = await signedIn(hookManager());
    const list = await b.get('/console/webhooks');
    expect(list.html).not.toContain('Theirs');
    const token = csrfOf(list.html);
    const hookId = theirs.body.id;
    expect((await b.get(`/console/webhooks/${hookId}`)).status).toBe(404);
    expect((await b.get(`/console/webhooks/${hookId}/delete`)).status).toBe(404);
    expect((await b.post(`/console/webhooks/${hookId}/delete`, { _csrf: token })).status).toBe(404);
    expect((await b.post(`/console/webhooks/${hookId}/test`, { _csrf: token })).status).toBe(404);
    const retry = await b.post(`/console/webhooks/${hookId}/deliveries/${delivery.id}/retry`, {
      _csrf: token,
    });
    expect(retry.status).toBe(404);
    expect((await t.request('GET', `/v2/webhooks/${hookId}`, { auth: other })).status).toBe(200);
    await t.drain();
    expect(receiver.hits('/theirs')).toHaveLength(1);
  });

  it('hides the signing secret until Reveal, whose answer alone shows it, uncached', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/reveal', ['invites.completed'], 'Reveal me');
    const { secret } = (await t.request('GET', `/v2/webhooks/${id}`)).body;
    const pages = [
      await b.get(`/console/webhooks/${id}`),
      await b.get(`/console/webhooks/${id}`),
      await b.get('/console/webhooks'),
      await b.get(`/console/webhooks/${id}/delete`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.html).not.toContain(secret);
    }
    const page = pages[1]?.html ?? '';
    expect(page).toMatch(
      new RegExp(
        `<form method="post" action="/console/webhooks/${id}/secret"[^>]*>[\\s\\S]*?Reveal signing secret`,
      ),
    );

    const revealed = await b.post(`/console/webhooks/${id}/secret`, { _csrf: csrfOf(page) });
    expect(revealed.status).toBe(200);
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(String(revealed.headers['content-type'])).toMatch(/^text\/html/);
    expect(revealed.html).toContain(secret);
    expect(revealed.html.split(secret)).toHaveLength(2);
    expect(textOf(revealed.html)).toContain('Signing secret of “Reveal me”');
    // Revealed once: the page itself still hides it.
    expect((await b.get(`/console/webhooks/${id}`)).html).not.toContain(secret);
  });

  it('shows nothing of a short secret of the client’s own choosing', async () => {
    const made = await t.request('POST', '/v2/webhooks', {
      body: { name: 'Short', url: receiver.url('/short'), events: ['*'], secret: 'pa55w0rd' },
    });
    expect(made.status).toBe(200);
    const b = await signedIn(hookManager());
    const page = await b.get(`/console/webhooks/${made.body.id}`);
    expect(page.html).not.toContain('w0rd');
    expect(textOf(page.html)).toContain('It is hidden.');
    const revealed = await b.post(`/console/webhooks/${made.body.id}/secret`, { _csrf: csrfOf(page.html) });
    expect(revealed.html).toMatch(/<textarea[^>]*>pa55w0rd<\/textarea>/);
  });

  it('refuses a reveal without its CSRF token, or from a role without webhooks, as the page does', async () => {
    const b = await signedIn(hookManager());
    const id = await createHook(b, '/reveal-refused', ['invites.completed']);
    const { secret } = (await t.request('GET', `/v2/webhooks/${id}`)).body;
    for (const fields of [{}, { _csrf: 'not-the-token' }] as Fields[]) {
      const refused = await b.post(`/console/webhooks/${id}/secret`, fields);
      expect(refused.status).toBe(403);
      expect(refused.html).not.toContain(secret);
    }
    for (const role of ROLES.filter((r) => !ROLE_RULES[r].canManageWebhooks)) {
      const other = await signedIn(role);
      const page = await other.get(`/console/webhooks/${id}`);
      const token = csrfOf((await other.get('/console/invites')).html);
      const reveal = await other.post(`/console/webhooks/${id}/secret`, { _csrf: token });
      expect(reveal.status, role).toBe(page.status);
      expect(reveal.status, role).toBe(403);
      expect(textOf(reveal.html)).toBe(textOf(page.html));
      expect(reveal.html).not.toContain(secret);
    }
    const signedOut = consoleBrowser(t, { ip: '198.51.100.250' });
    const out = await signedOut.post(`/console/webhooks/${id}/secret`, {});
    expect(out.status).toBe(303);
    expect(out.html).not.toContain(secret);
  });

  it('shows hostile text as text', async () => {
    receiver.otherwise('/hostile', 500);
    const b = await signedIn(hookManager());
    const url = `${receiver.url('/hostile')}?q="'<b>&x`;
    const res = await submitHook(b, { name: HOSTILE, url, events: ['invites.completed'] });
    expect(res.status).toBe(303);
    const id = res.location?.split('/').pop() ?? '';
    const pages = [
      (await b.get('/console/webhooks')).html,
      (await b.get(`/console/webhooks/${id}`)).html,
      (await b.get(`/console/webhooks/${id}/delete`)).html,
    ];
    for (const html of pages) {
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<b>&x');
      expect(textOf(html)).toContain(HOSTILE);
      expect(textOf(html)).toContain(url);
    }
    // Refused input comes back as text too.
    const refused = await submitHook(b, { name: HOSTILE, url: `javascript:${HOSTILE}`, events: [] });
    expect(refused.status).toBe(400);
    expect(refused.html).not.toContain('<img src=x');
  });
});
