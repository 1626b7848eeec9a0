import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvite, markReminded } from '../src/invites/invites.repo.ts';
import { JOB_KINDS } from '../src/job-kinds.ts';
import { newId } from '../src/lib/ids.ts';
import { Worker } from '../src/queue/runner.ts';
import { type Credentials, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { recipient } from './helpers/link.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

let t: TestApp;
let receiver: Receiver;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true' });
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/**
 * Each test starts on a day of its own at 12:00 UTC: 07:00 in Bogotá (UTC-5 all year), before
 * the window opens at 09:00 (14:00 UTC). A reminder the worker reaches after the window has
 * closed waits for the next opening, so the clock moves to times inside it.
 */
let day = 0;
function startNewDay(): number {
  day += 40;
  const at = Date.parse('2026-01-15T12:00:00.000Z') + day * DAY;
  t.clock.set(new Date(at));
  return at;
}

async function clientWithReminders(reminders: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const auth = await t.newKey();
  const res = await t.request('PATCH', '/v2/invite-settings', {
    auth,
    body: {
      reminders: {
        enabled: true,
        send_window: { start: '09:00', end: '18:00', timezone: 'America/Bogota' },
        ...reminders,
      },
      ...more,
    },
  });
  expect(res.status).toBe(200);
  return auth;
}

async function send(auth: Credentials, over: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/v2/invites', { auth, body: inviteBody(over) });
  expect(res.status).toBe(200);
  return res.body;
}

const inviteOf = async (auth: Credentials, id: string) =>
  (await t.request('GET', `/v2/invites/${id}`, { auth })).body;

/** The invite's deliveries of one kind, oldest first. */
async function deliveriesOf(auth: Credentials, id: string, kind: string) {
  const invite = await inviteOf(auth, id);
  return invite.deliveries.filter((d: any) => d.kind === kind).reverse();
}

const eventsOf = async (auth: Credentials, id: string) =>
  (await t.request('GET', `/v2/invites/${id}/events?limit=200`, { auth })).body.results
    .map((e: any) => e.type)
    .reverse();

async function advance(ms: number) {
  t.clock.advance(ms);
  await t.drain();
}

describe('reminders', () => {
  it('are off by default', async () => {
    startNewDay();
    const auth = await t.newKey();
    const sent = await send(auth);
    expect(sent.deliveries.map((d: any) => d.kind)).toEqual(['invite', 'invite']);
    await advance(30 * DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toEqual([]);
  });

  it('follow up over the same channels after the days, inside the window, up to the count', async () => {
    const t0 = startNewDay();
    const auth = await clientWithReminders({ after_days: 2, max_count: 2 });
    const hook = await t.request('POST', '/v2/webhooks', {
      auth,
      body: { name: 'reminders', url: receiver.url(`/reminded-${t0}`), events: ['invites.reminded'] },
    });
    expect(hook.status).toBe(200);
    const sent = await send(auth);
    await t.drain();

    // Two days on it is 07:00 in Bogotá: the reminder waits for 09:00.
    await advance(2 * DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toEqual([]);
    await advance(2 * HOUR);
    const first = await deliveriesOf(auth, sent.id, 'reminder');
    expect(first.map((d: any) => d.method).sort()).toEqual(['email', 'sms']);
    for (const d of first) expect(d.sent_at).toBe(new Date(t0 + 2 * DAY + 2 * HOUR).toISOString());

    // The captured messages went to the invite's own contacts.
    const outbox = (await t.request('GET', '/outbox/messages?limit=200', { auth })).body.results;
    const reminded = outbox.filter((m: any) => first.some((d: any) => d.id === m.delivery_id));
    expect(reminded.map((m: any) => m.to).sort()).toEqual(['+12125555555', 'sarah@email.com']);
    // They say they are reminders.
    const reminderEmail = reminded.find((m: any) => m.channel === 'email');
    expect(reminderEmail.subject).toBe('Reminder: Connect your payroll account');
    const original = outbox.find((m: any) => m.channel === 'email' && !reminded.includes(m));
    expect(original.subject).toBe('Connect your payroll account');
    expect(reminded.find((m: any) => m.channel === 'sms').text).toMatch(/remind/i);

    // The next one comes the same number of days after the last.
    await advance(2 * DAY - HOUR);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(2);
    await advance(HOUR);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(4);

    // No third: max_count is 2.
    await advance(20 * DAY);
    const invite = await inviteOf(auth, sent.id);
    expect(invite.deliveries.filter((d: any) => d.kind === 'reminder')).toHaveLength(4);
    expect(invite.deliveries.filter((d: any) => d.kind === 'invite')).toHaveLength(2);
    expect(invite.status).toBe('sent');
    const events = await eventsOf(auth, sent.id);
    expect(events.filter((e: string) => e === 'invite.reminded')).toHaveLength(2);

    const hits = receiver.hits(`/reminded-${t0}`);
    expect(hits.map((h) => h.body.event)).toEqual(['invites.reminded', 'invites.reminded']);
    expect(hits.map((h) => h.body.data.reminder)).toEqual([1, 2]);
    expect(hits[0]?.body.data.invite).toBe(sent.id);
  });

  it('wait for the next day’s window when they fall due after it closes', async () => {
    const t0 = startNewDay();
    const auth = await clientWithReminders({ after_days: 1, max_count: 1 });
    // Sent at 19:00 in Bogotá: a day later the window has closed.
    t.clock.set(new Date(t0 + 12 * HOUR));
    const sent = await send(auth);
    await advance(DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toEqual([]);
    // 09:00 the next morning in Bogotá is 14:00 UTC.
    await advance(13 * HOUR);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toEqual([]);
    await advance(HOUR);
    const reminders = await deliveriesOf(auth, sent.id, 'reminder');
    expect(reminders).toHaveLength(2);
    expect(reminders[0].sent_at).toBe(new Date(t0 + 2 * DAY + 2 * HOUR).toISOString());
  });

  it('start counting again after a re-send, whose deliveries say so', async () => {
    const t0 = startNewDay();
    const auth = await clientWithReminders({ after_days: 1, max_count: 2 });
    const sent = await send(auth, { phone_number: null });
    // Reminder 1 at 09:00 Bogotá the next day.
    t.clock.set(new Date(t0 + DAY + 2 * HOUR));
    await t.drain();
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(1);

    const resent = await t.request('POST', `/v2/invites/${sent.id}`, { auth });
    expect(resent.status).toBe(200);
    expect(resent.body.deliveries[0].kind).toBe('resend');

    // A day on, only the new send's first reminder goes, not the old send's second as well.
    await advance(DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(2);
    await advance(DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(3);
    await advance(10 * DAY);
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toHaveLength(3);
    const kinds = (await inviteOf(auth, sent.id)).deliveries.map((d: any) => d.kind).reverse();
    expect(kinds).toEqual(['invite', 'reminder', 'resend', 'reminder', 'reminder']);
  });

  it('stop when the invite is revoked, opened, entered, expired or turned off', async () => {
    startNewDay();
    const auth = await clientWithReminders({ after_days: 2, max_count: 3 }, { expiry: { enabled: false } });
    const revoked = await send(auth);
    const opened = await send(auth);
    const entered = await send(auth);
    const control = await send(auth);
    await t.drain();
    expect((await t.request('POST', `/v2/invites/${revoked.id}/revoke`, { auth })).status).toBe(200);
    const email = opened.deliveries.find((d: any) => d.method === 'email');
    const page = await t.app.inject({ method: 'GET', url: `/connect/${opened.id}?d=${email.id}` });
    expect(page.statusCode).toBe(200);
    await recipient(t).entered(entered);
    expect((await inviteOf(auth, entered.id)).status).toBe('initiated');

    await advance(3 * DAY + 2 * HOUR);
    for (const quiet of [revoked, opened, entered]) {
      expect(await deliveriesOf(auth, quiet.id, 'reminder')).toEqual([]);
    }
    expect(await deliveriesOf(auth, control.id, 'reminder')).toHaveLength(2);

    // Turned off: the reminders already queued stand down.
    const off = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { reminders: { enabled: false } },
    });
    expect(off.status).toBe(200);
    await advance(10 * DAY);
    expect(await deliveriesOf(auth, control.id, 'reminder')).toHaveLength(2);
  });

  it('stop when the invite expires first', async () => {
    startNewDay();
    const auth = await clientWithReminders(
      { after_days: 3, max_count: 2 },
      { expiry: { enabled: true, after_days: 2 } },
    );
    const sent = await send(auth);
    await advance(10 * DAY);
    expect((await inviteOf(auth, sent.id)).expired_at).not.toBeNull();
    expect(await deliveriesOf(auth, sent.id, 'reminder')).toEqual([]);
  });

  it('skip a suppressed channel, and stop when every channel is suppressed', async () => {
    startNewDay();
    const auth = await clientWithReminders({ after_days: 1, max_count: 1 });
    // Sandbox recipients: a hard bounce, and a number that replied STOP.
    const none = await send(auth, { email: 'gone@bounce.test', phone_number: '+15005550004' });
    const emailOnly = await send(auth, { email: 'still@example.com', phone_number: '+15005550004' });
    await t.drain();
    await advance(DAY + 2 * HOUR);
    expect(await deliveriesOf(auth, none.id, 'reminder')).toEqual([]);
    const reminders = await deliveriesOf(auth, emailOnly.id, 'reminder');
    expect(reminders.map((d: any) => d.method)).toEqual(['email']);
  });

  it('go out once when two workers run, even when a reminder job runs twice', async () => {
    startNewDay();
    const auth = await clientWithReminders({ after_days: 1, max_count: 1 });
    const invites = [];
    for (let i = 0; i < 12; i++)
      invites.push(await send(auth, { email: `w${i}@example.com`, phone_number: null }));
    await t.drain();
    // A job that runs again after its worker lost the claim: the same reminder, queued twice.
    const job = await t.deps.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'invite.remind')
      .where('invite_id', '=', invites[0].id)
      .executeTakeFirstOrThrow();
    await t.deps.db
      .insertInto('jobs')
      .values({ ...job, id: newId() })
      .execute();

    t.clock.advance(DAY + 2 * HOUR);
    const a = new Worker(t.deps, JOB_KINDS, { concurrency: 4, pollMs: 1000 });
    const b = new Worker(t.deps, JOB_KINDS, { concurrency: 4, pollMs: 1000 });
    await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(5000), b.stop(5000)]);
    for (const invite of invites) {
      expect(await deliveriesOf(auth, invite.id, 'reminder')).toHaveLength(1);
      expect((await eventsOf(auth, invite.id)).filter((e: string) => e === 'invite.reminded')).toHaveLength(
        1,
      );
    }
  });

  it('count a reminder once when two runs pass their checks together', async () => {
    startNewDay();
    const auth = await clientWithReminders({ after_days: 1, max_count: 2 });
    const sent = await send(auth, { phone_number: null });
    const row = await findInvite(t.deps.db, auth.client_id, sent.id);
    if (!row) throw new Error('no invite');
    const at = t.clock.now().toISOString();
    // Both runs read reminder_count 0 before either writes: only the conditional update decides.
    const counted = await Promise.all(
      [1, 2].map(() =>
        t.deps.db
          .transaction()
          .execute((trx) => markReminded(trx, auth.client_id, sent.id, row.invited_at, 1, at)),
      ),
    );
    expect(counted.filter(Boolean)).toHaveLength(1);
    // The next number counts once the first is in; the same number again never does.
    expect(await markReminded(t.deps.db, auth.client_id, sent.id, row.invited_at, 1, at)).toBe(false);
    expect(await markReminded(t.deps.db, auth.client_id, sent.id, row.invited_at, 2, at)).toBe(true);
  });
});
