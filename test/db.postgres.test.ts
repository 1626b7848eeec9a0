import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, postgresAdminUrl, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** Ends every other session on the app's database, as a server restart or a failover would. */
async function dropConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    const database = new URL(t.deps.config.DATABASE_URL).pathname.slice(1);
    const sessions = 'from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()';
    const res = await admin.query(`select pg_terminate_backend(pid) ${sessions}`, [database]);
    // Each backend says goodbye to its client before it exits.
    while ((await admin.query(`select 1 ${sessions}`, [database])).rowCount) await sleep(20);
    return res.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('the PostgreSQL connection pool', () => {
  it('keeps serving after the server drops its idle connections', async () => {
    const sent = await t.request('POST', '/v2/invites', { body: inviteBody() });
    expect(sent.status).toBe(200);
    expect(await dropConnections()).toBeGreaterThan(0);
    await sleep(50);
    expect((await t.request('GET', `/v2/invites/${sent.body.id}`)).status).toBe(200);
    expect((await t.request('POST', '/v2/invites', { body: inviteBody() })).status).toBe(200);
  });
});
