import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let port: number;
let inviteUrl: string;
beforeAll(async () => {
  t = await startTestApp({ REQUEST_TIMEOUT_SECONDS: '1' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
  inviteUrl = new URL((await t.request('POST', '/v2/invites', { body: inviteBody() })).body.url).pathname;
  await t.drain();
});
afterAll(() => t?.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('gives every answer an X-Request-Id, a new one per request', async () => {
    const answers = [
      await t.request('GET', '/v2/invites'),
      await t.request('GET', '/v2/invites', { auth: null }),
      await t.request('GET', '/v2/nothing'),
      await t.request('GET', '/v2/invites/%E0%A4%A'),
      await t.request('GET', '/healthz', { auth: null }),
      await t.request('GET', inviteUrl, { auth: null }),
    ];
    const ids = answers.map((r) => String(r.headers['x-request-id']));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a caller’s plain X-Request-Id and replaces anything else', async () => {
    const id = (value: string) =>
      t
        .request('GET', '/v2/invites', { headers: { 'x-request-id': value } })
        .then((r) => r.headers['x-request-id']);
    expect(await id('req_01J:abc-DEF.9')).toBe('req_01J:abc-DEF.9');
    for (const bad of ['two words', 'sarah@email.com', 'x'.repeat(129), '<script>', '']) {
      expect(await id(bad), bad).toMatch(UUID);
    }
  });
});

describe('API answers', () => {
  it('carry nosniff and no-store, errors included', async () => {
    const answers = [
      await t.request('GET', '/v2/invites'),
      await t.request('POST', '/v2/invites', { body: {} }),
      await t.request('GET', '/v2/invites', { auth: null }),
      await t.request('DELETE', '/v2/invites'),
      await t.request('GET', '/outbox/messages'),
    ];
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuse a body over 1 MiB with 413 in the error format, writing nothing', async () => {
    const before = await countRows(t.deps);
    const body = inviteBody({ external_id: 'x'.repeat(1024 * 1024) });
    const res = await t.request('POST', '/v2/invites', { body });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ detail: 'Request body is too large.' });
    expect(await countRows(t.deps)).toEqual(before);
  });
});

describe('pages', () => {
  const directives = (csp: unknown) =>
    new Map(
      String(csp)
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );

  async function expectLockedDown(url: string): Promise<string> {
    const res = await t.request('GET', url);
    expect(res.status, url).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    // No script at all: none is allowed by a source, and default-src covers script-src.
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.has('script-src')).toBe(false);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.raw).not.toMatch(/<script|\son[a-z]+=/i);
    return res.raw;
  }

  it('forbid script, framing and referrers on the recipient’s pages', async () => {
    await expectLockedDown(inviteUrl);
    const token = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body.user_token;
    await expectLockedDown(`/link?user_token=${token}`);
  });

  it('show the outbox’s emails in sandboxed frames that may not run script', async () => {
    const html = await expectLockedDown('/outbox');
    const frames = html.match(/<iframe [^>]*>/g) ?? [];
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) {
      expect(frame).toMatch(/\ssandbox="[^"]*"/);
      expect(frame).not.toMatch(/allow-scripts|allow-same-origin/);
    }
  });
});

describe('slow clients', () => {
  /** Sends `text` and stops; resolves with what the server answered before closing the connection. */
  const stall = (text: string) =>
    new Promise<string>((resolve, reject) => {
      let got = '';
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      socket.on('data', (d) => (got += d));
      socket.on('error', reject);
      socket.on('close', () => resolve(got));
    });

  const TIMED_OUT = /^HTTP\/1\.1 408 [\s\S]*\r\n\r\n\{"detail":"The request did not arrive in time\."\}$/;

  it('are cut off with 408 when the headers do not arrive in time', async () => {
    const answer = await stall('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(answer).toMatch(TIMED_OUT);
  });

  it('are cut off with 408 when the body does not arrive in time, and nothing is written', async () => {
    const before = await countRows(t.deps);
    const answer = await stall(
      `POST /v2/invites HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic(t.key)}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"first_name": "Sl',
    );
    expect(answer).toMatch(TIMED_OUT);
    expect(await countRows(t.deps)).toEqual(before);
  });
});
