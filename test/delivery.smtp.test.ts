import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueCompletionNotices } from '../src/delivery/completed-notice.job.ts';
import { findInvite } from '../src/invites/invites.repo.ts';
import { MESSAGE_RETRY_SCHEDULE } from '../src/queue/jobs.ts';
import { listAttempts } from '../src/queue/queue.repo.ts';
import { transactAndWake } from '../src/queue/transact.ts';
import { inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';
import { SEED_BODY } from './helpers/templates.ts';

const FROM = 'Acme Invites <invites@acme.test>';
let t: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await smtpSink({
    rcpt: (to) => (to.startsWith('nobody') ? { code: 550, message: '5.1.1 No such user here' } : undefined),
  });
  t = await startTestApp({ SMTP_URL: smtp.url, EMAIL_FROM: FROM });
});
afterAll(async () => {
  await t?.close();
  await smtp?.down();
});
afterEach(() => {
  smtp.refuseSender = null;
});

/** Sends an email-only invite. */
async function send(over: Record<string, unknown>) {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody({ phone_number: null, ...over }) });
  expect(res.status).toBe(200);
  return res.body;
}

/** The invite's deliveries as the API shows them, newest first. */
async function deliveries(inviteId: string) {
  return (await t.request('GET', `/v2/invites/${inviteId}`)).body.deliveries;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));
const mailTo = (to: string): ParsedMail[] => smtp.messages.filter((m) => addresses(m.to).includes(to));
const at = (ms: number) => new Date(ms).toISOString();

describe('email over a real SMTP server', () => {
  it('delivers the rendered invite with stable headers, links and escaped text', async () => {
    const tpl = await t.request('POST', '/v2/invite-templates', { body: SEED_BODY });
    const sent = await send({
      email: 'sarah@example.com',
      invite_template_id: tpl.body.id,
      override_invite_template: { email: { header: 'Welcome <script>alert(1)</script>' } },
    });
    const [d] = sent.deliveries;
    t.clock.advance(5000);
    await t.drain();

    const [mail] = mailTo('sarah@example.com');
    expect(smtp.byMessageId.get(`<${d.id}@invitekit>`)).toBe(1);
    expect(mail!.messageId).toBe(`<${d.id}@invitekit>`);
    expect(mail!.subject).toBe(SEED_BODY.subject);
    // The template's sender ([Company]) names the email, at the configured address.
    expect(mail!.from?.value).toEqual([{ address: 'invites@acme.test', name: 'Test Co.' }]);
    expect(addresses(mail!.to)).toEqual(['sarah@example.com']);
    expect(addresses(mail!.replyTo)).toEqual(['hr@company.com']);
    expect(mail!.headers.get('x-invitekit-delivery')).toBe(d.id);

    const link = `${PUBLIC_URL}/connect/${sent.id}?d=${d.id}`;
    expect(mail!.text).toContain(`${SEED_BODY.button}: ${link}`);
    expect(mail!.text).toContain('Welcome <script>alert(1)</script>');
    const html = String(mail!.html);
    expect(html).toContain(`href="${link}"`);
    expect(html).toContain(`<img src="${PUBLIC_URL}/t/${d.id}/open.gif"`);
    expect(html).toContain('Welcome &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');

    const [after] = await deliveries(sent.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 1, last_error: null, next_attempt_at: null });
    // sent_at moves from the API's acceptance to the SMTP server's.
    expect(d.sent_at).toBe(sent.created_at);
    expect(after.sent_at).toBe(t.clock.now().toISOString());
  });

  it('ends a 5xx refusal as undelivered, records the attempt and suppresses the address', async () => {
    const sent = await send({ email: 'nobody@example.com' });
    await t.drain();
    const [d] = await deliveries(sent.id);
    expect(d.status).toBe('undelivered');
    expect(d.status_detail).toMatch(/550.*No such user here/);
    expect(d.last_error).toBe(d.status_detail);
    const attempts = await listAttempts(t.deps.db, t.key.client_id, d.id);
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'failed']]);
    expect(attempts[0]!.error).toMatch(/550/);
    expect(smtp.rcpts.filter((r) => r === 'nobody@example.com')).toHaveLength(1);

    t.clock.advance(60_000);
    const resent = await t.request('POST', `/v2/invites/${sent.id}`);
    await t.drain();
    const [again] = await deliveries(sent.id);
    expect(again.id).not.toBe(d.id);
    expect(resent.body.deliveries.map((x: { id: string }) => x.id)).toContain(again.id);
    expect(again.status).toBe('undelivered');
    expect(again.status_detail).toMatch(/^recipient suppressed: hard bounce: 550/);
    // The server was not asked again.
    expect(smtp.rcpts.filter((r) => r === 'nobody@example.com')).toHaveLength(1);
  });

  it('retries, without suppressing anyone, when the server refuses our sender', async () => {
    smtp.refuseSender = { code: 553, message: '5.7.1 Sender address rejected: not owned by user' };
    const sent = await send({ email: 'innocent@example.com' });
    await t.drain();
    const [d] = await deliveries(sent.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 1 });
    expect(d.last_error).toMatch(/553/);
    expect(d.next_attempt_at).toBe(at(t.clock.now().getTime() + MESSAGE_RETRY_SCHEDULE[0]));

    smtp.refuseSender = null;
    t.clock.advance(MESSAGE_RETRY_SCHEDULE[0]);
    await t.drain();
    expect((await deliveries(sent.id))[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(mailTo('innocent@example.com')).toHaveLength(1);
  });

  it('retries a server that is down on the schedule, then gives up after the last try', async () => {
    await smtp.down();
    const sent = await send({ email: 'patient@example.com' });
    for (let i = 0; i < MESSAGE_RETRY_SCHEDULE.length; i++) {
      await t.drain();
      const wait = MESSAGE_RETRY_SCHEDULE[i]!;
      const [d] = await deliveries(sent.id);
      expect(d).toMatchObject({ status: 'sent', attempts: i + 1 });
      expect(d.next_attempt_at).toBe(at(t.clock.now().getTime() + wait));
      expect(d.last_error).toMatch(/ECONNREFUSED/);
      // Not a moment early.
      t.clock.advance(wait - 1);
      await t.drain();
      expect((await deliveries(sent.id))[0].attempts).toBe(i + 1);
      t.clock.advance(1);
    }
    await t.drain();
    const [d] = await deliveries(sent.id);
    expect(d).toMatchObject({ status: 'undelivered', attempts: 7, next_attempt_at: null });
    expect(d.status_detail).toMatch(/^gave up after 7 attempts: .*ECONNREFUSED/);
    expect(await listAttempts(t.deps.db, t.key.client_id, d.id)).toHaveLength(7);
    expect(mailTo('patient@example.com')).toEqual([]);
  });

  it('sends every message queued while the server was down once it is back', async () => {
    await smtp.down();
    const emails = ['one@example.com', 'two@example.com', 'three@example.com'];
    const sent = [];
    for (const email of emails) sent.push(await send({ email }));
    await t.drain();
    t.clock.advance(MESSAGE_RETRY_SCHEDULE[0]);
    await t.drain();
    await smtp.up();
    t.clock.advance(MESSAGE_RETRY_SCHEDULE[1]);
    await t.drain();
    for (const [i, email] of emails.entries()) {
      const [d] = await deliveries(sent[i].id);
      expect(d).toMatchObject({ status: 'sent', attempts: 3, last_error: null, next_attempt_at: null });
      expect(d.sent_at).toBe(t.clock.now().toISOString());
      expect(mailTo(email).map((m) => m.messageId)).toEqual([`<${d.id}@invitekit>`]);
    }
  });

  it('tells each reply_to address that the invite completed, naming the person and the invite', async () => {
    const reply = ['boss@acme.test', 'hr@acme.test'];
    const sent = await send({
      email: 'maria@example.com',
      first_name: 'Maria',
      last_name: 'Lopez',
      override_invite_template: { email: { reply_to: reply } },
    });
    const invite = await findInvite(t.deps.db, t.key.client_id, sent.id);
    const now = t.clock.now().toISOString();
    const queued = await transactAndWake(t.deps, (trx) => queueCompletionNotices(trx, invite!, now));
    expect(queued).toBe(2);
    await t.drain();
    for (const address of reply) {
      const notices = mailTo(address);
      expect(notices).toHaveLength(1);
      expect(notices[0]!.subject).toBe('Maria Lopez completed your invite');
      expect(notices[0]!.text).toContain('Maria Lopez');
      expect(notices[0]!.text).toContain(sent.id);
      expect(String(notices[0]!.html)).toContain(sent.id);
    }
    // The invite itself went to the recipient, not to the team.
    expect(mailTo('maria@example.com')).toHaveLength(1);
  });
});
