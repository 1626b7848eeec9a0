import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey, verifyCredentials } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps, createLogger } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { createMember } from '../src/members/members.service.ts';
import { ROLE_RULES, ROLES, type Role } from '../src/members/roles.ts';
import { type Credentials, freshDatabase, lineSink, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;

beforeAll(async () => {
  // Private addresses are refused here, as in production: the webhook form's SSRF check runs.
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A browser signed in as a new member of the role. */
async function signedIn(role: Role): Promise<ConsoleBrowser> {
  const email = `k${nextIp}@acme.example`;
  await createMember(t.deps, t.key.client_id, { email, name: '', role, password: PASSWORD });
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

/** A role that may manage keys and is not the all-powerful one. */
const keyManager = (): Role => {
  const role = ROLES.find((r) => ROLE_RULES[r].canManageKeys && !ROLE_RULES[r].canManageMembers);
  if (!role) throw new Error('no such role');
  return role;
};

function errorsBeside(html: string, name: string): string {
  const m = new RegExp(`<ul class="field-errors" id="field-${name}-errors">([\\s\\S]*?)</ul>`).exec(html);
  return textOf(m?.[1] ?? '');
}

const apiStatus = async (key: Credentials) => (await t.request('GET', '/v2/invites', { auth: key })).status;

async function keyCount(): Promise<number> {
  const row = await t.deps.db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates a key through the form; its id and secret as the one page that shows them. */
async function createFromForm(b: ConsoleBrowser, name: string) {
  const res = await b.submit('/console/keys', '/console/keys', { name });
  expect(res.status).toBe(200);
  const codes = [...res.html.matchAll(/<code class="secret"[^>]*>([^<]*)<\/code>/g)].map((m) => m[1] ?? '');
  const [api_key_id = '', api_key_secret = '', client_id = ''] = codes;
  return { res, key: { api_key_id, api_key_secret, client_id } };
}

describe('API keys', () => {
  it('opens for the roles that manage keys and refuses the others (403)', async () => {
    for (const role of ROLES) {
      const b = await signedIn(role);
      const page = await b.get('/console/keys');
      expect(page.status, role).toBe(ROLE_RULES[role].canManageKeys ? 200 : 403);
      if (!ROLE_RULES[role].canManageKeys) {
        const token = csrfOf((await b.get('/console/invites')).html);
        const created = await b.post('/console/keys', { _csrf: token, name: 'sneaky' });
        expect(created.status, role).toBe(403);
        const revoked = await b.post(`/console/keys/${t.key.api_key_id}/revoke`, { _csrf: token });
        expect(revoked.status, role).toBe(403);
      }
    }
    expect(await apiStatus(t.key)).toBe(200);
  });

  it('shows a new key’s secret once, which works at once, and never again', async () => {
    const b = await signedIn(keyManager());
    const { res, key } = await createFromForm(b, 'CRM sync');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(textOf(res.html)).toContain('It is shown only this once');
    expect(key.client_id).toBe(t.key.client_id);
    expect(key.api_key_secret.length).toBeGreaterThanOrEqual(32);
    expect(await apiStatus(key)).toBe(200);

    const list = await b.get('/console/keys');
    expect(list.status).toBe(200);
    expect(list.html).not.toContain(key.api_key_secret);
    const row = new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${key.api_key_id}[\\s\\S]*?</tr>`).exec(list.html)?.[0];
    expect(textOf(row ?? '')).toMatch(/^CRM sync .*2026-01-15 12:00 UTC Active Revoke/);
    expect(textOf(list.html)).toContain(t.key.client_id);
    // Only a hash is kept.
    const stored = await t.deps.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(key.api_key_secret);
  });

  it('lists only the client’s own keys, and cannot revoke another client’s (404)', async () => {
    const other = await t.newKey();
    const b = await signedIn(keyManager());
    const list = await b.get('/console/keys');
    expect(list.html).not.toContain(other.api_key_id);
    expect(list.html).toContain(t.key.api_key_id);

    expect((await b.get(`/console/keys/${other.api_key_id}/revoke`)).status).toBe(404);
    const res = await b.post(`/console/keys/${other.api_key_id}/revoke`, { _csrf: csrfOf(list.html) });
    expect(res.status).toBe(404);
    expect((await b.get('/console/keys/not-a-key/revoke')).status).toBe(404);
    expect(await apiStatus(other)).toBe(200);
  });

  it('revokes after the confirmation step, and the API refuses the key right after (401)', async () => {
    const b = await signedIn(keyManager());
    const { key } = await createFromForm(b, 'Short-lived');
    // Verified once, so the process holds it in its cache of verified keys.
    expect(await apiStatus(key)).toBe(200);

    const confirm = await b.get(`/console/keys/${key.api_key_id}/revoke`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('Revoke “Short-lived”?');
    expect(await apiStatus(key)).toBe(200);

    const res = await b.post(`/console/keys/${key.api_key_id}/revoke`, { _csrf: csrfOf(confirm.html) });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/keys');
    expect(await apiStatus(key)).toBe(401);

    const list = await b.get('/console/keys');
    expect(textOf(list.html)).toContain('The API key is revoked');
    const row = new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${key.api_key_id}[\\s\\S]*?</tr>`).exec(list.html)?.[0];
    expect(textOf(row ?? '')).toContain('Revoked 2026-01-15 12:00 UTC');
    expect(row).not.toContain('/revoke"');
  });

  it('refuses a blank or overlong name beside the field, creating nothing', async () => {
    const b = await signedIn(keyManager());
    const before = await keyCount();
    const blank = await b.submit('/console/keys', '/console/keys', { name: '   ' });
    expect(blank.status).toBe(400);
    expect(errorsBeside(blank.html, 'name')).toBe('This field may not be blank.');
    const long = await b.submit('/console/keys', '/console/keys', { name: 'x'.repeat(256) });
    expect(long.status).toBe(400);
    expect(errorsBeside(long.html, 'name')).toBe('Ensure this field has no more than 255 characters.');
    expect(long.html).toContain(`value="${'x'.repeat(256)}"`);
    expect(await keyCount()).toBe(before);
  });

  it('refuses forms without their CSRF token, changing nothing', async () => {
    const b = await signedIn(keyManager());
    const { key } = await createFromForm(b, 'Kept');
    const before = await keyCount();
    expect((await b.post('/console/keys', { name: 'forged' })).status).toBe(403);
    expect((await b.post(`/console/keys/${key.api_key_id}/revoke`, {})).status).toBe(403);
    expect(await keyCount()).toBe(before);
    expect(await apiStatus(key)).toBe(200);
  });

  it('shows a hostile name as text on every page', async () => {
    const b = await signedIn(keyManager());
    const { res, key } = await createFromForm(b, HOSTILE);
    const pages = [res.html, (await b.get('/console/keys')).html];
    pages.push((await b.get(`/console/keys/${key.api_key_id}/revoke`)).html);
    for (const html of pages) {
      expect(html).not.toContain('<img src=x');
      expect(textOf(html)).toContain(HOSTILE);
    }
  });
});

describe('webhooks where private addresses are refused', () => {
  it('refuses a private URL with the API’s message beside the field', async () => {
    const body = { name: 'Internal', url: 'http://127.0.0.1:9/hook', events: ['*'] };
    const api = await t.request('POST', '/v2/webhooks', { body });
    expect(api.status).toBe(400);
    const b = await signedIn(keyManager());
    const res = await b.submit('/console/webhooks/new', '/console/webhooks/new', { ...body, events: '*' });
    expect(res.status).toBe(400);
    expect(errorsBeside(res.html, 'url')).toBe(api.body.url.join(' '));
    expect(errorsBeside(res.html, 'url')).toMatch(/^Enter a public URL: /);
    expect((await t.request('GET', '/v2/webhooks')).body.results).toEqual([]);
  });
});

describe('the key INVITEKIT_API_KEY_ID names', () => {
  it('stays revoked when the server starts again with the same settings', async () => {
    const database = await freshDatabase();
    const lines: string[] = [];
    const env = {
      DATABASE_URL: database.url,
      INVITEKIT_API_KEY_ID: 'env-key',
      INVITEKIT_API_KEY_SECRET: 'env-key-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const start = () => createDeps(config, { log: createLogger(config, lineSink(lines)) });
    const first = await start();
    expect(await verifyCredentials(first, 'env-key', env.INVITEKIT_API_KEY_SECRET)).not.toBeNull();
    expect(await revokeKey(first, 'env-key')).toBe(true);
    await closeDeps(first);

    const again = await start();
    try {
      expect(await verifyCredentials(again, 'env-key', env.INVITEKIT_API_KEY_SECRET)).toBeNull();
      const warning = lines.map((l) => JSON.parse(l)).find((l) => l.key === 'env-key');
      expect(warning?.msg).toContain('stays revoked');
      expect(lines.join('\n')).not.toContain(env.INVITEKIT_API_KEY_SECRET);
    } finally {
      await closeDeps(again);
      await database.drop();
    }
  });
});
