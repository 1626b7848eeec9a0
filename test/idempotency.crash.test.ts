import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, inviteBody } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';

const REQUESTS = 600;
const KEY = { id: 'idem-crash', secret: 'idem-crash-secret-0123456789' };
const auth = `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`;
const env = {
  INVITEKIT_API_KEY_ID: KEY.id,
  INVITEKIT_API_KEY_SECRET: KEY.secret,
  RATE_LIMIT_PER_MINUTE: '0',
  // A dead request's key is taken over after this, instead of the default 30 s.
  IDEMPOTENCY_LEASE_SECONDS: '2',
};

let database: Awaited<ReturnType<typeof freshDatabase>>;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  database = await freshDatabase();
  cli = cliFor(database.url);
});
afterAll(async () => {
  cli?.killAll();
  await database?.drop();
});

const bodyOf = (i: number) =>
  JSON.stringify(inviteBody({ external_id: `request-${i}`, phone_number: undefined }));

function post(base: string, i: number): Promise<Response> {
  return fetch(`${base}/v2/invites`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': `key-${i}` },
    body: bodyOf(i),
  });
}

it('sends each invite once when its requests are retried with their keys across a SIGKILL', {
  timeout: 180_000,
}, async () => {
  const first = await cli.serve(env, ['--no-worker']);
  const base = first.url;
  let answered = 0;
  let killed: Promise<void> | null = null;
  const outcomes = new Map<number, number>();
  const burst = Array.from({ length: REQUESTS }, (_, i) =>
    post(base, i)
      .then(async (res) => {
        outcomes.set(i, res.status);
        // Killed mid-burst: some requests answered, some committed without an answer, some not begun.
        if (++answered === REQUESTS / 3) killed = first.kill();
        await res.arrayBuffer();
      })
      .catch(() => {}),
  );
  await Promise.all(burst);
  await killed;
  const unanswered = [...Array(REQUESTS).keys()].filter((i) => outcomes.get(i) !== 200);
  expect(unanswered.length).toBeGreaterThan(0);

  // A client retries whatever got no answer, with the same key and body, until it gets one.
  const second = await cli.serve(env, ['--no-worker']);
  const retried = await Promise.all(
    unanswered.map(async (i) => {
      for (;;) {
        const res = await post(second.url, i).catch(() => null);
        if (res && res.status !== 409) return { i, status: res.status, body: await res.json() };
        await res?.arrayBuffer();
        await new Promise((r) => setTimeout(r, 300));
      }
    }),
  );
  expect(retried.filter((r) => r.status !== 200)).toEqual([]);
  for (const r of retried) expect(r.body.user).toBeTruthy();

  // Every request made exactly one invite (and one user), whichever way it was answered.
  const count = async (path: string, key: string) => {
    const seen = new Map<string, number>();
    let next: string | null = `${second.url}${path}?limit=200`;
    while (next) {
      const url: string = next.replace(/^https?:\/\/[^/]+/, second.url);
      const page = await (await fetch(url, { headers: { authorization: auth } })).json();
      for (const row of page.results) seen.set(row[key], (seen.get(row[key]) ?? 0) + 1);
      next = page.next;
    }
    return seen;
  };
  const users = await count('/v2/users', 'external_id');
  expect(users.size).toBe(REQUESTS);
  expect([...users.entries()].filter(([, n]) => n > 1)).toEqual([]);
  expect((await count('/v2/invites', 'id')).size).toBe(REQUESTS);
  await second.stop();
});
