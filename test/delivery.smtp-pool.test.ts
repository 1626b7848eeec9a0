import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

describe('the SMTP pool', () => {
  let app: TestApp;
  let slow: SmtpSink;
  beforeAll(async () => {
    // A relay that takes 150 ms a message, so every send the worker runs at once (8 in the
    // test app) would want a connection of its own.
    slow = await smtpSink({ delayMs: 150, parse: false });
    app = await startTestApp({ SMTP_URL: slow.url, SMTP_POOL_SIZE: '2' });
  });
  afterAll(async () => {
    await app?.close();
    await slow?.down();
  });

  it('opens no more connections than SMTP_POOL_SIZE, and the sends beyond it wait their turn', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await app.request('POST', '/v2/invites', {
        body: inviteBody({ email: `pool-${i}@example.com`, phone_number: null }),
      });
      expect(res.status).toBe(200);
      ids.push(res.body.deliveries[0].id);
    }
    await app.drain();
    expect(slow.maxOpen).toBe(2);
    expect(ids.map((id) => slow.byMessageId.get(`<${id}@invitekit>`))).toEqual(Array(10).fill(1));
  });
});
