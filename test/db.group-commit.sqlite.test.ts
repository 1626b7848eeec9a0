import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps, createLogger } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { basic, countRows, inviteBody, lineSink, PUBLIC_URL } from './helpers/app.ts';

// Concurrent sends on one SQLite file share their COMMITs (src/db/sqlite.ts, Group). What a
// sender must still get: its own answer, its own error, and nothing acknowledged lost.
const dir = mkdtempSync(join(tmpdir(), 'invitekit-group-'));
const file = join(dir, 'group.db');
const lines: string[] = [];
let deps: Deps;
let app: FastifyInstance;
let key: Awaited<ReturnType<typeof createKey>>;

beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${file}`,
    PUBLIC_URL,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  deps = await createDeps(config, { log: createLogger(config, lineSink(lines)) });
  app = await buildApp(deps);
  key = await createKey(deps, { name: 'group' });
  // The WAL keeps every commit's frames for the count below: no checkpoint empties it meanwhile.
  await sql`pragma wal_autocheckpoint = 1000000`.execute(deps.db);
});
afterAll(async () => {
  await app?.close();
  if (deps) await closeDeps(deps);
  rmSync(dir, { recursive: true, force: true });
});

const send = async (over: Record<string, unknown>) => {
  const res = await app.inject({
    method: 'POST',
    url: '/v2/invites',
    headers: { authorization: basic(key) },
    payload: inviteBody(over) as object,
  });
  return { status: res.statusCode, body: res.json() };
};

/** Commit frames in the WAL file from byte `from` on: a frame whose header names a database size ends a commit. */
function commitsInWal(from: number): number {
  const wal = `${file}-wal`;
  const size = statSync(wal).size;
  const fd = openSync(wal, 'r');
  try {
    const header = Buffer.alloc(32);
    readSync(fd, header, 0, 32, 0);
    const frame = 24 + header.readUInt32BE(8);
    let commits = 0;
    const frameHeader = Buffer.alloc(24);
    for (let at = Math.max(32, from); at + frame <= size; at += frame) {
      readSync(fd, frameHeader, 0, 24, at);
      if (frameHeader.readUInt32BE(4) !== 0) commits++;
    }
    return commits;
  } finally {
    closeSync(fd);
  }
}

describe('group commit', () => {
  it('sends arriving together share their commits, and each is answered and kept', async () => {
    expect((await send({ email: 'first@email.com' })).status).toBe(200);
    const walBefore = statSync(`${file}-wal`).size;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => send({ email: `together${n}@email.com` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(40);
    // Alone, each send commits once: 40 commits. Together they share a handful.
    const commits = commitsInWal(walBefore);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(8);
    for (const a of answers) {
      const res = await app.inject({
        method: 'GET',
        url: `/v2/invites/${a.body.id}`,
        headers: { authorization: basic(key) },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().email).toBe(a.body.email);
    }
  });

  it('a send that fails in the database fails alone: its neighbours in the same commit are kept', async () => {
    // A fault only this test's invites meet, raised inside the send's transaction after its
    // user row was written.
    await sql`create trigger refuse_boom before insert on invites when new.first_name = 'Boom'
      begin select raise(abort, 'refused by the test'); end`.execute(deps.db);
    try {
      const before = await countRows(deps);
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          send({ email: `mixed${n}@email.com`, first_name: n % 6 === 0 ? 'Boom' : 'Sarah' }),
        ),
      );
      const failed = answers.filter((_, n) => n % 6 === 0);
      const kept = answers.filter((_, n) => n % 6 !== 0);
      expect(failed.map((a) => a.status)).toEqual(Array(5).fill(500));
      expect(kept.map((a) => a.status)).toEqual(Array(25).fill(200));
      const after = await countRows(deps);
      // Nothing of a failed send stays (not even its user), everything of the others does.
      expect(after.invites).toBe((before.invites ?? 0) + 25);
      expect(after.users).toBe((before.users ?? 0) + 25);
      expect(after.deliveries).toBe((before.deliveries ?? 0) + 50);
    } finally {
      await sql`drop trigger refuse_boom`.execute(deps.db);
    }
  });

  it('a full disk in the middle of a burst: every send answered 200 is kept, every other one left nothing', async () => {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(deps.db);
    const before = await countRows(deps);
    // Room for a few sends more, not for all of them.
    await sql`pragma max_page_count = ${sql.lit(Number(rows[0]?.page_count) + 12)}`.execute(deps.db);
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, n) => send({ email: `burst${n}@email.com` })),
      );
      const statuses = new Set(answers.map((a) => a.status));
      expect([...statuses].every((s) => s === 200 || s === 507)).toBe(true);
      expect(statuses.has(507)).toBe(true);
      const ok = answers.filter((a) => a.status === 200);
      const after = await countRows(deps);
      expect(after.invites).toBe((before.invites ?? 0) + ok.length);
      expect(after.deliveries).toBe((before.deliveries ?? 0) + 2 * ok.length);
      const emails = await deps.db
        .selectFrom('invites')
        .select('email')
        .where('email', 'like', 'burst%')
        .execute();
      expect(emails.map((e) => e.email).sort()).toEqual(ok.map((a) => a.body.email).sort());
    } finally {
      await sql`pragma max_page_count = 1073741823`.execute(deps.db);
    }
    // And sends work again once there is room.
    expect((await send({ email: 'after@email.com' })).status).toBe(200);
  });
});
