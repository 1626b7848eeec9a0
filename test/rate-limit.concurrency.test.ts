import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../src/auth/keys.service.ts';
import { type Db, openDb } from '../src/db/client.ts';
import { shiftedClock } from '../src/lib/client-time.ts';
import { systemClock } from '../src/lib/clock.ts';
import { basic, type Credentials, freshDatabase } from './helpers/app.ts';
import { cliFor, type Server } from './helpers/cli.ts';

/**
 * Bursts of concurrent requests from one key against `serve --no-worker` processes on one
 * database. The processes keep real time, so a burst that straddles a minute boundary (where
 * the sliding window weighs the earlier minute a little less) is detected and run once more.
 */
const KEY = { api_key_id: 'concurrency', api_key_secret: 'a-secret-of-sixteen-plus' };
const MINUTE = 60_000;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let cli: ReturnType<typeof cliFor>;
let db: Db;
beforeAll(async () => {
  database = await freshDatabase();
  cli = cliFor(database.url);
  // The test reads the counts and adds keys beside the processes, so the schema comes first.
  await cli.ok(['migrate']);
  db = openDb(database.url, 2);
});
afterAll(async () => {
  cli?.killAll();
  await db?.destroy();
  await database?.drop();
});

/** Two API processes with `limit` requests a minute per key, started one after the other. */
async function twoServers(limit: number): Promise<Server[]> {
  const env = {
    RATE_LIMIT_PER_MINUTE: String(limit),
    INVITEKIT_API_KEY_ID: KEY.api_key_id,
    INVITEKIT_API_KEY_SECRET: KEY.api_key_secret,
  };
  return [await cli.serve(env, ['--no-worker']), await cli.serve(env, ['--no-worker'])];
}

/** What the database holds counted for `key`, over all its windows. */
async function counted(key: Credentials): Promise<number> {
  const rows = await db
    .selectFrom('rate_limits')
    .select('count')
    .where('bucket', '=', `key:${key.api_key_id}`)
    .execute();
  return rows.reduce((sum, r) => sum + Number(r.count), 0);
}

/**
 * `total` GETs of the invite list from `key`, `concurrency` at a time, request i to
 * `servers[i % servers.length]`; their statuses, run again on a fresh key if the burst
 * straddled a minute boundary.
 */
async function burst(
  servers: Server[],
  opts: { total: number; concurrency: number },
): Promise<{ key: Credentials; statuses: number[] }> {
  for (let attempt = 1; ; attempt++) {
    const key = await createKey({ db, clock: shiftedClock(systemClock) }, { name: 'burst' });
    const authorization = basic(key);
    const minute = Math.floor(Date.now() / MINUTE);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        for (let i = next++; i < opts.total; i = next++) {
          const server = servers[i % servers.length]!;
          const res = await fetch(`${server.url}/v2/invites`, { headers: { authorization } });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    if (Math.floor(Date.now() / MINUTE) === minute || attempt === 2) return { key, statuses };
  }
}

const tally = (statuses: number[]) => ({
  ok: statuses.filter((s) => s === 200).length,
  throttled: statuses.filter((s) => s === 429).length,
});

describe('RATE_LIMIT_PER_MINUTE=6000: a burst well within the limit', () => {
  // A process reserves 1/200 of the limit at a time from the shared count.
  const CHUNK = 30;
  let servers: Server[];
  beforeAll(async () => {
    servers = await twoServers(6000);
  });
  afterAll(async () => {
    for (const s of servers ?? []) await s.stop().catch(() => {});
  });

  it('1,000 GETs at concurrency 200 on one process: none refused, and only what was used is counted', async () => {
    const { key, statuses } = await burst([servers[0]!], { total: 1000, concurrency: 200 });
    expect(tally(statuses)).toEqual({ ok: 1000, throttled: 0 });
    // What the process holds in reserve is at most one chunk.
    const count = await counted(key);
    expect(count).toBeGreaterThanOrEqual(1000);
    expect(count).toBeLessThanOrEqual(1000 + CHUNK);
  }, 120_000);

  it('the same burst split across two processes: none refused, at most a chunk each in reserve', async () => {
    const { key, statuses } = await burst(servers, { total: 1000, concurrency: 200 });
    expect(tally(statuses)).toEqual({ ok: 1000, throttled: 0 });
    const count = await counted(key);
    expect(count).toBeGreaterThanOrEqual(1000);
    expect(count).toBeLessThanOrEqual(1000 + 2 * CHUNK);
  }, 120_000);

  it('1,000 GETs all at once across two processes: none refused', async () => {
    const { key, statuses } = await burst(servers, { total: 1000, concurrency: 1000 });
    expect(tally(statuses)).toEqual({ ok: 1000, throttled: 0 });
    expect(await counted(key)).toBeLessThanOrEqual(1000 + 2 * CHUNK);
  }, 120_000);

  it('gives back what it reserved and did not use when it shuts down', async () => {
    const key = await createKey({ db, clock: shiftedClock(systemClock) }, { name: 'shutdown' });
    for (const s of servers) {
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${s.url}/v2/invites`, { headers: { authorization: basic(key) } });
        expect(res.status).toBe(200);
      }
    }
    // Each process holds the rest of a chunk in reserve.
    const reserved = await counted(key);
    expect(reserved).toBeGreaterThan(20);
    expect(reserved).toBeLessThanOrEqual(20 + 2 * CHUNK);
    for (const s of servers) await s.stop();
    expect(await counted(key)).toBe(20);
  }, 60_000);
});

describe('RATE_LIMIT_PER_MINUTE=300: a burst over the limit', () => {
  let servers: Server[];
  beforeAll(async () => {
    servers = await twoServers(300);
  });
  afterAll(async () => {
    for (const s of servers ?? []) await s.stop().catch(() => {});
  });

  it('1,000 concurrent GETs across two processes: at most 300 succeed, and nearly all of them do', async () => {
    const { key, statuses } = await burst(servers, { total: 1000, concurrency: 1000 });
    const { ok, throttled } = tally(statuses);
    expect(ok + throttled).toBe(1000);
    expect(ok).toBeLessThanOrEqual(300);
    expect(ok).toBeGreaterThanOrEqual(250);
    // Refusals are not counted: the shared count is what was let through, and a chunk each at most.
    expect(await counted(key)).toBeLessThanOrEqual(300);
  }, 120_000);
});
