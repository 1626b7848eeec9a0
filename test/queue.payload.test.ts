import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('a job whose payload is not of its kind', () => {
  it('fails with the reason, once, and its delivery says so instead of waiting forever', async () => {
    const sent = (await t.request('POST', '/v2/invites', { body: inviteBody({ phone_number: undefined }) }))
      .body;
    // What a bad deploy or a hand-edited row could leave behind.
    await t.deps.db
      .updateTable('jobs')
      .set({ payload: '{"slot":"soon"}' })
      .where('kind', '=', 'delivery.send')
      .execute();
    await t.drain();

    const invite = (await t.request('GET', `/v2/invites/${sent.id}`)).body;
    const [delivery] = invite.deliveries;
    expect(delivery.status).toBe('undelivered');
    expect(delivery.status_detail).toMatch(/^invalid payload for delivery\.send: \/slot /);
    expect(delivery.next_attempt_at).toBeNull();
    const attempts = await t.deps.db.selectFrom('job_attempts').select(['outcome', 'error']).execute();
    expect(attempts).toEqual([{ outcome: 'failed', error: expect.stringMatching(/^invalid payload/) }]);
    expect((await t.request('GET', '/outbox/messages')).body.results).toEqual([]);
  });
});
