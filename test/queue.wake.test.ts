import { afterAll, expect, it } from 'vitest';
import { freshDatabase, inviteBody } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

// `serve --no-worker` and `worker` as separate processes on one database: the worker hears of
// a send when the API commits it (SQLite: the file's data_version; PostgreSQL: NOTIFY), not at
// its next poll.
const database = await freshDatabase();
const { serve, worker, killAll } = cliFor(database.url);
const KEY = { INVITEKIT_API_KEY_ID: 'wake-test', INVITEKIT_API_KEY_SECRET: 'wake-test-secret-0123456789' };
const auth = `Basic ${Buffer.from(`${KEY.INVITEKIT_API_KEY_ID}:${KEY.INVITEKIT_API_KEY_SECRET}`).toString('base64')}`;
let smtp: SmtpSink | undefined;

afterAll(async () => {
  killAll();
  await smtp?.down();
  await database.drop();
});

it('a worker in its own process sends what another process queued long before its next poll', {
  timeout: 90_000,
}, async () => {
  smtp = await smtpSink();
  const env = { ...KEY, SMTP_URL: smtp.url };
  const api = await serve(env, ['--no-worker']);
  // A poll a minute apart: only being told of the commit can explain a send within seconds.
  const w = await worker({ ...env, WORKER_POLL_MS: '60000' });
  try {
    // Its first look at the queue, at start, is over and found nothing.
    await new Promise((r) => setTimeout(r, 1000));
    const sentAt = Date.now();
    for (let n = 0; n < 5; n++) {
      const res = await fetch(`${api.url}/v2/invites`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(inviteBody({ email: `wake${n}@email.com`, phone_number: undefined })),
      });
      expect(res.status).toBe(200);
    }
    const deadline = sentAt + 20_000;
    while (smtp.messages.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const to = smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text).sort();
    expect(to).toEqual([0, 1, 2, 3, 4].map((n) => `wake${n}@email.com`));
    // Well within the minute the worker would otherwise have slept.
    expect(Date.now() - sentAt).toBeLessThan(20_000);
  } finally {
    await w.stop();
    await api.stop();
  }
});
