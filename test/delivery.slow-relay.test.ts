import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, inviteBody } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

const INVITES = 30;
const KEY = { id: 'slow-relay', secret: 'slow-relay-secret-0123456789' };

let database: Awaited<ReturnType<typeof freshDatabase>>;
let cli: ReturnType<typeof cliFor>;
let relay: SmtpSink;
beforeAll(async () => {
  database = await freshDatabase();
  cli = cliFor(database.url);
  // Each message takes longer to accept than a worker's lease lasts.
  relay = await smtpSink({ delayMs: 7000, parse: false });
});
afterAll(async () => {
  cli?.killAll();
  await relay?.down();
  await database?.drop();
});

it('sends each email once through a relay slower than the lease, with no process dying', {
  timeout: 150_000,
}, async () => {
  const server = await cli.serve({
    SMTP_URL: relay.url,
    INVITEKIT_API_KEY_ID: KEY.id,
    INVITEKIT_API_KEY_SECRET: KEY.secret,
    WORKER_LEASE_SECONDS: '5',
    WORKER_POLL_MS: '100',
  });
  const auth = `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`;
  for (let i = 0; i < INVITES; i++) {
    const res = await fetch(`${server.url}/v2/invites`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(inviteBody({ email: `slow${i}@example.com`, phone_number: undefined })),
    });
    expect(res.status).toBe(200);
  }
  const total = () => [...relay.byMessageId.values()].reduce((a, b) => a + b, 0);
  const deadline = Date.now() + 100_000;
  while (relay.byMessageId.size < INVITES && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  // Then until the relay has taken nothing for more than two messages' time: a send taken
  // twice would still be on its way until then.
  let last = total();
  let quietSince = Date.now();
  while (Date.now() - quietSince < 16_000 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    if (total() !== last) [last, quietSince] = [total(), Date.now()];
  }
  await server.stop();
  expect(relay.byMessageId.size).toBe(INVITES);
  const twice = [...relay.byMessageId.entries()].filter(([, n]) => n > 1);
  expect(twice).toEqual([]);
});
