import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { FROM, startTwilioApp } from './helpers/twilio.ts';

let env: Awaited<ReturnType<typeof startTwilioApp>>;
let t: TestApp;
let tw: typeof env.tw;
beforeAll(async () => {
  env = await startTwilioApp({ SMS_RATE_PER_SECOND: '1' });
  ({ t, tw } = env);
});
afterAll(() => env?.close());
// Each test starts past the sender's last pacing slot.
beforeEach(() => t.clock.advance(60_000));

const sendSms = () => env.sendSms();
const jobOf = (deliveryId: string) => env.jobOf(deliveryId);

describe('SMS pacing and revocation', () => {
  it('spaces one sender’s texts a second apart at 1 SMS/s', async () => {
    const start = t.clock.now().getTime();
    const texts = [await sendSms(), await sendSms(), await sendSms()];
    await t.drain();
    // Texts claimed together take the sender's slots in no promised order (on PostgreSQL they
    // race over separate connections): line them up by the slot each got.
    const runAt = await Promise.all(texts.map(async (s) => (await jobOf(s.id)).run_at));
    const sent = texts.map((s, i) => ({ s, at: runAt[i]! })).sort((a, b) => (a.at < b.at ? -1 : 1));
    expect(sent.map((x) => x.at)).toEqual(
      [start, start + 1000, start + 2000].map((ms) => new Date(ms).toISOString()),
    );
    const pacing = await t.deps.db
      .selectFrom('sender_pacing')
      .selectAll()
      .where('sender', '=', FROM)
      .execute();
    expect(pacing.map((p) => Number(p.next_at_ms))).toEqual([start + 3000]);

    t.clock.advance(999);
    await t.drain();
    expect(sent.map(({ s }) => tw.to(s.phone).length)).toEqual([1, 0, 0]);
    t.clock.advance(1);
    await t.drain();
    expect(sent.map(({ s }) => tw.to(s.phone).length)).toEqual([1, 1, 0]);
    t.clock.advance(1000);
    await t.drain();
    const at = sent.map(({ s }) => tw.to(s.phone)[0]!.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1000);
    for (const { s } of sent) expect((await jobOf(s.id)).status).toBe('done');
  });

  it('keeps the spacing when a paced text is retried after a provider error', async () => {
    const [a, b] = [await sendSms(), await sendSms()];
    tw.refuse(b.phone, { status: 500, code: 20500, message: 'Internal Server Error' });
    await t.drain();
    t.clock.advance(1000);
    await t.drain();
    expect(await jobOf(b.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: expect.stringContaining('500'),
    });
    t.clock.advance(10_000);
    const c = await sendSms();
    await t.drain();
    t.clock.advance(1000);
    await t.drain();
    const at = [b, c].map((s) => tw.to(s.phone).at(-1)!.at);
    expect(Math.abs(at[1]! - at[0]!)).toBeGreaterThanOrEqual(1000);
    for (const s of [a, b, c]) expect((await jobOf(s.id)).status).toBe('done');
  });

  it('sends nothing for an invite revoked before its text went out', async () => {
    const queued = await sendSms();
    const pair = [await sendSms(), await sendSms()];
    expect((await t.request('POST', `/v2/invites/${queued.invite.id}/revoke`)).status).toBe(200);
    await t.drain();
    // One of the two takes the free slot and goes out; which one is not promised.
    expect(pair.map((s) => tw.to(s.phone).length).sort()).toEqual([0, 1]);
    const [first, paced] = tw.to(pair[0]!.phone).length ? pair : [pair[1]!, pair[0]!];
    expect(tw.to(first!.phone)).toHaveLength(1);
    // The third text waits for its slot; revoking it then still stops it.
    expect((await jobOf(paced!.id)).status).toBe('queued');
    expect((await t.request('POST', `/v2/invites/${paced!.invite.id}/revoke`)).status).toBe(200);
    t.clock.advance(10_000);
    await t.drain();
    expect(tw.to(queued.phone)).toEqual([]);
    expect(tw.to(paced!.phone)).toEqual([]);
    expect((await jobOf(queued.id)).status).toBe('cancelled');
    expect((await jobOf(paced!.id)).status).toBe('cancelled');
  });
});
