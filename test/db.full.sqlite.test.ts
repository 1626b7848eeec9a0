import { mkdtempSync, rmSync } from 'node:fs';
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

// The app on a SQLite file whose disk fills up, its log written to memory. The file may not
// grow past the pages it has (max_page_count, set on the app's own connection), which SQLite
// answers exactly as it answers a full disk: SQLITE_FULL.
const dir = mkdtempSync(join(tmpdir(), 'invitekit-full-'));
const lines: string[] = [];
let deps: Deps;
let app: FastifyInstance;
let key: Awaited<ReturnType<typeof createKey>>;

beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'full.db')}`,
    PUBLIC_URL,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  deps = await createDeps(config, { log: createLogger(config, lineSink(lines)) });
  app = await buildApp(deps);
  key = await createKey(deps, { name: 'full' });
});
afterAll(async () => {
  await app?.close();
  if (deps) await closeDeps(deps);
  rmSync(dir, { recursive: true, force: true });
});

const send = async (n: number) => {
  const res = await app.inject({
    method: 'POST',
    url: '/v2/invites',
    headers: { authorization: basic(key) },
    payload: inviteBody({ email: `full${n}@email.com` }) as object,
  });
  return { status: res.statusCode, body: res.json() };
};

const maxPages = (pages: number) => sql`pragma max_page_count = ${sql.lit(pages)}`.execute(deps.db);

describe('a full disk', () => {
  it('answers 507 naming the cause, writes nothing of the send, logs the real error, and recovers', async () => {
    expect((await send(0)).status).toBe(200);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(deps.db);
    await maxPages(Number(rows[0]?.page_count));

    // Sends fill what room the pages have left; the first that needs a new page fails.
    let failed: Awaited<ReturnType<typeof send>> | undefined;
    let before: Record<string, number> = {};
    let sent = 1;
    for (let n = 1; n <= 300 && !failed; n++) {
      before = await countRows(deps);
      const res = await send(n);
      if (res.status === 200) sent++;
      else failed = res;
    }
    expect(failed?.status).toBe(507);
    expect(failed?.body).toEqual({ detail: expect.stringMatching(/storage is full/i) });
    expect(await countRows(deps)).toEqual(before);
    expect(before.invites).toBe(sent);

    deps.log.flush();
    const text = lines.join('\n');
    expect(text).not.toMatch(/cannot rollback/i);
    const records = lines.map((l) => JSON.parse(l));
    const logged = records.find((r) => r.msg === 'database storage is full');
    expect(logged?.level).toBe(50);
    expect(logged?.reqId).toBeTruthy();
    expect(logged?.err?.message).toMatch(/database or disk is full/);
    expect(records.find((r) => r.msg === 'request' && r.status === 507)?.reqId).toBe(logged?.reqId);

    // Room again (the disk was cleared): sends work, so nothing was left half-done.
    await maxPages(1_000_000);
    expect((await send(1000)).status).toBe(200);
    expect((await countRows(deps)).invites).toBe(sent + 1);
  });
});
