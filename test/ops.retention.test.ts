import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRUNED_TABLES } from '../src/queue/retention.repo.ts';
import { pruneExpired } from '../src/queue/retention.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { AGED_BY, retentionTraffic } from './helpers/retention.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

let t: TestApp;
let rcv: Receiver;
beforeAll(async () => {
  t = await startTestApp({
    RETENTION_DAYS: '30',
    // On, so that requests leave rate-limit windows behind.
    RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_SECONDS: '1',
  });
  rcv = await webhookReceiver();
});
afterAll(async () => {
  await t?.close();
  await rcv?.close();
});

const DAY = 24 * 3600_000;
const OLD = new Date('2026-01-15T12:00:00.000Z');
const NOW = new Date(OLD.getTime() + 31 * DAY);
const CUT = new Date(NOW.getTime() - 30 * DAY).toISOString();

/** Rows of each pruned table older and newer than the cut, as the database holds them. */
async function census(): Promise<Record<string, { old: number; recent: number }>> {
  const out: Record<string, { old: number; recent: number }> = {};
  for (const table of PRUNED_TABLES) {
    const rows = await t.deps.db.selectFrom(table).select(AGED_BY[table]).execute();
    const times = rows.map((r) => new Date(Object.values(r)[0] as string).toISOString());
    out[table] = { old: times.filter((x) => x < CUT).length, recent: times.filter((x) => x >= CUT).length };
  }
  return out;
}

describe('RETENTION_DAYS', () => {
  it('prunes captured messages, attempts, finished webhook deliveries, keys and windows older than it, and nothing newer', async () => {
    // The recent traffic first, then the old: the request path's own pruning then has nothing to take.
    t.clock.set(NOW);
    const recent = await retentionTraffic(t, rcv, 'recent');
    t.clock.set(OLD);
    const old = await retentionTraffic(t, rcv, 'old');
    t.clock.set(NOW);

    const before = await census();
    for (const table of PRUNED_TABLES) {
      expect(before[table]?.old, `old ${table}`).toBeGreaterThan(0);
      expect(before[table]?.recent, `recent ${table}`).toBeGreaterThan(0);
    }
    const retrying = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'retrying')
      .where('updated_at', '<', CUT)
      .execute();
    expect(retrying.length).toBeGreaterThan(0);

    const pruned = await pruneExpired(t.deps);

    const after = await census();
    for (const table of PRUNED_TABLES) {
      // A webhook delivery still being retried keeps its payload, however old.
      const kept = table === 'webhook_deliveries' ? retrying.length : 0;
      expect(after[table], table).toEqual({ old: kept, recent: before[table]?.recent });
      expect(pruned[table], table).toBe((before[table]?.old ?? 0) - kept);
    }

    // What the client sees: the invites stay, only the recent messages are still in the outbox.
    const oldInvite = await t.request('GET', `/v2/invites/${old.invites[0].id}`, { auth: old.key });
    expect(oldInvite.status).toBe(200);
    expect(oldInvite.body.deliveries.length).toBeGreaterThan(0);
    expect((await t.request('GET', '/outbox/messages', { auth: old.key })).body.results).toEqual([]);
    expect(
      (await t.request('GET', '/outbox/messages', { auth: recent.key })).body.results.length,
    ).toBeGreaterThan(0);

    // A second pass finds nothing more to do.
    expect(await pruneExpired(t.deps)).toEqual({});
  });

  it('keeps everything while unset', async () => {
    t.clock.set(OLD);
    await retentionTraffic(t, rcv, 'kept');
    t.clock.set(new Date(OLD.getTime() + 3650 * DAY));
    const before = await census();
    const keepAll = { ...t.deps, config: { ...t.deps.config, RETENTION_DAYS: undefined } };
    expect(await pruneExpired(keepAll)).toEqual({});
    expect(await census()).toEqual(before);
  });
});
