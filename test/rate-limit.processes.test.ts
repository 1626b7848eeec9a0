import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';
import { basic, freshDatabase } from './helpers/app.ts';
import { freePort } from './helpers/net.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = { api_key_id: 'ratelimit', api_key_secret: 'a-secret-of-sixteen-plus' };
// The servers see only the configuration given here, whatever the outer shell exports.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !(CONFIG_KEYS as string[]).includes(k)),
);

const children: ChildProcess[] = [];

/** `invitekit serve --no-worker` on its own port; resolves with its URL once it is up. */
async function serve(databaseUrl: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/invitekit.js', 'serve', '--no-worker'], {
    cwd: ROOT,
    env: {
      ...cleanEnv,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '60',
      INVITEKIT_API_KEY_ID: KEY.api_key_id,
      INVITEKIT_API_KEY_SECRET: KEY.api_key_secret,
    },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('running at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return `http://127.0.0.1:${port}`;
}

let database: Awaited<ReturnType<typeof freshDatabase>>;
let servers: string[];
beforeAll(async () => {
  database = await freshDatabase();
  // One after the other: the first creates the schema and the key, the second finds them.
  servers = [await serve(database.url), await serve(database.url)];
}, 60_000);
afterAll(async () => {
  await Promise.all(
    children.map(
      (c) => new Promise((resolve) => (c.exitCode === null ? c.once('exit', resolve).kill() : resolve(0))),
    ),
  );
  await database?.drop();
});

const get = (base: string) =>
  fetch(`${base}/v2/invites`, { headers: { authorization: basic(KEY), 'x-request-id': 'two-processes' } });

describe('two `serve --no-worker` processes on one database', () => {
  it('share one limit: the 61st request in a minute is refused by either', async () => {
    // The servers keep real time. Start well inside a minute, so that the burst below cannot
    // straddle two windows (where the previous one weighs slightly less than it counted).
    const into = Date.now() % 60_000;
    if (into > 45_000) await sleep(60_000 - into + 200);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => get(servers[i % 2]!)));
    expect(answers.map((r) => r.status)).toEqual(Array(60).fill(200));
    for (const base of servers) {
      const res = await get(base);
      expect(res.status).toBe(429);
      const wait = Number(res.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(61);
      expect(await res.json()).toEqual({
        detail: `Request was throttled. Expected available in ${wait} seconds.`,
      });
      expect(res.headers.get('x-request-id')).toBe('two-processes');
    }
  }, 90_000);
});
