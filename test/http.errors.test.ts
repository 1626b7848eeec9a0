import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../src/auth/keys.service.ts';
import { type Credentials, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const NOT_FOUND = { detail: 'Not found.' };
const INVALID = { detail: 'Invalid username/password.' };
const MISSING_UUID = '0190c5b8-8fa1-77b3-89af-14b3e18da8a7';

const TEMPLATE = {
  name: 'Payroll',
  email_body: 'Hi [Name]',
  sms_body: 'Connect at [Link]',
  header: 'Connect',
  button: 'Connect',
  subject: 'Verify',
  sender: '[Company]',
  company: 'Acme',
  logo_url: 'https://acme.example/logo.png',
  page_heading: 'Verify',
  page_description: 'Two minutes.',
  page_button: 'Start',
};

describe('authentication', () => {
  it('asks for credentials when none are sent', async () => {
    const cases: Record<string, string>[] = [{}, { authorization: 'Bearer abc' }];
    for (const headers of cases) {
      const res = await t.request('GET', '/v2/invites', { auth: null, headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(res.headers['www-authenticate']).toBe('Basic realm="api"');
    }
  });

  it('refuses a wrong secret and an unknown key alike', async () => {
    const wrongSecret = { ...t.key, api_key_secret: `${t.key.api_key_secret}x` };
    const unknownKey = { ...t.key, api_key_id: MISSING_UUID };
    for (const auth of [wrongSecret, unknownKey]) {
      const before = await countRows(t.deps);
      const res = await t.request('POST', '/v2/invites', { auth, body: inviteBody() });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(INVALID);
      expect(await countRows(t.deps)).toEqual(before);
    }
  });

  it('refuses a revoked key, even one just used', async () => {
    const key = await t.newKey();
    expect((await t.request('GET', '/v2/invites', { auth: key })).status).toBe(200);
    await revokeKey(t.deps, key.api_key_id);
    const res = await t.request('GET', '/v2/invites', { auth: key });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID);
  });
});

describe('ids in paths', () => {
  const idRoutes = [
    ['GET', '/v2/invites/{id}'],
    ['DELETE', '/v2/users/{id}'],
    ['POST', '/v2/invites/{id}'],
    ['POST', '/v2/invites/{id}/revoke'],
    ['GET', '/v2/invite-templates/{id}'],
    ['DELETE', '/v2/invite-templates/{id}'],
    ['GET', '/v2/users/{id}'],
    ['GET', '/v2/invites/{id}/events'],
    ['GET', '/v2/accounts/{id}'],
    ['GET', '/v2/webhooks/{id}'],
    ['DELETE', '/v2/webhooks/{id}'],
    ['POST', '/v2/webhooks/{id}/test'],
    ['GET', '/v2/webhooks/{id}/deliveries'],
    ['POST', '/v2/webhooks/{id}/deliveries/{delivery_id}/retry'],
    ['GET', '/v2/flows/{id}'],
    ['PATCH', '/v2/flows/{id}'],
    ['DELETE', '/v2/flows/{id}'],
    ['POST', '/v2/sandbox/invites/{id}/simulate'],
    ['POST', '/v2/sandbox/deliveries/{id}/simulate'],
    ['GET', '/v2/invites/{id}/documents'],
    ['GET', '/v2/invites/{id}/documents/{document_id}/content'],
    ['GET', '/v2/invites/{id}/responses'],
  ] as const;

  it('covers every documented route with an id', async () => {
    const doc = (await t.request('GET', '/openapi.json', { auth: null })).body;
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
      p.includes('{id}') ? Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`) : [],
    );
    expect(documented.sort()).toEqual(idRoutes.map(([m, p]) => `${m} ${p}`).sort());
  });

  // As they appear in the path: the router itself refuses the last three before any route runs.
  const badIds = [
    'abc',
    '123',
    'null',
    '0424137bc-edc5-35de-c1b5-1c3cddb4b227',
    `${MISSING_UUID}0`,
    `${MISSING_UUID.slice(0, -1)}g`,
    MISSING_UUID,
    '%C3%BC',
    '%E0%A4%A',
    'a'.repeat(300),
  ];

  it.each(idRoutes)('%s %s answers 404 for a malformed or unknown id', async (method, route) => {
    for (const id of badIds) {
      const res = await t.request(method, route.replace('{id}', id));
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
    }
  });
});

describe('tenant isolation', () => {
  let other: Credentials;
  let invite: any;
  let template: any;
  beforeAll(async () => {
    other = await t.newKey();
    invite = (
      await t.request('POST', '/v2/invites', {
        body: inviteBody({
          external_id: 'mine',
          override_invite_template: { email: { reply_to: ['me@acme.example'] } },
        }),
      })
    ).body;
    template = (await t.request('POST', '/v2/invite-templates', { body: TEMPLATE })).body;
  });

  it('answers 404 for another client’s ids, changing nothing', async () => {
    const before = await countRows(t.deps);
    for (const [method, url] of [
      ['GET', `/v2/invites/${invite.id}`],
      ['POST', `/v2/invites/${invite.id}`],
      ['POST', `/v2/invites/${invite.id}/revoke`],
      ['GET', `/v2/invite-templates/${template.id}`],
      ['DELETE', `/v2/invite-templates/${template.id}`],
      ['GET', `/v2/users/${invite.user}`],
    ] as const) {
      const res = await t.request(method, url, { auth: other });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
    }
    expect(await countRows(t.deps)).toEqual(before);
    const mine = await t.request('GET', `/v2/invites/${invite.id}`);
    expect(mine.body).toMatchObject({
      status: 'sent',
      deliveries: invite.deliveries,
      updated_at: invite.updated_at,
    });
    expect((await t.request('GET', `/v2/invite-templates/${template.id}`)).status).toBe(200);
  });

  it('issues no user token for another client’s user, answering as for an unknown user', async () => {
    const theirs = await t.request('POST', '/v2/user-tokens', { auth: other, body: { user: invite.user } });
    const unknown = await t.request('POST', '/v2/user-tokens', { auth: other, body: { user: MISSING_UUID } });
    expect(theirs.status).toBe(unknown.status);
    expect(theirs.body).toEqual({ user: [`Invalid pk "${invite.user}" - object does not exist.`] });
    const mine = await t.request('POST', '/v2/user-tokens', { body: { user: invite.user } });
    expect(mine.status).toBe(200);
  });

  it('never lists another client’s objects', async () => {
    for (const url of [
      '/v2/invites',
      '/v2/invites?status=sent',
      '/v2/invites?reply_to=me@acme.example',
      '/v2/users',
      '/v2/users?external_id=mine',
    ]) {
      expect((await t.request('GET', url, { auth: other })).body.results, url).toEqual([]);
      expect((await t.request('GET', url)).body.results.length, url).toBeGreaterThan(0);
    }
    expect((await t.request('GET', '/v2/invite-templates', { auth: other })).body).toEqual([]);
  });
});

describe('requests the API cannot take', () => {
  it.each([
    ['PUT', '/v2/invites', ['GET', 'POST']],
    ['DELETE', `/v2/invites/${MISSING_UUID}`, ['GET', 'POST']],
    ['GET', `/v2/invites/${MISSING_UUID}/revoke`, ['POST']],
    ['PATCH', `/v2/invite-templates/${MISSING_UUID}`, ['DELETE', 'GET']],
    ['GET', '/v2/user-tokens', ['POST']],
  ])('%s %s: 405 with Allow', async (method, url, allow) => {
    const res = await t.request(method, url);
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ detail: `Method "${method}" not allowed.` });
    const allowed = String(res.headers.allow).split(/,\s*/).sort();
    expect(allowed).toEqual(allow);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'text/plain; charset=utf-8'])(
    'a %s body: 415',
    async (type) => {
      const before = await countRows(t.deps);
      const res = await t.request('POST', '/v2/invites', {
        payload: 'first_name=Sarah&last_name=Longfield&email=sarah@email.com',
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ detail: `Unsupported media type "${type}" in request.` });
      expect(await countRows(t.deps)).toEqual(before);
    },
  );

  it('takes JSON with a charset', async () => {
    const res = await t.request('POST', '/v2/invites', {
      payload: JSON.stringify(inviteBody()),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
  });

  it('answers broken JSON with a parse error', async () => {
    for (const payload of ['{"first_name": "Sarah",', '{first_name: 1}', 'nul']) {
      const res = await t.request('POST', '/v2/invites', {
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ detail: expect.stringMatching(/^JSON parse error - ./) });
    }
  });

  it.each(['/v2/nothing', '/v2/invites/x/y/z', '/nothing'])('unknown route %s: 404', async (url) => {
    const res = await t.request('GET', url);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
  });
});

describe('public pages', () => {
  it('GET /healthz answers without credentials', async () => {
    const res = await t.request('GET', '/healthz', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3 document with the invite routes', async () => {
    const res = await t.request('GET', '/openapi.json', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/v2/invites']).toHaveProperty('post');
    expect(res.body.paths['/v2/invites']).toHaveProperty('get');
    expect(Object.keys(res.body.paths['/v2/invites/{id}']).sort()).toEqual(['get', 'post']);
    expect(res.body.paths['/v2/invites/{id}/revoke']).toHaveProperty('post');
    expect(res.body.components.schemas).toHaveProperty('InviteObject');
  });

  it('serves the reference page at /docs/', async () => {
    const res = await t.request('GET', '/docs/', { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.raw).toMatch(/<html/i);
  });
});
