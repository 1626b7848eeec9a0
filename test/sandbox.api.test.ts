import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { Browser, recipient } from './helpers/link.ts';

// Written as an integrator's CI job would be: HTTP only, no HTML, the worker running as under
// `npm start`.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  t.worker.start();
});
afterAll(() => t?.close());

const HOUR = 3600;
const DAY = 24 * HOUR;

async function call(auth: Credentials, method: string, url: string, body?: unknown) {
  return t.request(method, url, { auth, ...(body === undefined ? {} : { body }) });
}

/** Waits for the running worker to capture the invite's first messages. */
async function captured(auth: Credentials, inviteId: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const res = await call(auth, 'GET', `/outbox/messages?invite=${inviteId}`);
    if (res.body.results.length >= count) return res.body.results;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('messages not captured');
}

async function waitForNotice(auth: Credentials, to: string) {
  for (let i = 0; i < 200; i++) {
    const res = await call(auth, 'GET', `/outbox/messages?to=${encodeURIComponent(to)}`);
    if (res.body.results.length > 0) return res.body.results[0];
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no notice captured');
}

describe('the sandbox helpers', () => {
  it('walk an invite from sent to completed as a recipient and a provider would', async () => {
    const auth = await t.newKey();
    const sent = (await call(auth, 'POST', '/v2/invites', inviteBody())).body;
    await captured(auth, sent.id, 1);
    const email = sent.deliveries.find((d: any) => d.method === 'email');

    const delivered = await call(auth, 'POST', `/v2/sandbox/deliveries/${email.id}/simulate`, {
      status: 'delivered',
    });
    expect(delivered.status).toBe(200);
    expect(delivered.body.deliveries.find((d: any) => d.id === email.id).status).toBe('delivered');

    const opened = await call(auth, 'POST', `/v2/sandbox/invites/${sent.id}/simulate`, { action: 'open' });
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('sent');

    const initiated = await call(auth, 'POST', `/v2/sandbox/invites/${sent.id}/simulate`, {
      action: 'initiate',
    });
    expect(initiated.body.status).toBe('initiated');
    const completed = await call(auth, 'POST', `/v2/sandbox/invites/${sent.id}/simulate`, {
      action: 'complete',
    });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');

    const events = (await call(auth, 'GET', `/v2/invites/${sent.id}/events?limit=200`)).body.results
      .map((e: any) => e.type)
      .reverse();
    expect(events).toEqual(
      expect.arrayContaining([
        'invite.sent',
        'delivery.delivered',
        'invite.initiated',
        'invite.attempted',
        'account.connected',
        'invite.completed',
      ]),
    );
    const accounts = (await call(auth, 'GET', `/v2/accounts?user=${sent.user}`)).body.results;
    expect(accounts.map((a: any) => a.status)).toEqual(['connected']);
  });

  it('complete by document, fail a login, and refuse what the pages refuse', async () => {
    const auth = await t.newKey();
    const a = (
      await call(
        auth,
        'POST',
        '/v2/invites',
        inviteBody({ override_invite_template: { email: { reply_to: ['team@example.com'] } } }),
      )
    ).body;
    const attempted = await call(auth, 'POST', `/v2/sandbox/invites/${a.id}/simulate`, { action: 'attempt' });
    expect(attempted.body.status).toBe('attempted');
    const done = await call(auth, 'POST', `/v2/sandbox/invites/${a.id}/simulate`, {
      action: 'complete',
      via: 'document',
    });
    expect(done.body.status).toBe('completed');
    // The team's notice says what the person did, and when, in words.
    const notice = await waitForNotice(auth, 'team@example.com');
    expect(notice.subject).toBe('Sarah Longfield completed your invite');
    expect(notice.text).toContain(
      'Sarah Longfield uploaded a document (paystub.pdf) on Thursday, January 15, 2026 at',
    );

    const b = (await call(auth, 'POST', '/v2/invites', inviteBody())).body;
    await call(auth, 'POST', `/v2/invites/${b.id}/revoke`);
    const refused = await call(auth, 'POST', `/v2/sandbox/invites/${b.id}/simulate`, { action: 'initiate' });
    expect(refused.status).toBe(410);
    expect(refused.body.detail).toContain('This invite has expired');
    expect((await call(auth, 'GET', `/v2/invites/${b.id}`)).body.status).toBe('revoked');

    // Another client's invite and delivery do not exist for this one.
    const other = await t.newKey();
    expect(
      (await call(other, 'POST', `/v2/sandbox/invites/${a.id}/simulate`, { action: 'open' })).status,
    ).toBe(404);
    const delivery = a.deliveries[0].id;
    const foreign = await call(other, 'POST', `/v2/sandbox/deliveries/${delivery}/simulate`, {
      status: 'opened',
    });
    expect(foreign.status).toBe(404);
    const bad = await call(auth, 'POST', `/v2/sandbox/invites/${a.id}/simulate`, { action: 'dance' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['action']);
  });

  it('suppress an address on a STOP or hard-bounce code, as the provider would', async () => {
    const auth = await t.newKey();
    const sent = (await call(auth, 'POST', '/v2/invites', inviteBody())).body;
    const sms = sent.deliveries.find((d: any) => d.method === 'sms');
    const res = await call(auth, 'POST', `/v2/sandbox/deliveries/${sms.id}/simulate`, {
      status: 'undelivered',
      error_code: '21610',
    });
    expect(res.status).toBe(200);
    const after = res.body.deliveries.find((d: any) => d.id === sms.id);
    expect(after.status).toBe('undelivered');
    expect(after.status_detail).toContain('21610');
    // The next text to that number is not sent.
    const again = (await call(auth, 'POST', `/v2/invites/${sent.id}`)).body;
    const resent = again.deliveries.find((d: any) => d.method === 'sms' && d.kind === 'resend');
    for (let i = 0; i < 200; i++) {
      const now = (await call(auth, 'GET', `/v2/invites/${sent.id}`)).body;
      const d = now.deliveries.find((x: any) => x.id === resent.id);
      if (d.status === 'undelivered') {
        expect(d.status_detail).toContain('suppressed');
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the re-send to a suppressed number was not refused');
  });

  it('move one client’s clock: reminders and expiry run before the answer, timestamps follow', async () => {
    const auth = await t.newKey();
    const other = await t.newKey();
    const settings = await call(auth, 'PATCH', '/v2/invite-settings', {
      reminders: {
        enabled: true,
        after_days: 1,
        max_count: 1,
        send_window: { start: '09:00', end: '18:00', timezone: 'America/Bogota' },
      },
      expiry: { enabled: true, after_days: 3 },
    });
    expect(settings.status).toBe(200);
    const start = (await call(auth, 'GET', '/v2/sandbox/clock')).body.now;
    // Another client's retry-safe send, made before the move.
    const keyed = { ...inviteBody({ phone_number: null }), external_id: 'keyed' };
    const headers = { 'idempotency-key': 'other-client-send-1' };
    const theirsFirst = await t.request('POST', '/v2/invites', { auth: other, body: keyed, headers });
    expect(theirsFirst.status).toBe(200);
    const sent = (await call(auth, 'POST', '/v2/invites', inviteBody({ phone_number: null }))).body;
    expect(sent.created_at).toBe(start);
    await captured(auth, sent.id, 1);

    // 26 hours on it is 09:00 in Bogotá: the reminder is due and goes before the answer.
    const moved = await call(auth, 'POST', '/v2/sandbox/clock', { advance_seconds: DAY + 2 * HOUR });
    expect(moved.status).toBe(200);
    expect(moved.body.now).toBe(new Date(Date.parse(start) + (DAY + 2 * HOUR) * 1000).toISOString());
    const reminded = (await call(auth, 'GET', `/v2/invites/${sent.id}`)).body;
    expect(reminded.deliveries.map((d: any) => d.kind)).toEqual(['reminder', 'invite']);
    expect(reminded.deliveries[0].sent_at).toBe(moved.body.now);

    await call(auth, 'POST', '/v2/sandbox/clock', { advance_seconds: 3 * DAY });
    const expired = (await call(auth, 'GET', `/v2/invites/${sent.id}`)).body;
    expect(expired.expired_at).not.toBeNull();
    const later = (await call(auth, 'POST', '/v2/invites', inviteBody({ phone_number: null }))).body;
    expect(Date.parse(later.created_at)).toBeGreaterThanOrEqual(
      Date.parse(start) + (4 * DAY + 2 * HOUR) * 1000,
    );

    // Nobody else's time moved.
    expect((await call(other, 'GET', '/v2/sandbox/clock')).body.now).toBe(start);
    const theirs = (await call(other, 'POST', '/v2/invites', inviteBody())).body;
    expect(theirs.created_at).toBe(start);

    // The moved client's own keyed request (which prunes old keys) leaves other clients' keys be.
    const mine = { 'idempotency-key': 'moved-client-send-1' };
    expect((await t.request('POST', '/v2/invites', { auth, body: inviteBody(), headers: mine })).status).toBe(
      200,
    );
    const replay = await t.request('POST', '/v2/invites', { auth: other, body: keyed, headers });
    expect(replay.body.id).toBe(theirsFirst.body.id);

    // A Shareable URL visitor after the move gets an invite on the client's clock, not expired.
    const share = await call(auth, 'POST', '/v2/flows', { type: 'shareable_url', name: 'Moved' });
    expect(share.status).toBe(200);
    const visitor = new Browser(t.app);
    const landing = await visitor.get(`/s/${share.body.id}`);
    await visitor.submit(landing);
    const byFlow = (await call(auth, 'GET', '/v2/invites?limit=200')).body.results.filter(
      (i: any) => i.flow_id === share.body.id,
    );
    expect(byFlow).toHaveLength(1);
    expect(byFlow[0].created_at).toBe(later.created_at);
    await call(auth, 'POST', '/v2/sandbox/clock', { advance_seconds: 60 });
    expect((await call(auth, 'GET', `/v2/invites/${byFlow[0].id}`)).body.expired_at).toBeNull();

    // What the recipient does on the pages is recorded on the client's clock too.
    await recipient(t).entered(later);
    const entered = (await call(auth, 'GET', `/v2/invites/${later.id}`)).body;
    expect(entered.status).toBe('initiated');
    expect(entered.updated_at).toBe((await call(auth, 'GET', '/v2/sandbox/clock')).body.now);

    for (const seconds of [0, -5]) {
      const refused = await call(auth, 'POST', '/v2/sandbox/clock', { advance_seconds: seconds });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body)).toEqual(['advance_seconds']);
    }

    // A user token lives one hour of the server's time, however far the client's clock moved.
    const token = later.user_token;
    expect((await t.app.inject({ method: 'GET', url: `/link?user_token=${token}` })).statusCode).toBe(200);
    t.clock.advance(2 * HOUR * 1000);
    expect((await t.app.inject({ method: 'GET', url: `/link?user_token=${token}` })).statusCode).toBe(401);
  });

  it('reset deletes the client’s invites and what they made, and keeps its setup', async () => {
    const auth = await t.newKey();
    const flow = await call(auth, 'POST', '/v2/flows', { type: 'email_sms_template', name: 'Kept' });
    expect(flow.status).toBe(200);
    const hook = await call(auth, 'POST', '/v2/webhooks', {
      name: 'kept',
      url: 'https://93.184.215.14/hook',
      // An event nothing here causes: no delivery to a host that is not there.
      events: ['invites.revoked'],
    });
    expect(hook.status).toBe(200);
    const other = await t.newKey();
    const theirs = (await call(other, 'POST', '/v2/invites', inviteBody())).body;
    const sent = (await call(auth, 'POST', '/v2/invites', inviteBody())).body;
    await captured(auth, sent.id, 1);

    const reset = await call(auth, 'POST', '/v2/sandbox/reset');
    expect(reset.status).toBe(200);
    expect(reset.body.deleted.invites).toBe(1);
    expect((await call(auth, 'GET', '/v2/invites')).body.results).toEqual([]);
    expect((await call(auth, 'GET', '/v2/users')).body.results).toEqual([]);
    expect((await call(auth, 'GET', '/outbox/messages')).body.results).toEqual([]);
    expect((await call(auth, 'GET', `/v2/invites/${sent.id}`)).status).toBe(404);
    expect((await call(auth, 'GET', `/v2/flows/${flow.body.id}`)).status).toBe(200);
    expect((await call(auth, 'GET', `/v2/webhooks/${hook.body.id}`)).status).toBe(200);
    // Another client's invite is untouched.
    expect((await call(other, 'GET', `/v2/invites/${theirs.id}`)).status).toBe(200);
  });
});

describe('outside sandbox mode', () => {
  it('every helper answers 404', async () => {
    const live = await startTestApp({ SANDBOX: 'false' });
    try {
      const sent = (await live.request('POST', '/v2/invites', { body: inviteBody() })).body;
      const calls: [string, string, unknown?][] = [
        ['POST', `/v2/sandbox/invites/${sent.id}/simulate`, { action: 'open' }],
        ['POST', `/v2/sandbox/deliveries/${sent.deliveries[0].id}/simulate`, { status: 'delivered' }],
        ['GET', '/v2/sandbox/clock'],
        ['POST', '/v2/sandbox/clock', { advance_seconds: 60 }],
        ['POST', '/v2/sandbox/reset'],
      ];
      for (const [method, url, body] of calls) {
        const res = await live.request(method, url, body === undefined ? {} : { body });
        expect(res.status, `${method} ${url}`).toBe(404);
        expect(res.body).toEqual({ detail: 'Not found.' });
      }
      expect((await live.request('GET', `/v2/invites/${sent.id}`)).body.status).toBe('sent');
    } finally {
      await live.close();
    }
  });
});
