import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PRUNED_TABLES, type PrunedTable } from '../src/queue/retention.repo.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { cliFor, type LogLine } from './helpers/cli.ts';
import { AGED_BY, retentionTraffic } from './helpers/retention.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

// A real worker process on a loaded machine.
vi.setConfig({ testTimeout: 240_000 });

let t: TestApp;
let rcv: Receiver;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  t = await startTestApp({
    // On, so that requests leave rate-limit windows behind.
    RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_SECONDS: '1',
  });
  rcv = await webhookReceiver();
  cli = cliFor(t.deps.config.DATABASE_URL);
});
afterAll(async () => {
  cli?.killAll();
  await t?.close();
  await rcv?.close();
});

const DAY = 24 * 3600_000;

/** How each pruned table names a row. */
const KEYS: Record<PrunedTable, string[]> = {
  outbox_messages: ['client_id', 'id'],
  job_attempts: ['client_id', 'id'],
  webhook_deliveries: ['client_id', 'id'],
  idempotency_keys: ['client_id', 'key'],
  rate_limits: ['bucket', 'window_start'],
};

/** The rows of `table`, by key, older and newer than `cut`. */
async function rowsOf(table: PrunedTable, cut: string): Promise<{ old: string[]; recent: string[] }> {
  const key = KEYS[table];
  const agedBy = AGED_BY[table];
  const rows = (await t.deps.db
    .selectFrom(table)
    .select([...key, agedBy] as never[])
    .execute()) as Record<string, string>[];
  const name = (r: Record<string, string>) => key.map((k) => r[k]).join('/');
  const at = (r: Record<string, string>) => new Date(String(r[agedBy])).toISOString();
  return {
    old: rows.filter((r) => at(r) < cut).map(name),
    recent: rows.filter((r) => at(r) >= cut).map(name),
  };
}

describe('RETENTION_DAYS in a running worker', () => {
  it('a worker process prunes what is older than it, on its own, and keeps everything newer', async () => {
    const now = Date.now();
    // The recent traffic first: a request prunes old rate-limit windows itself, and these must stay.
    t.clock.set(new Date(now - 60_000));
    await retentionTraffic(t, rcv, 'recent');
    t.clock.set(new Date(now - 3 * DAY));
    await retentionTraffic(t, rcv, 'old');

    const cut = new Date(now - DAY).toISOString();
    const before = {} as Record<PrunedTable, { old: string[]; recent: string[] }>;
    for (const table of PRUNED_TABLES) {
      before[table] = await rowsOf(table, cut);
      expect(before[table].old.length, `old ${table}`).toBeGreaterThan(0);
      expect(before[table].recent.length, `recent ${table}`).toBeGreaterThan(0);
    }
    // A webhook delivery still being retried keeps its payload, however old.
    const retrying = (
      await t.deps.db
        .selectFrom('webhook_deliveries')
        .select(['client_id', 'id'])
        .where('status', '=', 'retrying')
        .where('updated_at', '<', cut)
        .execute()
    ).map((r) => `${r.client_id}/${r.id}`);
    expect(retrying.length).toBeGreaterThan(0);

    const worker = await cli.worker({
      RETENTION_DAYS: '1',
      LOG_LEVEL: 'info',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_SECONDS: '1',
    });
    const prunedLine = () =>
      worker.logLines().find((l: LogLine) => l.msg === 'pruned rows past RETENTION_DAYS');
    await expect.poll(prunedLine, { timeout: 120_000, interval: 200 }).toBeDefined();
    await worker.stop();

    const pruned = prunedLine()?.pruned as Record<string, number>;
    for (const table of PRUNED_TABLES) {
      const after = await rowsOf(table, cut);
      const present = new Set([...after.old, ...after.recent]);
      const kept = table === 'webhook_deliveries' ? retrying : [];
      const gone = before[table].old.filter((k) => !kept.includes(k));
      expect(
        gone.filter((k) => present.has(k)),
        `old rows of ${table} still there`,
      ).toEqual([]);
      expect(
        [...before[table].recent, ...kept].filter((k) => !present.has(k)),
        `rows of ${table} that should have stayed`,
      ).toEqual([]);
      expect(pruned[table], table).toBe(gone.length);
    }
  });
});
