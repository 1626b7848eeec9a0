import { createServer, type Socket } from 'node:net';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../src/db/client.ts';
import { claimDue, dueJobsOf, lapsedJobs, nextClient } from '../src/queue/claim.repo.ts';
import { freshDatabase, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';

describe('the claim', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  /** The plan the database chooses for `query`, as text. */
  async function planOf(query: RawBuilder<unknown>): Promise<string> {
    const { sql: text, parameters } = query.compile(t.deps.db);
    if (isPostgres(t.deps.db)) {
      // With sequential scans priced out, the plan names the index if one can serve the query.
      return t.deps.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>({
          sql: `explain ${text}`,
          parameters,
          query: query.toOperationNode(),
        } as never);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    }
    const rows = await t.deps.db.executeQuery<{ detail: string }>({
      sql: `explain query plan ${text}`,
      parameters,
      query: query.toOperationNode(),
    } as never);
    return rows.rows.map((r) => r.detail).join('\n');
  }

  it('reads only indexes that hold live jobs, whatever the table holds besides', async () => {
    const now = new Date().toISOString();
    const plans = [
      [await planOf(nextClient('messages', '')), 'jobs_queued'],
      [await planOf(dueJobsOf(t.deps.db, 'messages', 'c', now, 4)), 'jobs_queued'],
      [await planOf(lapsedJobs(t.deps.db, 'messages', ['a-running-job'], now, 4)), 'jobs_running'],
    ] as const;
    for (const [plan, index] of plans) {
      expect(plan).toContain(index);
      // SQLite says SCAN for a full pass, PostgreSQL Seq Scan.
      expect(plan).not.toMatch(/SCAN jobs(?! USING)|Seq Scan/);
    }
  });

  it('gives every client with due messages a share, however many one client queued first', async () => {
    const flood = await t.newKey();
    for (let i = 0; i < 40; i++) {
      await t.request('POST', '/v2/invites', { auth: flood, body: inviteBody({ phone_number: undefined }) });
    }
    await t.request('POST', '/v2/invites', { body: inviteBody({ phone_number: undefined }) });
    const now = t.clock.now().toISOString();
    const lease = { now, default: new Date(t.clock.now().getTime() + 60_000).toISOString(), byKind: [] };
    const claimed = await claimDue(t.deps.db, 'w1', 'messages', () => now, lease, 4, { client: '' }, []);
    expect(claimed).toHaveLength(4);
    expect(new Set(claimed.map((j) => j.client_id))).toEqual(new Set([flood.client_id, t.key.client_id]));
  });
});

describe('webhooks and messages', () => {
  const silent = new Set<Socket>();
  const receiver = createServer((socket) => {
    // Takes the request and never answers, as a hung receiver does.
    silent.add(socket);
    socket.on('error', () => {});
  });
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let cli: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    database = await freshDatabase();
    cli = cliFor(database.url);
  });
  afterAll(async () => {
    cli?.killAll();
    for (const s of silent) s.destroy();
    receiver.close();
    await database?.drop();
  });

  it('sends another client’s email within seconds while hundreds of silent webhooks are pending', {
    timeout: 120_000,
  }, async () => {
    const server = await cli.serve({ WEBHOOKS_ALLOW_PRIVATE: 'true', WORKER_POLL_MS: '200' });
    const key = async (name: string) => {
      const k = JSON.parse(await cli.ok(['keys', 'create', '--name', name, '--json']));
      return `Basic ${Buffer.from(`${k.api_key_id}:${k.api_key_secret}`).toString('base64')}`;
    };
    const [noisy, quiet] = [await key('noisy'), await key('quiet')];
    const post = (auth: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const port = (receiver.address() as { port: number }).port;
    const hook = { events: ['*'], name: 'silent', url: `http://127.0.0.1:${port}/hook` };
    for (let i = 0; i < 16; i++) expect((await post(noisy, '/v2/webhooks', hook)).status).toBe(200);
    const over = await post(noisy, '/v2/webhooks', hook);
    expect(over.status).toBe(400);
    expect((await over.json()).detail).toContain('at most 16 webhook subscriptions');

    // 13 invites: a user and an invite event each, to 16 subscriptions: 416 deliveries that hang.
    for (let i = 0; i < 13; i++) {
      expect((await post(noisy, '/v2/invites', inviteBody({ phone_number: undefined }))).status).toBe(200);
    }
    const started = Date.now();
    const sent = await post(
      quiet,
      '/v2/invites',
      inviteBody({ email: 'quiet@example.com', phone_number: undefined }),
    );
    expect(sent.status).toBe(200);
    let captured = 0;
    while (captured === 0 && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${server.url}/outbox/messages?to=quiet@example.com`, {
        headers: { authorization: quiet },
      });
      captured = (await res.json()).results.length;
    }
    expect(captured).toBe(1);
    // Well inside the first webhook timeout (10 s): the message did not wait for a webhook slot.
    expect(Date.now() - started).toBeLessThan(8000);
    await server.stop();
  });
});
