import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import type { Deps } from '../src/deps.ts';
import { basic, type Credentials, startTestApp, type TestApp } from './helpers/app.ts';

/**
 * Two API processes on one database and one movable clock, at 1000 requests a minute per key:
 * each reserves 5 at a time from the shared count.
 */
let t: TestApp;
let second: Deps;
let other: FastifyInstance;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000' });
  second = await createDeps(t.deps.config, { clock: t.clock });
  other = await buildApp(second);
});
afterAll(async () => {
  await other?.close();
  if (second) await closeDeps(second);
  await t?.close();
});

const get = async (app: FastifyInstance, key: Credentials) =>
  (await app.inject({ method: 'GET', url: '/v2/invites', headers: { authorization: basic(key) } }))
    .statusCode;

/** Requests one after the other until the first refusal; how many were let through. */
async function untilRefused(app: FastifyInstance, key: Credentials): Promise<number> {
  for (let n = 0; n < 2000; n++) if ((await get(app, key)) === 429) return n;
  throw new Error('never refused');
}

/** What the database holds counted for `key` in the window starting at `start`. */
async function counted(key: Credentials, start: Date): Promise<number> {
  const rows = await t.deps.db
    .selectFrom('rate_limits')
    .select(['window_start', 'count'])
    .where('bucket', '=', `key:${key.api_key_id}`)
    .execute();
  const row = rows.find((r) => new Date(r.window_start).getTime() === start.getTime());
  return Number(row?.count ?? 0);
}

/** Moves the clock to `s` seconds into the next minute. */
function toNextMinute(s = 0): Date {
  const now = t.clock.now().getTime();
  const start = now - (now % 60_000) + 60_000;
  t.clock.set(new Date(start + s * 1000));
  return new Date(start);
}

describe('what a process reserved in a window and did not spend', () => {
  it('goes back to that window once it ends, though the process receives nothing more', async () => {
    const key = await t.newKey();
    const window = toNextMinute(59);
    expect(await get(t.app, key)).toBe(200);
    expect(await counted(key, window)).toBe(5);
    toNextMinute();
    await expect.poll(() => counted(key, window), { timeout: 20_000, interval: 200 }).toBe(1);
    // At the start of the next minute the last one weighs in full: one request of it, not five.
    expect(await untilRefused(other, key)).toBe(999);
  }, 60_000);

  it('goes back also from a process busy with other keys in the next window', async () => {
    const key = await t.newKey();
    const bystander = await t.newKey();
    const window = toNextMinute(30);
    for (let i = 0; i < 3; i++) expect(await get(t.app, key)).toBe(200);
    toNextMinute();
    expect(await get(t.app, bystander)).toBe(200);
    await expect.poll(() => counted(key, window), { timeout: 20_000, interval: 50 }).toBe(3);
    expect(await untilRefused(other, key)).toBe(997);
  }, 60_000);

  it('is held against no other process while the window lasts, beyond one chunk', async () => {
    const key = await t.newKey();
    const window = toNextMinute(10);
    // Both processes spend, alternately; each holds at most the rest of one chunk.
    for (let i = 0; i < 100; i++) expect(await get(i % 2 ? other : t.app, key)).toBe(200);
    expect(await counted(key, window)).toBeLessThanOrEqual(100 + 2 * 5);
    const rest = await untilRefused(other, key);
    expect(rest).toBeGreaterThanOrEqual(1000 - 100 - 5);
    expect(rest).toBeLessThanOrEqual(1000 - 100);
  }, 60_000);
});
