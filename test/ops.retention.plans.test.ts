import { CompiledQuery, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, isPostgres } from '../src/db/client.ts';
import { PRUNED_TABLES, type PrunedTable } from '../src/queue/retention.repo.ts';
import { pruneExpired } from '../src/queue/retention.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RETENTION_DAYS: '30' });
});
afterAll(async () => {
  await t?.close();
});

const NOW = '2026-01-15T12:00:00.000Z';
const DAY = 86_400;
/** Rows each table holds: many within the retention, a day's worth past it. */
const RECENT = 100_000;
const OLD = 3_000;

/** `n` rows of `table`, the g-th `secondsAgo(g)` before NOW, each column's value an SQL expression of g. */
async function fill(
  db: Db,
  table: PrunedTable,
  n: number,
  secondsAgo: string,
  columns: Record<string, string>,
): Promise<void> {
  const at = isPostgres(db)
    ? `timestamptz '${NOW}' - (${secondsAgo}) * interval '1 second'`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW}', '-' || (${secondsAgo}) || ' seconds')`;
  const values = Object.values(columns).map((v) => v.replaceAll('$at', at));
  await sql
    .raw(
      `with recursive s(g) as (select 1 union all select g + 1 from s where g < ${n})
       insert into ${table} (${Object.keys(columns).join(', ')}) select ${values.join(', ')} from s`,
    )
    .execute(db);
}

/** Each pruned table's rows: `tag` in their keys, aged by `secondsAgo`. */
async function fillAll(db: Db, tag: string, n: number, secondsAgo: string): Promise<void> {
  const client = `'client-' || (g % 50)`;
  const id = `'${tag}-' || g`;
  await fill(db, 'outbox_messages', n, secondsAgo, {
    client_id: client,
    id,
    channel: `'email'`,
    to_address: `'someone-' || g || '@example.com'`,
    text_body: `'Hello'`,
    created_at: '$at',
  });
  await fill(db, 'job_attempts', n, secondsAgo, {
    client_id: client,
    id,
    job_id: `'job-' || g`,
    attempt: '1',
    outcome: `'sent'`,
    started_at: '$at',
    duration_ms: '12',
  });
  await fill(db, 'webhook_deliveries', n, secondsAgo, {
    client_id: client,
    id,
    webhook_id: `'webhook-' || (g % 7)`,
    event_id: `'event-' || g`,
    event: `'invites.sent'`,
    payload: `'{}'`,
    status: `case g % 10 when 0 then 'failed' when 1 then 'retrying' else 'succeeded' end`,
    created_at: '$at',
    updated_at: '$at',
  });
  await fill(db, 'idempotency_keys', n, secondsAgo, {
    client_id: client,
    key: id,
    request_hash: `'h'`,
    state: `'done'`,
    created_at: '$at',
  });
  await fill(db, 'rate_limits', n, secondsAgo, {
    bucket: `'key-' || g`,
    window_start: '$at',
    count: '1',
  });
}

/** Keeps every statement run through the database it is added to, compiled. */
function recorder(db: Db): { plugin: KyselyPlugin; statements: CompiledQuery[] } {
  const statements: CompiledQuery[] = [];
  return {
    statements,
    plugin: {
      transformQuery({ node, queryId }) {
        statements.push(db.getExecutor().compileQuery(node as RootOperationNode, queryId));
        return node;
      },
      transformResult: async ({ result }) => result,
    },
  };
}

/** The plan of `statement`, one line per step. */
async function planOf(db: Db, statement: CompiledQuery): Promise<string[]> {
  const prefix = isPostgres(db) ? 'explain ' : 'explain query plan ';
  const { rows } = await db.executeQuery(
    CompiledQuery.raw(prefix + statement.sql, [...statement.parameters]),
  );
  return rows.map((r) => String(Object.values(r as object).at(-1)));
}

/** A step that reads every row of `table`. */
function fullScanOf(table: string, step: string): boolean {
  return isPostgres(t.deps.db)
    ? new RegExp(`Seq Scan on ${table}\\b`).test(step)
    : new RegExp(`^SCAN ${table}\\b`).test(step.trim());
}

describe('RETENTION_DAYS on large tables', () => {
  it('finds what to prune through indexes, never by reading a whole table, and prunes only the old rows', async () => {
    const db = t.deps.db;
    await fillAll(db, 'recent', RECENT, `g * ${Math.floor((25 * DAY) / RECENT)} + 1`);
    await fillAll(db, 'old', OLD, `${31 * DAY} + g`);
    await sql`analyze`.execute(db);

    // The statements one pass runs, recorded in a transaction rolled back: the tables stay full.
    const { plugin, statements } = recorder(db);
    await db
      .transaction()
      .execute(async (trx) => {
        await pruneExpired({ ...t.deps, db: trx.withPlugin(plugin) });
        throw new Error('rolled back');
      })
      .catch((err: Error) => expect(err.message).toBe('rolled back'));
    for (const table of PRUNED_TABLES) {
      const statement = statements.find((s) => s.sql.startsWith(`delete from "${table}" `));
      expect(statement, table).toBeDefined();
      if (!statement) continue;
      const plan = await planOf(db, statement);
      expect(
        plan.filter((step) => fullScanOf(table, step)),
        `${table}:\n${plan.join('\n')}`,
      ).toEqual([]);
    }

    const pruned = await pruneExpired(t.deps);
    // A pass takes up to 20 batches of 500 from each table; the old rows are fewer.
    expect(pruned).toEqual({
      outbox_messages: OLD,
      job_attempts: OLD,
      // A delivery still being retried keeps its payload, however old.
      webhook_deliveries: OLD - OLD / 10,
      idempotency_keys: OLD,
      rate_limits: OLD,
    });
    for (const table of PRUNED_TABLES) {
      const left = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      const kept = table === 'webhook_deliveries' ? OLD / 10 : 0;
      expect(Number(left.rows[0]?.n), table).toBe(RECENT + kept);
    }
  });
});
