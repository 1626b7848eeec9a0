import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SHAREABLE_LIMITS } from '../src/link/shareable-limits.ts';
import {
  type Credentials,
  countRows,
  inviteBody,
  PUBLIC_URL,
  startTestApp,
  type TestApp,
} from './helpers/app.ts';
import { Browser, hiddenField, type Page, textOf } from './helpers/link.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());
// Each test starts in a fresh rate-limit minute: the per-address cap has a test of its own.
beforeEach(() => t.clock.advance(120_000));

const ID = /^[0-9A-Z]{8}$/;
const PAGE_NULLS = { brand: null, landing_page: null, success_page: null, flow_items: null };

const shareable = (over: Record<string, unknown> = {}) => ({
  type: 'shareable_url',
  name: 'Open house',
  ...over,
});

async function createFlow(body: Record<string, unknown>, auth?: Credentials) {
  const res = await t.request('POST', '/v2/flows', { body, auth });
  expect(res.status, res.raw).toBe(200);
  return res.body;
}

const countFlows = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('flows')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Invites of a client, newest first. */
async function invitesOf(auth?: Credentials): Promise<any[]> {
  const res = await t.request('GET', '/v2/invites?limit=200', { auth });
  expect(res.status).toBe(200);
  return res.body.results;
}

/** Opens the URL in `b` and presses the landing page's button; the redirect it answers. */
async function enter(b: Browser, url: string): Promise<Page> {
  const landing = await b.get(url);
  expect(landing.status, landing.html).toBe(200);
  return b.submit(landing);
}

/** The invite id of a Link path (`/connect/{id}/…`). */
const inviteIdOf = (location: string | null) => /^\/connect\/([0-9a-f-]{36})\//.exec(location ?? '')?.[1];

describe('shareable_url flows over the API', () => {
  it('creates one with its url, active by default, and no email or SMS fields', async () => {
    const res = await t.request('POST', '/v2/flows', { body: shareable() });
    expect(res.status).toBe(200);
    const now = t.clock.now().toISOString();
    expect(res.body).toEqual({
      id: expect.stringMatching(ID),
      type: 'shareable_url',
      name: 'Open house',
      language: 'en',
      url: `${PUBLIC_URL}/s/${res.body.id}`,
      active: true,
      notify_emails: [],
      allow_email_override: false,
      created_at: now,
      updated_at: now,
      ...PAGE_NULLS,
    });
    expect((await t.request('GET', `/v2/flows/${res.body.id}`)).body).toEqual(res.body);
    const list = await t.request('GET', '/v2/flows?limit=200');
    expect(list.body.results).toContainEqual(res.body);
  });

  it('keeps page texts, branding and settings, and PATCH toggles active and clears the list', async () => {
    const body = shareable({
      language: 'es',
      brand: { color: '#0F766E' },
      landing_page: { header: 'Verify your income', step_1: 'Pick your employer' },
      success_page: { header: 'Thanks' },
      flow_items: ['item_000000001'],
      notify_emails: ['lo@lender.test', 'LO@lender.test', 'team@lender.test'],
      allow_email_override: true,
    });
    const flow = await createFlow(body);
    expect(flow).toMatchObject({
      ...body,
      notify_emails: ['lo@lender.test', 'team@lender.test'],
      active: true,
    });

    t.clock.advance(1000);
    const off = await t.request('PATCH', `/v2/flows/${flow.id}`, { body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ ...flow, active: false, updated_at: t.clock.now().toISOString() });
    const cleared = await t.request('PATCH', `/v2/flows/${flow.id}`, {
      body: { active: true, notify_emails: null, name: 'Renamed' },
    });
    expect(cleared.body).toEqual({
      ...off.body,
      active: true,
      notify_emails: [],
      name: 'Renamed',
    });
    // `type` never changes.
    const retype = await t.request('PATCH', `/v2/flows/${flow.id}`, { body: { type: 'email_sms_template' } });
    expect(retype.status).toBe(400);
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).body).toEqual(cleared.body);
  });

  it('refuses bad notification lists and fields the type does not have, writing nothing', async () => {
    const template = await createFlow({ type: 'email_sms_template', name: 'Template' });
    const share = await createFlow(shareable());
    const before = await countFlows();
    const eleven = Array.from({ length: 11 }, (_, i) => `lo${i}@lender.test`);
    const sentOnly = 'A Shareable URL sends nothing, so it has no email or SMS text.';
    const shareOnly = 'Only a Shareable URL (type "shareable_url") has this field.';
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        shareable({ notify_emails: ['not-an-email'] }),
        { notify_emails: { 0: ['Enter a valid email address.'] } },
      ],
      [
        shareable({ notify_emails: eleven }),
        { notify_emails: ['Ensure this field has no more than 10 elements.'] },
      ],
      [shareable({ notify_emails: 'lo@lender.test' }), { notify_emails: expect.any(Array) }],
      [shareable({ active: 'yes' }), { active: ['Must be a valid boolean.'] }],
      [shareable({ email: { subject: 'Hi' }, sms_text: 'Hi' }), { email: [sentOnly], sms_text: [sentOnly] }],
      [
        { type: 'email_sms_template', name: 'T', active: false, notify_emails: [] },
        { active: [shareOnly], notify_emails: [shareOnly] },
      ],
      [
        { type: 'email_sms_template', name: 'T', allow_email_override: true },
        { allow_email_override: [shareOnly] },
      ],
    ];
    for (const [body, errors] of cases) {
      const res = await t.request('POST', '/v2/flows', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(errors);
    }
    const patches: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [share.id, { sms_text: 'Hi' }, { sms_text: [sentOnly] }],
      [share.id, { notify_emails: ['x@'] }, { notify_emails: { 0: ['Enter a valid email address.'] } }],
      [template.id, { active: false }, { active: [shareOnly] }],
    ];
    for (const [id, body, errors] of patches) {
      const res = await t.request('PATCH', `/v2/flows/${id}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(errors);
    }
    expect(await countFlows()).toBe(before);
    expect((await t.request('GET', `/v2/flows/${share.id}`)).body).toEqual(share);
    expect((await t.request('GET', `/v2/flows/${template.id}`)).body).toEqual(template);
  });

  it('cannot be the flow_id of a send or the default flow, and is not counted as the only template', async () => {
    const auth = await t.newKey();
    const share = await createFlow(shareable(), auth);
    const before = await countRows(t.deps);
    const sent = await t.request('POST', '/v2/invites', { auth, body: inviteBody({ flow_id: share.id }) });
    expect(sent.status).toBe(400);
    const missing = await t.request('POST', '/v2/invites', {
      auth,
      body: inviteBody({ flow_id: 'ZZZZZZZZ' }),
    });
    expect(sent.body).toEqual({
      flow_id: [`Invalid flow "${share.id}" - no Email/SMS template has this ID.`],
    });
    expect(missing.body).toEqual({
      flow_id: ['Invalid flow "ZZZZZZZZ" - no Email/SMS template has this ID.'],
    });
    expect(await countRows(t.deps)).toEqual(before);

    const settings = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { default_flow_id: share.id },
    });
    expect(settings.status).toBe(400);
    expect(settings.body).toEqual({ default_flow_id: [`Invalid pk "${share.id}" - object does not exist.`] });
    expect((await t.request('GET', '/v2/invite-settings', { auth })).body.default_flow_id).toBeNull();

    // With one template beside the Shareable URL, the template is still the client's only one.
    const template = await createFlow({ type: 'email_sms_template', name: 'Only' }, auth);
    const plain = await t.request('POST', '/v2/invites', { auth, body: inviteBody() });
    expect(plain.body.rendered_flow_id).toBe(template.id);
  });

  it('is documented in the OpenAPI, while /s/{id} stays out of it', async () => {
    const doc = (await t.request('GET', '/openapi.json', { auth: null })).body;
    expect(JSON.stringify(doc.components.schemas.FlowObject)).toContain('notify_emails');
    expect(doc.paths['/v2/flows'].post.requestBody).toBeDefined();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/s/'))).toEqual([]);
  });
});

describe('the public /s/{id} pages', () => {
  it('shows the landing page, and entering makes one initiated invite with no deliveries', async () => {
    const auth = await t.newKey();
    const hook = await t.request('POST', '/v2/webhooks', {
      auth,
      body: { events: ['*'], name: 'CRM', url: 'https://93.184.215.14/hooks' },
    });
    const flow = await createFlow(
      shareable({
        landing_page: { header: 'Verify your income with Acme', subheader: 'It takes two minutes.' },
        notify_emails: ['lo@lender.test', 'team@lender.test'],
      }),
      auth,
    );
    const b = new Browser(t.app);
    const landing = await b.get(`/s/${flow.id}?external_id=crm-42`);
    expect(landing.status).toBe(200);
    expect(textOf(landing.html)).toContain('Verify your income with Acme');
    expect(textOf(landing.html)).toContain('It takes two minutes.');
    // The pages' own headers: no caching, no scripts, no framing.
    expect(landing.headers['cache-control']).toBe('no-store');
    expect(landing.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await invitesOf(auth)).toEqual([]);

    const entered = await b.submit(landing);
    expect(entered.status).toBe(303);
    const id = inviteIdOf(entered.location);
    expect(entered.location).toBe(`/connect/${id}/items`);
    const cookie = String(entered.headers['set-cookie']);
    expect(cookie).toMatch(
      new RegExp(`^ik_share=[^;]+; Path=/s/${flow.id}; Max-Age=\\d+; HttpOnly; SameSite=Lax$`),
    );
    expect(cookie).not.toContain(`ik_share=${id};`);

    const invites = await invitesOf(auth);
    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatchObject({
      id,
      status: 'initiated',
      deliveries: [],
      flow_id: flow.id,
      rendered_flow_id: flow.id,
      reply_to: ['lo@lender.test', 'team@lender.test'],
      first_name: '',
      last_name: '',
      email: null,
      phone_number: null,
    });
    const user = await t.request('GET', `/v2/users/${invites[0].user}`, { auth });
    expect(user.body.external_id).toBe('crm-42');
    const events = await t.request('GET', `/v2/invites/${id}/events`, { auth });
    expect(events.body.results.map((e: any) => e.type).reverse()).toEqual([
      'invite.sent',
      'invite.initiated',
    ]);
    const byReplyTo = await t.request('GET', '/v2/invites?reply_to=TEAM@lender.test', { auth });
    expect(byReplyTo.body.results.map((i: any) => i.id)).toEqual([id]);
    const webhooks = await t.request('GET', `/v2/webhooks/${hook.body.id}/deliveries?limit=200`, { auth });
    expect(webhooks.body.results.map((d: any) => d.event).sort()).toEqual([
      'invites.initiated',
      'invites.sent',
      'users.created',
    ]);
    await t.request('DELETE', `/v2/webhooks/${hook.body.id}`, { auth });

    const items = await b.follow(entered);
    expect(items.status).toBe(200);
    expect(textOf(items.html)).toContain('Ledgerline Payroll');
  });

  it('resumes the same browser’s invite, and gives another browser its own', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const first = new Browser(t.app);
    const landing = await first.get(flow.url.replace(PUBLIC_URL, ''));
    const id = inviteIdOf((await first.submit(landing)).location);

    const back = await first.get(`/s/${flow.id}`);
    expect(back.status).toBe(302);
    expect(back.location).toBe(`/connect/${id}`);
    expect(textOf((await first.follow(back)).html)).toContain('Connect your payroll account');
    // The landing form sent again (Back, then the button) resumes too instead of making another.
    const again = await first.submit(landing);
    expect(again.status).toBe(303);
    expect(again.location).toBe(`/connect/${id}/items`);
    expect((await invitesOf(auth)).map((i) => i.id)).toEqual([id]);

    const second = new Browser(t.app);
    const other = inviteIdOf((await enter(second, `/s/${flow.id}`)).location);
    expect(other).toBeDefined();
    expect(other).not.toBe(id);
    expect((await invitesOf(auth)).map((i) => i.id).sort()).toEqual([id, other].sort());

    // A cookie naming another invite with a signature of its own making is no resume.
    const forger = new Browser(t.app);
    forger.cookies.set('ik_share', `${id}.${'A'.repeat(43)}`);
    const forged = await forger.get(`/s/${flow.id}`);
    expect(forged.status).toBe(200);
    // Nor does the cookie of one flow open another.
    const flow2 = await createFlow(shareable(), auth);
    const copied = new Browser(t.app);
    copied.cookies.set('ik_share', String(first.cookies.get('ik_share')));
    expect((await copied.get(`/s/${flow2.id}`)).status).toBe(200);
  });

  it('makes one invite when the landing form is sent twice at once', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const b = new Browser(t.app);
    const landing = await b.get(`/s/${flow.id}?external_id=twice`);
    const answers = await Promise.all([b.submit(landing), b.submit(landing), b.submit(landing)]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    const id = inviteIdOf(answers[0]?.location ?? null);
    expect(answers.map((a) => inviteIdOf(a.location))).toEqual([id, id, id]);
    expect((await invitesOf(auth)).map((i) => i.id)).toEqual([id]);
    // Another page of the same URL is another form: in another browser, another invite.
    expect(inviteIdOf((await enter(new Browser(t.app), `/s/${flow.id}`)).location)).not.toBe(id);
  });

  it('starts afresh when the resumed invite was revoked or has expired', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const b = new Browser(t.app);
    const first = inviteIdOf((await enter(b, `/s/${flow.id}`)).location);
    expect((await t.request('POST', `/v2/invites/${first}/revoke`, { auth })).status).toBe(200);
    const fresh = await b.get(`/s/${flow.id}`);
    expect(fresh.status).toBe(200);
    const second = inviteIdOf((await b.submit(fresh)).location);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);

    // With expiry on, the invite a visitor got expires like a sent one; coming back after it starts afresh.
    await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { expiry: { enabled: true, after_days: 1 } },
    });
    const c = new Browser(t.app);
    const third = inviteIdOf((await enter(c, `/s/${flow.id}`)).location);
    const invite = (await t.request('GET', `/v2/invites/${third}`, { auth })).body;
    expect(invite.expires_at).toBe(new Date(t.clock.now().getTime() + 24 * 3600_000).toISOString());
    expect((await c.get(`/s/${flow.id}`)).location).toBe(`/connect/${third}`);
    t.clock.advance(24 * 3600_000 + 1000);
    const later = await c.get(`/s/${flow.id}`);
    expect(later.status).toBe(200);
    const fourth = inviteIdOf((await c.submit(later)).location);
    expect(new Set([first, second, third, fourth]).size).toBe(4);
    expect(await invitesOf(auth)).toHaveLength(4);
  });

  it('takes ?email= as reply_to only when the flow allows it, and refuses bad values', async () => {
    const auth = await t.newKey();
    const fixed = await createFlow(shareable({ notify_emails: ['lo@lender.test'] }), auth);
    const open = await createFlow(
      shareable({ notify_emails: ['lo@lender.test'], allow_email_override: true }),
      auth,
    );
    const replyTo = async (flowId: string, query: string) => {
      const id = inviteIdOf((await enter(new Browser(t.app), `/s/${flowId}${query}`)).location);
      return (await t.request('GET', `/v2/invites/${id}`, { auth })).body.reply_to;
    };
    expect(await replyTo(fixed.id, '?email=officer%40lender.test')).toEqual(['lo@lender.test']);
    expect(await replyTo(open.id, '?email=officer%40lender.test')).toEqual(['officer@lender.test']);
    expect(await replyTo(open.id, '?email=')).toEqual(['lo@lender.test']);

    const before = await countRows(t.deps);
    for (const query of [
      '?email=not-an-email',
      `?external_id=${'x'.repeat(256)}`,
      '?email=a%40b.test&email=c%40d.test',
    ]) {
      const page = await new Browser(t.app).get(`/s/${open.id}${query}`);
      expect(page.status, query).toBe(400);
      expect(textOf(page.html)).toContain('This link isn’t quite right');
    }
    // In the flow's language.
    const spanish = await createFlow(shareable({ language: 'es' }), auth);
    const es = await new Browser(t.app).get(`/s/${spanish.id}?email=nope`);
    expect(es.status).toBe(400);
    expect(es.html).toContain('<html lang="es">');
    expect(textOf(es.html)).toContain('Este enlace no es correcto');
    // A form posted with a bad value in its action is refused the same way.
    const b = new Browser(t.app);
    const landing = await b.get(`/s/${open.id}`);
    const posted = await b.post(`/s/${open.id}/enter?email=nope`, {
      _csrf: hiddenField(landing.html, '_csrf'),
    });
    expect(posted.status).toBe(400);
    expect(await countRows(t.deps)).toEqual(before);
  });

  it('completing Link completes the invite and notifies its reply_to', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable({ notify_emails: ['closer@lender.test'] }), auth);
    const b = new Browser(t.app);
    const entered = await enter(b, `/s/${flow.id}`);
    const id = inviteIdOf(entered.location);
    const base = `/connect/${id}`;
    const login = await b.get(`${base}/items/item_000000001`);
    const code = await b.follow(await b.submit(login, { username: 'test_1', password: 'passgood' }));
    const done = await b.follow(await b.submit(code, { code: '8081' }));
    expect(textOf(done.html)).toContain('Your account is connected');
    expect((await t.request('GET', `/v2/invites/${id}`, { auth })).body.status).toBe('completed');

    await t.drain();
    const outbox = await t.request('GET', '/outbox/messages?to=closer@lender.test', { auth });
    expect(outbox.body.results).toHaveLength(1);
    // The same browser coming back sees the success page, not a new invite.
    const back = await b.follow(await b.get(`/s/${flow.id}`));
    expect(textOf(back.html)).toContain('Your account is connected');
    expect(await invitesOf(auth)).toHaveLength(1);
  });

  it('shows "No action needed" while inactive, and makes nothing', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const b = new Browser(t.app);
    const landing = await b.get(`/s/${flow.id}`);
    await t.request('PATCH', `/v2/flows/${flow.id}`, { auth, body: { active: false } });
    const shown = await new Browser(t.app).get(`/s/${flow.id}`);
    expect(shown.status).toBe(200);
    expect(textOf(shown.html)).toContain('No action needed');
    const posted = await b.submit(landing);
    expect(textOf(posted.html)).toContain('No action needed');
    expect(await invitesOf(auth)).toEqual([]);

    await t.request('PATCH', `/v2/flows/${flow.id}`, { auth, body: { active: true } });
    expect((await enter(new Browser(t.app), `/s/${flow.id}`)).status).toBe(303);
    expect(await invitesOf(auth)).toHaveLength(1);
  });

  it('answers the 404 page for unknown, deleted and Email/SMS template ids, and one spelling of the path', async () => {
    const template = await createFlow({ type: 'email_sms_template', name: 'T' });
    const deleted = await createFlow(shareable());
    await t.request('DELETE', `/v2/flows/${deleted.id}`);
    for (const path of [
      '/s/ZZZZZZZZ',
      `/s/${template.id}`,
      `/s/${deleted.id}`,
      '/s/short',
      '/s/ABCDEFGH/other',
    ]) {
      const page = await new Browser(t.app).get(path);
      expect(page.status, path).toBe(404);
      expect(textOf(page.html)).toContain('We couldn’t find this page');
    }
    const flow = await createFlow(shareable());
    const lower = await new Browser(t.app).get(`/s/${flow.id.toLowerCase()}?external_id=a%20b`);
    expect(lower.status).toBe(302);
    expect(lower.location).toBe(`/s/${flow.id}?external_id=a%20b`);
  });

  it('refuses a POST without the form token of this flow, making nothing', async () => {
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const other = await createFlow(shareable(), auth);
    const b = new Browser(t.app);
    const otherPage = await b.get(`/s/${other.id}`);
    const attempts = [
      await b.post(`/s/${flow.id}/enter`, {}),
      await b.post(`/s/${flow.id}/enter`, { _csrf: 'forged' }),
      await b.post(`/s/${flow.id}/enter`, { _csrf: hiddenField(otherPage.html, '_csrf') }),
      await new Browser(t.app).post(`/s/${flow.id}/enter`, { _csrf: hiddenField(otherPage.html, '_csrf') }),
    ];
    for (const page of attempts) {
      expect(page.status).toBe(403);
      expect(textOf(page.html)).toContain('This page has expired');
    }
    expect(await invitesOf(auth)).toEqual([]);
  });

  it('makes at most 10 invites a minute for one address, then the 429 page', async () => {
    expect(SHAREABLE_LIMITS.perAddress).toBe(10);
    const auth = await t.newKey();
    const flow = await createFlow(shareable(), auth);
    const answers: Page[] = [];
    for (let i = 0; i < 12; i++) answers.push(await enter(new Browser(t.app), `/s/${flow.id}`));
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(303), 429, 429]);
    const refused = answers[10]!;
    expect(textOf(refused.html)).toContain('Too many tries in a short time');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect(await invitesOf(auth)).toHaveLength(10);

    // Another address is not held back by this one, and the minute after lets it in again.
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: `/s/${flow.id}`,
      remoteAddress: '203.0.113.9',
    });
    const cookie = String(elsewhere.headers['set-cookie']).split(';')[0]!;
    const token = hiddenField(elsewhere.body, '_csrf');
    const post = await t.app.inject({
      method: 'POST',
      url: `/s/${flow.id}/enter`,
      remoteAddress: '203.0.113.9',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(post.statusCode).toBe(303);
    t.clock.advance(120_000);
    expect((await enter(new Browser(t.app), `/s/${flow.id}`)).status).toBe(303);
    expect(await invitesOf(auth)).toHaveLength(12);
  });

  it('shows hostile flow text as text', async () => {
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    const flow = await createFlow(
      shareable({ name: hostile, landing_page: { header: hostile, subheader: hostile } }),
    );
    const page = await new Browser(t.app).get(`/s/${flow.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('<img src=x');
    expect(textOf(page.html)).toContain(hostile);
  });
});
