import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findDelivery } from '../src/invites/deliveries.repo.ts';
import { listAttempts } from '../src/queue/queue.repo.ts';
import type { TestApp } from './helpers/app.ts';
import { ACCOUNT_SID, AUTH_TOKEN, FROM, startTwilioApp } from './helpers/twilio.ts';

let env: Awaited<ReturnType<typeof startTwilioApp>>;
let t: TestApp;
let tw: typeof env.tw;
beforeAll(async () => {
  env = await startTwilioApp();
  ({ t, tw } = env);
});
afterAll(() => env?.close());
// Each test starts past the sender's last pacing slot.
beforeEach(() => t.clock.advance(60_000));

const sendSms = (over?: Record<string, unknown>) => env.sendSms(over);
const delivery = (inviteId: string) => env.delivery(inviteId);
const jobOf = (deliveryId: string) => env.jobOf(deliveryId);
const detailOf = async (deliveryId: string) =>
  (await listAttempts(t.deps.db, t.key.client_id, deliveryId)).map((a) => JSON.parse(a.detail ?? '{}'));

describe('SMS through the Twilio Messages API', () => {
  it('posts the message as Twilio expects and follows status callbacks to delivered', async () => {
    const { invite, phone, id } = await sendSms();
    await t.drain();
    const [msg] = tw.to(phone);
    expect(tw.to(phone)).toHaveLength(1);
    expect(msg!.auth).toBe(`${ACCOUNT_SID}:${AUTH_TOKEN}`);
    expect(msg!.params).toEqual({
      To: phone,
      From: FROM,
      Body: expect.stringContaining(`${env.publicUrl}/connect/${invite.id}?d=${id}`),
      StatusCallback: `${env.publicUrl}/callbacks/twilio/status/${id}`,
    });
    expect((await findDelivery(t.deps.db, t.key.client_id, id))?.provider_message_id).toBe(msg!.sid);

    expect(await tw.callback(msg!, 'sent')).toBe(204);
    expect((await delivery(invite.id)).status).toBe('sent');
    expect(await tw.callback(msg!, 'delivered')).toBe(204);
    expect(await delivery(invite.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('keeps the carrier error of an undelivered message', async () => {
    const { invite, phone } = await sendSms();
    await t.drain();
    expect(await tw.callback(tw.to(phone)[0]!, 'undelivered', { errorCode: '30003' })).toBe(204);
    const d = await delivery(invite.id);
    expect(d.status).toBe('undelivered');
    expect(d.status_detail).toContain('30003');
  });

  it('refuses a callback whose signature does not match, changing nothing', async () => {
    const { invite, phone } = await sendSms();
    await t.drain();
    const msg = tw.to(phone)[0]!;
    expect(await tw.callback(msg, 'delivered', { token: 'not-the-auth-token' })).toBe(403);
    expect(await tw.callback(msg, 'delivered', { tamper: { MessageStatus: 'undelivered' } })).toBe(403);
    const unsigned = await fetch(msg.params.StatusCallback!, {
      method: 'POST',
      body: new URLSearchParams({ MessageSid: msg.sid, MessageStatus: 'delivered' }),
    });
    expect(unsigned.status).toBe(403);
    expect(await delivery(invite.id)).toMatchObject({ status: 'sent', status_detail: null });
  });

  it.each([
    ['the API refuses the number (21610)', 'api'],
    ['the carrier reports it (21610)', 'callback'],
  ])('stops texting a number that replied STOP when %s', async (_, how) => {
    const { invite, phone } = await sendSms();
    if (how === 'api')
      tw.refuse(phone, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await t.drain();
    if (how === 'callback')
      expect(await tw.callback(tw.to(phone)[0]!, 'undelivered', { errorCode: '21610' })).toBe(204);
    const d = await delivery(invite.id);
    expect(d.status).toBe('undelivered');
    expect(d.status_detail).toContain('21610');

    t.clock.advance(60_000);
    expect((await t.request('POST', `/v2/invites/${invite.id}`)).status).toBe(200);
    await t.drain();
    const again = await delivery(invite.id);
    expect(again.id).not.toBe(d.id);
    expect(again.status).toBe('undelivered');
    expect(again.status_detail).toMatch(/^recipient suppressed: recipient replied STOP/);
    expect(tw.to(phone)).toHaveLength(1);
  });

  it('ends an invalid number (400, 21211) after one try, without suppressing it', async () => {
    const { invite, phone, id } = await sendSms();
    tw.refuse(phone, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    await t.drain();
    expect(await delivery(invite.id)).toMatchObject({ status: 'undelivered', attempts: 1 });
    expect((await delivery(invite.id)).status_detail).toContain('21211');
    expect(await jobOf(id)).toMatchObject({ status: 'dead', attempts: 1 });
    t.clock.advance(60_000);
    await t.request('POST', `/v2/invites/${invite.id}`);
    await t.drain();
    expect(tw.to(phone)).toHaveLength(2);
    expect((await delivery(invite.id)).status).toBe('sent');
  });

  it('waits out 429s without spending attempts, however many there are', async () => {
    const { invite, phone, id } = await sendSms();
    const busy = { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 30 };
    tw.refuse(phone, ...Array.from({ length: 9 }, () => busy));
    for (let i = 0; i < 9; i++) {
      await t.drain();
      expect(await jobOf(id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        run_at: new Date(t.clock.now().getTime() + 30_000).toISOString(),
      });
      expect(await delivery(invite.id)).toMatchObject({ status: 'sent', status_detail: null });
      t.clock.advance(30_000);
    }
    await t.drain();
    expect(tw.to(phone)).toHaveLength(10);
    expect(await delivery(invite.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(await jobOf(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('records the encoding and segment count of each text', async () => {
    const long = await sendSms({
      override_invite_template: { sms_text: `${'Connect now. '.repeat(20)}[Link]` },
    });
    await t.drain();
    t.clock.advance(1000);
    const emoji = await sendSms({ override_invite_template: { sms_text: 'Hi [Name] 👋 [Link]' } });
    await t.drain();
    const longBody = tw.to(long.phone)[0]!.params.Body!;
    const emojiBody = tw.to(emoji.phone)[0]!.params.Body!;
    expect(emojiBody).toContain('👋');
    // GSM-7: one septet per character here, 153 per part of a concatenated message.
    expect(await detailOf(long.id)).toEqual([
      {
        channel: 'twilio',
        encoding: 'GSM-7',
        characters: longBody.length,
        segments: Math.ceil(longBody.length / 153),
      },
    ]);
    expect(Math.ceil(longBody.length / 153)).toBeGreaterThan(1);
    // UCS-2: UTF-16 units (the emoji is two), 67 per part.
    expect(await detailOf(emoji.id)).toEqual([
      {
        channel: 'twilio',
        encoding: 'UCS-2',
        characters: emojiBody.length,
        segments: Math.ceil(emojiBody.length / 67),
      },
    ]);
  });
});
