import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** Sends an invite to addresses the sandbox refuses for good, so that both get suppressed. */
async function suppressedInvite(email: string, phone: string, auth = t.key) {
  const res = await t.request('POST', '/v2/invites', {
    auth,
    body: inviteBody({ email, phone_number: phone }),
  });
  expect(res.status).toBe(200);
  await t.drain();
  t.clock.advance(1000);
  return res.body;
}

const latestDelivery = async (inviteId: string, method: string) => {
  const res = await t.request('GET', `/v2/invites/${inviteId}`);
  // Newest first.
  return res.body.deliveries.find((d: any) => d.method === method);
};

describe('GET /v2/suppressions and DELETE /v2/suppressions/{address}', () => {
  it('lists the addresses a bounce or a STOP suppressed, newest first, a page at a time', async () => {
    await suppressedInvite('first@bounce.test', '+15005550004');
    const long = `${'a-very-long-mailbox-name-that-runs-on'.repeat(2)}@bounce.test`;
    await suppressedInvite(long, '+15005550004');
    const all = await t.request('GET', '/v2/suppressions?limit=200');
    expect(all.status).toBe(200);
    expect(all.body.results.map((s: any) => [s.channel, s.address])).toEqual([
      ['email', long],
      ['email', 'first@bounce.test'],
      ['sms', '+15005550004'],
    ]);
    expect(all.body.results[1].reason).toMatch(/^hard bounce: 550/);
    expect(all.body.results[2].reason).toMatch(/STOP/);

    // One at a time, every address once, whatever its length.
    const seen: string[] = [];
    let url: string | null = '/v2/suppressions?limit=1';
    while (url) {
      const page: any = await t.request('GET', url.replace('http://invitekit.test', ''));
      expect(page.status, page.raw).toBe(200);
      seen.push(...page.body.results.map((s: any) => s.address));
      url = page.body.next;
    }
    expect(seen).toEqual(all.body.results.map((s: any) => s.address));
  });

  it("shows and releases only the client's own suppressions", async () => {
    const other = await t.newKey();
    expect((await t.request('GET', '/v2/suppressions', { auth: other })).body.results).toEqual([]);
    const res = await t.request('DELETE', '/v2/suppressions/first%40bounce.test', { auth: other });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not found.' });
    const mine = await t.request('GET', '/v2/suppressions?limit=200');
    expect(mine.body.results.map((s: any) => s.address)).toContain('first@bounce.test');
  });

  it('releases an address: the next send tries it again; a second release is 404', async () => {
    const invite = await suppressedInvite('again@bounce.test', '212-555-0100');
    t.clock.advance(60_000);
    await t.request('POST', `/v2/invites/${invite.id}`);
    await t.drain();
    expect((await latestDelivery(invite.id, 'email')).status_detail).toMatch(/^recipient suppressed/);

    const released = await t.request('DELETE', '/v2/suppressions/Again%40Bounce.test');
    expect(released.status).toBe(204);
    expect(released.raw).toBe('');
    const list = await t.request('GET', '/v2/suppressions?limit=200');
    expect(list.body.results.map((s: any) => s.address)).not.toContain('again@bounce.test');

    t.clock.advance(60_000);
    await t.request('POST', `/v2/invites/${invite.id}`);
    await t.drain();
    // Tried again: the sandbox bounces it (and suppresses it) anew, rather than skipping it.
    expect((await latestDelivery(invite.id, 'email')).status_detail).toMatch(/^550/);

    expect((await t.request('DELETE', '/v2/suppressions/never%40example.com')).status).toBe(404);
    expect((await t.request('DELETE', '/v2/suppressions/%2B15005550004')).status).toBe(204);
    expect((await t.request('DELETE', '/v2/suppressions/%2B15005550004')).status).toBe(404);
  });
});

describe('invitekit suppressions list / release', () => {
  it('lists every suppression and releases one, saying when there was none', async () => {
    await suppressedInvite('cli@bounce.test', '212-555-0101');
    const { cli, ok } = cliFor(t.deps.config.DATABASE_URL);
    const list = await ok(['suppressions', 'list', '--client', t.key.client_id]);
    expect(list).toMatch(/^cli@bounce\.test {2}email {2}client=\S+ {2}\S+ {2}hard bounce: 550/m);
    const json = JSON.parse(await ok(['suppressions', 'list', '--json']));
    expect(json.map((s: any) => s.address)).toContain('cli@bounce.test');

    expect(await ok(['suppressions', 'release', 'CLI@bounce.test'])).toBe(
      'Released CLI@bounce.test: messages go to it again.\n',
    );
    const again = await cli(['suppressions', 'release', 'cli@bounce.test']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('cli@bounce.test is not suppressed.\n');
    const api = await t.request('GET', '/v2/suppressions?limit=200');
    expect(api.body.results.map((s: any) => s.address)).not.toContain('cli@bounce.test');
  }, 60_000);
});
