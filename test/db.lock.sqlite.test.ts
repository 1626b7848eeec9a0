import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, inviteBody } from './helpers/app.ts';
import { cliFor, type Server } from './helpers/cli.ts';

// Another process on the same SQLite file (a backup, a migration, the sqlite3 shell, a second
// invitekit) takes the write lock and keeps it while the server runs.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'invitekit-lock-'));
const DB_FILE = join(dir, 'lock.db');
const { ok, serve, killAll } = cliFor(DB_FILE);

/** How long the server waits for the lock before a write gives up (src/db/sqlite.ts). */
const LOCK_WAIT_MS = 5000;

const HOLDER = `
const db = new (require('better-sqlite3'))(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
process.stdin.once('data', release);
setTimeout(release, 60000);
`;

/** A process that holds the write lock of `file` until `release()`. */
async function holdWriteLock(file: string) {
  const child: ChildProcess = spawn(process.execPath, ['-e', HOLDER, file], { cwd: ROOT });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d) => String(d).includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return {
    held: () => child.exitCode === null,
    async release() {
      child.stdin?.write('commit\n');
      expect(await exited).toBe(0);
    },
    kill: () => child.kill('SIGKILL'),
  };
}

let server: Server;
let key: { api_key_id: string; api_key_secret: string };
let holder: Awaited<ReturnType<typeof holdWriteLock>> | undefined;

beforeAll(async () => {
  key = JSON.parse(await ok(['keys', 'create', '--name', 'lock', '--json']));
  // The per-key rate limit counts requests in the database a chunk at a time; a request that
  // starts a new chunk writes, and would wait for the lock like any write.
  server = await serve({ RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(() => {
  holder?.kill();
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(path.startsWith('/v2/') ? { authorization: basic(key) } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as any;
  return { status: res.status, headers: res.headers, body: json, ms: performance.now() - started };
}

describe('a write lock held by another process', () => {
  it('leaves health checks and reads fast; a send gives up with 503 after the wait; sends work once it is released', async () => {
    const first = await call('POST', '/v2/invites', inviteBody({ phone_number: undefined }));
    expect(first.status).toBe(200);
    // The worker in the server sends the email; let it finish before the lock is taken.
    for (let i = 0; i < 100; i++) {
      const got = await call('GET', `/v2/invites/${first.body.id}`);
      if (got.body.deliveries.every((d: { sent_at: string | null }) => d.sent_at)) break;
      await sleep(100);
    }
    await sleep(500);

    holder = await holdWriteLock(DB_FILE);
    const sends = [1, 2, 3].map((n) =>
      call('POST', '/v2/invites', inviteBody({ email: `locked${n}@email.com`, phone_number: undefined })),
    );
    // The sends now wait for the lock; meanwhile nothing else does.
    await sleep(300);
    for (let round = 0; round < 3; round++) {
      const health = await call('GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.ms).toBeLessThan(1000);
      const got = await call('GET', `/v2/invites/${first.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(first.body.id);
      expect(got.ms).toBeLessThan(1000);
      const list = await call('GET', '/v2/invites');
      expect(list.status).toBe(200);
      expect(list.ms).toBeLessThan(1000);
      // A body the schema refuses is answered at once: its answer needs no write.
      const bad = await call('POST', '/v2/invites', { ...inviteBody(), first_name: { a: 1 } });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body)).toContain('first_name');
      expect(bad.ms).toBeLessThan(1000);
    }

    const answers = await Promise.all(sends);
    expect(holder.held()).toBe(true);
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.body).toEqual({ detail: expect.stringMatching(/busy/i) });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      // Each gave up after about the wait, not after the ones queued ahead of it had each waited.
      expect(a.ms).toBeGreaterThan(LOCK_WAIT_MS - 500);
      expect(a.ms).toBeLessThan(2 * LOCK_WAIT_MS - 1000);
    }

    await holder.release();
    const after = await call(
      'POST',
      '/v2/invites',
      inviteBody({ email: 'after@email.com', phone_number: undefined }),
    );
    expect(after.status).toBe(200);
    const list = await call('GET', '/v2/invites');
    expect(list.body.results.map((i: { id: string }) => i.id).sort()).toEqual(
      [first.body.id, after.body.id].sort(),
    );
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});
