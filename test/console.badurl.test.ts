import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, textOf } from './helpers/console.ts';

let t: TestApp;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** URLs under /console that the router cannot read: bad percent-encoding, a segment too long. */
const UNREADABLE = [
  '/console/invites/%E0%A4%A',
  '/console/invites/%',
  '/console/webhooks/%zz/delete',
  '/console/%C0%AF',
  `/console/invites/${'a'.repeat(300)}`,
];

const headingOf = (html: string) => textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
/** The page's text without the navigation, whose current entry follows the path. */
const mainOf = (html: string) => textOf(/<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '');

async function signedIn(): Promise<ConsoleBrowser> {
  const email = `badurl-${randomUUID()}@acme.example`;
  await createMember(t.deps, t.key.client_id, { email, name: 'Nell', role: 'admin', password: PASSWORD });
  const b = consoleBrowser(t, { ip: '198.51.100.40' });
  expect((await b.submit('/console', '/console/sign-in', { email, password: PASSWORD })).status).toBe(303);
  return b;
}

describe('a URL under /console the router cannot read', () => {
  it('gets the Console’s not-found page, as an unknown invite id does', async () => {
    const b = await signedIn();
    const unknown = await b.get(`/console/invites/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(headingOf(unknown.html)).toBe('Page not found');

    for (const url of UNREADABLE) {
      const res = await b.get(url);
      expect(res.status, url).toBe(404);
      expect(String(res.headers['content-type']), url).toMatch(/^text\/html/);
      expect(res.html.startsWith('<!doctype html>'), url).toBe(true);
      expect(headingOf(res.html), url).toBe('Page not found');
      expect(mainOf(res.html), url).toBe(mainOf(unknown.html));
      // Still the signed-in frame, under the Console's policy.
      expect(res.html, url).toContain('action="/console/sign-out"');
      expect(res.headers['content-security-policy'], url).toBe(unknown.headers['content-security-policy']);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-request-id'], url).toBeTruthy();
    }
    // Forms post there too.
    const posted = await b.post('/console/invites/%E0%A4%A/revoke', { _csrf: 'x' });
    expect(posted.status).toBe(404);
    expect(headingOf(posted.html)).toBe('Page not found');
  });

  it('answers a signed-out browser with the same page in the signed-out frame', async () => {
    const b = consoleBrowser(t, { ip: '198.51.100.41' });
    const res = await b.get('/console/invites/%E0%A4%A');
    expect(res.status).toBe(404);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(headingOf(res.html)).toBe('Page not found');
    expect(textOf(res.html)).toContain('Go to sign in');
    expect(res.html).not.toContain('action="/console/sign-out"');
  });

  it('leaves the API’s answer to such URLs as it was: JSON', async () => {
    for (const url of ['/v2/invites/%E0%A4%A', '/consolex/%E0%A4%A']) {
      const res = await t.request('GET', url);
      expect(res.status, url).toBe(404);
      expect(String(res.headers['content-type']), url).toMatch(/^application\/json/);
      expect(res.body, url).toEqual({ detail: 'Not found.' });
    }
  });
});
