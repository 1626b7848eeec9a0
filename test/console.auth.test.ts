import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, disableMember } from '../src/members/members.service.ts';
import { tokenHash } from '../src/members/sessions.service.ts';
import { firstAdminSetup } from '../src/members/set-password.service.ts';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let https: TestApp;
let nextIp = 1;
/** A browser from an address of its own, so one test's failed sign-ins never throttle another's. */
const browser = (app: TestApp = t) => consoleBrowser(app, { ip: `198.51.100.${nextIp++}` });

const PASSWORD = 'correct horse battery';
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  [t, https] = await Promise.all([startTestApp(), startTestApp({ PUBLIC_URL: 'https://console.example' })]);
});
afterAll(async () => {
  await Promise.all([t?.close(), https?.close()]);
});

async function member(email: string, role: string, opts: { name?: string; app?: TestApp } = {}) {
  const app = opts.app ?? t;
  await createMember(app.deps, app.key.client_id, { email, name: opts.name ?? '', role, password: PASSWORD });
}

/** Signs in through the form; the answer to the POST. */
function signIn(b: ConsoleBrowser, email: string, password = PASSWORD) {
  return b.submit('/console', '/console/sign-in', { email, password });
}

async function signedInAs(b: ConsoleBrowser): Promise<string | null> {
  const page = await b.get('/console');
  expect(page.status).toBe(200);
  if (page.html.includes('action="/console/sign-in"')) return null;
  return textOf(/<header class="topbar">([\s\S]*?)<\/header>/.exec(page.html)?.[1] ?? '');
}

/** How many rows the database keeps of the session a cookie's token names. */
async function sessionRows(token: string): Promise<number> {
  const rows = await t.deps.db
    .selectFrom('console_sessions')
    .select('id')
    .where('id', '=', tokenHash(token))
    .execute();
  return rows.length;
}

const alertOf = (html: string) =>
  textOf(/<div class="alert" role="alert">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

describe('the first admin', () => {
  it('comes from the setup link: the page asks for email, name and password, then signs them in', async () => {
    const setup = await firstAdminSetup(t.deps);
    if (setup?.kind !== 'link') throw new Error('no setup link on a database without members');
    const url = `/console/set-password?token=${setup.token}`;
    const b = browser();

    const page = await b.get(url);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Create the first admin');
    for (const label of ['Email', 'Name', 'Password']) expect(page.html).toContain(`>${label}</label>`);

    // A password the rules refuse: the form again, the message beside the field, the link unspent.
    const short = await b.post(url, {
      _csrf: csrfOf(page.html),
      email: 'ada@acme.example',
      name: 'Ada',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.html).toMatch(
      /id="field-password-errors"[^>]*><li>This password is too short\. It must contain at least 12 characters\.<\/li>/,
    );
    expect(short.html).toContain('value="ada@acme.example"');
    expect(await signedInAs(b)).toBeNull();

    const done = await b.post(url, {
      _csrf: csrfOf(short.html),
      email: 'ada@acme.example',
      name: 'Ada',
      password: PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/console');
    const home = await b.get('/console');
    expect(textOf(home.html)).toContain('Welcome. You are the first admin of this Console.');
    expect(textOf(home.html)).toContain('Invites');
    expect(await signedInAs(b)).toBe('invitekit test Ada Admin Sign out');

    // Once used, the link opens nothing, and no second setup link is offered.
    expect((await browser().get(url)).status).toBe(410);
    expect(await firstAdminSetup(t.deps)).toBeNull();
    // The admin signs in with the password they chose.
    expect((await signIn(browser(), 'ADA@acme.example')).status).toBe(303);
  });
});

describe('signing in', () => {
  it('refuses a wrong password and an unknown email with the same words', async () => {
    await member('bob@acme.example', 'full', { name: 'Bob' });
    const b = browser();
    const wrongPassword = await signIn(b, 'bob@acme.example', 'not the password');
    const unknownEmail = await signIn(b, 'nobody@acme.example');
    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.status).toBe(400);
      expect(alertOf(res.html)).toBe('The email or password is incorrect.');
      expect(res.setCookies.some((c) => c.startsWith('ik_console='))).toBe(false);
    }
    // What was typed stays, but never the password.
    expect(wrongPassword.html).toContain('value="bob@acme.example"');
    expect(wrongPassword.html).not.toContain('not the password');
    expect(await signedInAs(b)).toBeNull();
  });

  it('throttles an email after 10 failures in a quarter hour, the right password included', async () => {
    await member('carol@acme.example', 'full');
    for (let i = 0; i < 10; i++) {
      // From ten addresses: the count is per email, wherever the guesses come from.
      expect((await signIn(browser(), 'carol@acme.example', `guess ${i} of many`)).status).toBe(400);
    }
    const b = browser();
    const refused = await signIn(b, 'Carol@acme.example');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(alertOf(refused.html)).toMatch(
      /Too many failed sign-ins for this email\. Try again in \d+ minutes?\./,
    );
    expect(await signedInAs(b)).toBeNull();
    // Others sign in meanwhile.
    expect((await signIn(browser(), 'bob@acme.example')).status).toBe(303);

    t.clock.advance(15 * 60 * 1000 + 1000);
    expect((await signIn(b, 'carol@acme.example')).status).toBe(303);
    expect(await signedInAs(b)).toContain('Full access');
  });

  it('throttles an address like API logins do', async () => {
    const b = browser();
    let status = 0;
    let tries = 0;
    // AUTH_FAILURES_PER_MINUTE (30): each guess for another email, so no email is throttled.
    while (status !== 429 && tries < 40) {
      status = (await signIn(b, `guess-${tries}@acme.example`, 'some password')).status;
      tries++;
    }
    expect(status).toBe(429);
    expect(tries).toBe(31);
    expect((await signIn(b, 'bob@acme.example')).status).toBe(429);
    t.clock.advance(2 * 60 * 1000);
    expect((await signIn(b, 'bob@acme.example')).status).toBe(303);
  });

  it('goes back to the page it was sent from, and only within the Console', async () => {
    const b = browser();
    const sent = await b.get('/console/keys');
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/console?next=%2Fconsole%2Fkeys');
    const form = await b.get(sent.location ?? '');
    expect(form.html).toContain('name="next" value="/console/keys"');
    const res = await b.post('/console/sign-in', {
      _csrf: csrfOf(form.html),
      email: 'bob@acme.example',
      password: PASSWORD,
      next: '/console/keys',
    });
    expect(res.location).toBe('/console/keys');

    const other = browser();
    const away = await other.submit('/console', '/console/sign-in', {
      email: 'bob@acme.example',
      password: PASSWORD,
      next: '//evil.example/console',
    });
    expect(away.location).toBe('/console');
  });
});

describe('sessions', () => {
  it('sign-out ends the session: its cookie no longer signs anyone in', async () => {
    await member('dan@acme.example', 'operations', { name: 'Dan' });
    const b = browser();
    await signIn(b, 'dan@acme.example');
    expect(await signedInAs(b)).toContain('Dan');
    const stolen = browser();
    stolen.jar.set('ik_console', b.jar.get('ik_console') ?? '');
    expect(await signedInAs(stolen)).toContain('Dan');

    const page = await b.get('/console');
    const out = await b.post('/console/sign-out', { _csrf: csrfOf(page.html) });
    expect(out.status).toBe(303);
    expect(out.setCookies.find((c) => c.startsWith('ik_console='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(textOf((await b.get('/console')).html)).toContain('You are signed out.');
    expect(await signedInAs(stolen)).toBeNull();
  });

  it('sign-out deletes the session’s row', async () => {
    await member('again-dora@acme.example', 'developer', { name: 'Dora' });
    const b = browser();
    await signIn(b, 'again-dora@acme.example');
    const token = b.jar.get('ik_console') ?? '';
    expect(await sessionRows(token)).toBe(1);
    const out = await b.post('/console/sign-out', { _csrf: csrfOf((await b.get('/console')).html) });
    expect(out.status).toBe(303);
    expect(await sessionRows(token)).toBe(0);
  });

  it('signing in again, as another member, ends the session the browser held', async () => {
    await member('again-gil@acme.example', 'admin', { name: 'Gil' });
    await member('again-hal@acme.example', 'developer', { name: 'Hal' });
    const b = browser();
    expect((await signIn(b, 'again-gil@acme.example')).status).toBe(303);
    const gilsToken = b.jar.get('ik_console') ?? '';
    const kept = browser();
    kept.jar.set('ik_console', gilsToken);
    expect(await signedInAs(kept)).toContain('Gil');

    // The form is posted with Gil's cookie, from a page shown while signed in as Gil.
    const again = await signIn(b, 'again-hal@acme.example');
    expect(again.status).toBe(303);
    expect(b.jar.get('ik_console')).not.toBe(gilsToken);
    expect(await signedInAs(b)).toContain('Hal');
    for (const path of ['/console', '/console/invites', '/console/team', '/console/keys']) {
      const res = await kept.get(path);
      expect(res.status, path).toBe(path === '/console' ? 200 : 303);
      if (path === '/console') expect(res.html).toContain('action="/console/sign-in"');
      else expect(res.location, path).toBe(`/console?next=${encodeURIComponent(path)}`);
    }
    expect(await sessionRows(gilsToken)).toBe(0);
  });

  it('signing in again, as the same member or from a sign-in page opened before, leaves one session', async () => {
    await member('again-ida@acme.example', 'operations', { name: 'Ida' });
    await member('again-jo@acme.example', 'operations', { name: 'Jo' });
    const b = browser();
    // A sign-in page opened while signed out, posted after another tab has signed in.
    const earlier = await b.get('/console');
    expect(earlier.html).toContain('action="/console/sign-in"');
    await signIn(b, 'again-ida@acme.example');
    const first = b.jar.get('ik_console') ?? '';
    await signIn(b, 'again-ida@acme.example');
    const second = b.jar.get('ik_console') ?? '';
    expect(second).not.toBe(first);
    expect(await sessionRows(first)).toBe(0);
    expect(await signedInAs(b)).toContain('Ida');

    const late = await b.post('/console/sign-in', {
      _csrf: csrfOf(earlier.html),
      email: 'again-jo@acme.example',
      password: PASSWORD,
    });
    expect(late.status).toBe(303);
    expect(await signedInAs(b)).toContain('Jo');
    expect(await sessionRows(second)).toBe(0);
    const stale = browser();
    stale.jar.set('ik_console', second);
    expect(await signedInAs(stale)).toBeNull();

    // Refused sign-ins change nothing: the browser stays signed in as it was.
    const third = b.jar.get('ik_console') ?? '';
    const wrong = await signIn(b, 'again-ida@acme.example', 'not the password');
    expect(wrong.status).toBe(400);
    const forged = await b.post('/console/sign-in', { email: 'again-ida@acme.example', password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(await sessionRows(third)).toBe(1);
    expect(await signedInAs(b)).toContain('Jo');
  });

  it('ends after 8 idle hours; each request slides it, up to 7 days after sign-in', async () => {
    await member('erin@acme.example', 'developer', { name: 'Erin' });
    const idle = browser();
    await signIn(idle, 'erin@acme.example');
    t.clock.advance(8 * HOUR - 60_000);
    expect(await signedInAs(idle)).toContain('Erin');
    t.clock.advance(8 * HOUR - 60_000);
    expect(await signedInAs(idle)).toContain('Erin');
    t.clock.advance(8 * HOUR);
    expect(await signedInAs(idle)).toBeNull();

    const busy = browser();
    await signIn(busy, 'erin@acme.example');
    let hours = 0;
    while (hours + 7 < 7 * 24) {
      t.clock.advance(7 * HOUR);
      hours += 7;
      expect(await signedInAs(busy), `after ${hours} h`).toContain('Erin');
    }
    t.clock.advance((7 * 24 - hours) * HOUR);
    expect(await signedInAs(busy)).toBeNull();
  });

  it('a disabled member is signed out at once and cannot sign in again', async () => {
    await member('fay@acme.example', 'operations_limited', { name: 'Fay' });
    const [one, two] = [browser(), browser()];
    await signIn(one, 'fay@acme.example');
    await signIn(two, 'fay@acme.example');
    expect(await signedInAs(one)).toContain('Fay');

    const done = await disableMember(t.deps, t.key.client_id, 'FAY@acme.example');
    expect(done?.sessionsEnded).toBe(2);
    expect(await signedInAs(one)).toBeNull();
    expect(await signedInAs(two)).toBeNull();
    const again = await signIn(browser(), 'fay@acme.example');
    expect(again.status).toBe(400);
    expect(alertOf(again.html)).toBe('The email or password is incorrect.');
  });
});

/** The client's captured email to `to`, once it has arrived. */
async function emailTo(to: string): Promise<{ subject: string; text: string }[]> {
  for (let i = 0; i < 100; i++) {
    const res = await t.request('GET', `/outbox/messages?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    if (res.body.results.length > 0) return res.body.results;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

describe('a forgotten password', () => {
  it('is reset through an emailed one-time link, which ends every session of the member', async () => {
    await member('gus@acme.example', 'admin', { name: 'Gus' });
    const elsewhere = browser();
    await signIn(elsewhere, 'gus@acme.example');

    const b = browser();
    const form = await b.get('/console/forgot-password');
    expect(form.html).toContain('>Email</label>');
    const asked = await b.post('/console/forgot-password', {
      _csrf: csrfOf(form.html),
      email: 'GUS@acme.example',
    });
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/console');
    expect(textOf((await b.get('/console')).html)).toContain('If that address belongs to a member');

    const [mail] = await emailTo('gus@acme.example');
    expect(mail?.subject).toBe('Choose a new password for the invitekit Console');
    const link = /http:\/\/invitekit\.test(\/console\/set-password\?token=[A-Za-z0-9_-]+)/.exec(
      mail?.text ?? '',
    )?.[1];
    expect(link).toBeDefined();
    const url = link ?? '';

    const page = await b.get(url);
    expect(textOf(page.html)).toContain('Choose a new password');
    const similar = await b.post(url, { _csrf: csrfOf(page.html), password: 'GUS@acme.example' });
    expect(similar.status).toBe(400);
    expect(similar.html).toContain('The password is too similar to the email address.');
    const set = await b.post(url, { _csrf: csrfOf(similar.html), password: 'a brand new passphrase' });
    expect(set.status).toBe(303);
    expect(textOf((await b.get('/console')).html)).toContain('Your password is set, and you are signed in.');

    expect(await signedInAs(elsewhere)).toBeNull();
    expect((await signIn(browser(), 'gus@acme.example')).status).toBe(400);
    expect((await signIn(browser(), 'gus@acme.example', 'a brand new passphrase')).status).toBe(303);
    // The link worked once.
    const reused = await browser().get(url);
    expect(reused.status).toBe(410);
    expect(textOf(reused.html)).toContain('This link has expired or was already used.');
  });

  it('answers the same for an address that is no member, and sends nothing', async () => {
    const b = browser();
    const known = await b.submit('/console/forgot-password', '/console/forgot-password', {
      email: 'bob@acme.example',
    });
    const unknown = await b.submit('/console/forgot-password', '/console/forgot-password', {
      email: 'stranger@acme.example',
    });
    expect([unknown.status, unknown.location, unknown.setCookies]).toEqual([
      known.status,
      known.location,
      known.setCookies,
    ]);
    expect(await emailTo('bob@acme.example')).toHaveLength(1);
    const none = await t.request('GET', '/outbox/messages?to=stranger%40acme.example');
    expect(none.body.results).toEqual([]);
  });
});

describe('forms without their CSRF token', () => {
  it('are refused with a 403 page, and change nothing', async () => {
    await member('hal@acme.example', 'full', { name: 'Hal' });
    const b = browser();
    await b.get('/console');

    const noToken = await b.post('/console/sign-in', { email: 'hal@acme.example', password: PASSWORD });
    expect(noToken.status).toBe(403);
    expect(textOf(noToken.html)).toContain('This form has expired.');
    expect(await signedInAs(b)).toBeNull();

    // Another browser's token is no token for this one.
    const other = await browser().get('/console');
    const foreign = await b.post('/console/sign-in', {
      _csrf: csrfOf(other.html),
      email: 'hal@acme.example',
      password: PASSWORD,
    });
    expect(foreign.status).toBe(403);
    expect(await signedInAs(b)).toBeNull();

    await signIn(b, 'hal@acme.example');
    expect((await b.post('/console/sign-out', {})).status).toBe(403);
    expect(await signedInAs(b)).toContain('Hal');

    const before = (await t.request('GET', '/outbox/messages?to=hal%40acme.example')).body.results.length;
    expect((await browser().post('/console/forgot-password', { email: 'hal@acme.example' })).status).toBe(
      403,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.request('GET', '/outbox/messages?to=hal%40acme.example')).body.results).toHaveLength(
      before,
    );
  });

  it('a set-password link refused for its missing token still works', async () => {
    const { setPasswordToken } = await createMember(t.deps, t.key.client_id, {
      email: 'ivy@acme.example',
      name: 'Ivy',
      role: 'operations',
    });
    const url = `/console/set-password?token=${setPasswordToken}`;
    const b = browser();
    expect((await b.post(url, { password: PASSWORD })).status).toBe(403);
    const page = await b.get(url);
    expect(textOf(page.html)).toContain('Set your password');
    expect((await b.post(url, { _csrf: csrfOf(page.html), password: PASSWORD })).status).toBe(303);
    expect(await signedInAs(b)).toContain('Ivy');
  });
});

describe('cookies', () => {
  const flags = (header: string | undefined) =>
    (header ?? '')
      .split(';')
      .slice(1)
      .map((s) => s.trim().split('=')[0]?.toLowerCase())
      .sort();

  it('are HttpOnly, SameSite=Lax and only for /console; Secure when served over https', async () => {
    await member('jo@acme.example', 'full');
    await member('jo@acme.example', 'full', { app: https });
    for (const [app, secure] of [
      [t, []],
      [https, ['secure']],
    ] as const) {
      const b = browser(app);
      const form = await b.get('/console');
      const browserId = form.setCookies.find((c) => c.startsWith('ik_console_browser='));
      expect(browserId).toMatch(/; Path=\/console(;|$)/);
      expect(browserId).toMatch(/; SameSite=Lax(;|$)/);
      expect(flags(browserId)).toEqual(['httponly', 'path', 'samesite', ...secure].sort());

      const res = await b.post('/console/sign-in', {
        _csrf: csrfOf(form.html),
        email: 'jo@acme.example',
        password: PASSWORD,
      });
      expect(res.status).toBe(303);
      const session = res.setCookies.find((c) => c.startsWith('ik_console='));
      expect(session).toMatch(/; Path=\/console(;|$)/);
      expect(session).toMatch(/; SameSite=Lax(;|$)/);
      // It lasts no longer than the session can.
      expect(session).toMatch(/; Max-Age=604800(;|$)/);
      expect(flags(session)).toEqual(['httponly', 'max-age', 'path', 'samesite', ...secure].sort());
    }
  });
});

describe('what each role sees', () => {
  beforeAll(async () => {
    const cc = (email: string) => ({ override_invite_template: { email: { reply_to: [email] } } });
    for (const body of [
      inviteBody({ first_name: 'Olga', email: 'olga@example.com' }),
      inviteBody({ first_name: 'Pete', email: 'pete@example.com', ...cc('lena@acme.example') }),
    ]) {
      expect((await t.request('POST', '/v2/invites', { body })).status).toBe(200);
    }
    await member('lena@acme.example', 'operations_limited', { name: 'Lena' });
    await member('max@acme.example', 'developer', { name: 'Max' });
    await member('nia@acme.example', 'admin', { name: 'Nia' });
  });

  const navOf = (html: string) =>
    [...(/<div class="nav-wide">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map(
      (m) => m[1],
    );

  it('an admin: every invite with its recipient, and every page', async () => {
    const b = browser();
    await signIn(b, 'nia@acme.example');
    const page = await b.get('/console');
    expect(textOf(page.html)).toContain('Olga Longfield olga@example.com');
    expect(textOf(page.html)).toContain('Pete Longfield pete@example.com');
    expect(navOf(page.html)).toEqual([
      '/console',
      '/console/send',
      '/console/bulk',
      '/console/templates',
      '/console/settings',
      '/console/dashboard',
      '/console/team',
      '/console/keys',
      '/console/webhooks',
      '/console/outbox',
    ]);
    expect((await b.get('/console/team')).status).toBe(200);
    const missing = await b.get('/console/no-such-page');
    expect(missing.status).toBe(404);
    expect(textOf(missing.html)).toContain('Page not found');
    expect(missing.html).toContain('<nav class="nav" aria-label="Console">');
  });

  it('operations (limited): only the invites they were copied on; no keys, templates or team', async () => {
    const b = browser();
    await signIn(b, 'lena@acme.example');
    const page = await b.get('/console');
    expect(textOf(page.html)).toContain('Pete Longfield');
    expect(textOf(page.html)).not.toContain('Olga');
    expect(navOf(page.html)).toEqual(['/console', '/console/send', '/console/bulk', '/console/outbox']);
    for (const path of ['/console/team', '/console/keys', '/console/templates', '/console/webhooks']) {
      const res = await b.get(path);
      expect(res.status, path).toBe(403);
      expect(textOf(res.html)).toContain('Your role does not give access to this page.');
    }
  });

  it('a developer: the invites without personal data, and no sending', async () => {
    const b = browser();
    await signIn(b, 'max@acme.example');
    const page = await b.get('/console');
    const text = textOf(page.html);
    expect(text).not.toContain('Olga');
    expect(text).not.toContain('example.com');
    expect(text.match(/Hidden for your role/g)).toHaveLength(2);
    expect(navOf(page.html)).toEqual([
      '/console',
      '/console/templates',
      '/console/settings',
      '/console/dashboard',
      '/console/keys',
      '/console/webhooks',
    ]);
    expect((await b.get('/console/send')).status).toBe(403);
  });

  it('shows hostile text in a member name as text', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    await member('oz@acme.example', 'full', { name: hostile });
    const b = browser();
    await signIn(b, 'oz@acme.example');
    const page = await b.get('/console');
    expect(page.html).not.toContain('<script>alert');
    expect(page.html).not.toContain('<img src=x');
    expect(await signedInAs(b)).toContain(hostile);
  });
});

describe('the pages', () => {
  it('carry a strict policy: nothing inline, scripts and styles only from hashed assets cached for good', async () => {
    const b = browser();
    await signIn(b, 'bob@acme.example');
    const pages = [
      await browser().get('/console'),
      await browser().get('/console/forgot-password'),
      await b.get('/console'),
    ];
    for (const page of pages) {
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.html).not.toMatch(/<style|style=|<script>|<script(?![^>]*\ssrc=)|\son[a-z]+=/i);
    }
    const signedIn = pages[2]?.html ?? '';
    const assets = [...signedIn.matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(assets).toHaveLength(2);
    for (const url of assets) {
      expect(url).toMatch(/\.[0-9a-f]{16}\.(css|js)$/);
      const asset = await b.get(url);
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await b.get('/console/assets/htmx.0000000000000000.js')).status).toBe(404);
  });
});
