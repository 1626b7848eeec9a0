import { expect } from 'vitest';
import type { PrunedTable } from '../../src/queue/retention.repo.ts';
import { inviteBody, type TestApp } from './app.ts';
import type { Receiver } from './webhooks.ts';

/** The column that ages each table RETENTION_DAYS prunes. */
export const AGED_BY = {
  outbox_messages: 'created_at',
  job_attempts: 'started_at',
  webhook_deliveries: 'updated_at',
  idempotency_keys: 'created_at',
  rate_limits: 'window_start',
} as const satisfies Record<PrunedTable, string>;

/**
 * A day's worth of traffic at the app's clock: sends with Idempotency-Key and their captured
 * messages, a webhook that answers and one that keeps failing (its deliveries left retrying).
 */
export async function retentionTraffic(t: TestApp, rcv: Receiver, tag: string) {
  const key = await t.newKey();
  for (const [path, events] of [
    [`/ok-${tag}`, ['*']],
    [`/down-${tag}`, ['users.created']],
  ] as const) {
    const res = await t.request('POST', '/v2/webhooks', {
      auth: key,
      body: { events, name: path, url: rcv.url(path), secret: 'whsec-test-0123456789abcdef' },
    });
    expect(res.status, res.raw).toBe(200);
  }
  rcv.otherwise(`/down-${tag}`, 500);
  const invites = [];
  for (let i = 0; i < 3; i++) {
    const res = await t.request('POST', '/v2/invites', {
      auth: key,
      body: inviteBody({ email: `${tag}-${i}@example.com` }),
      headers: { 'idempotency-key': `${tag}-${i}` },
    });
    expect(res.status).toBe(200);
    invites.push(res.body);
  }
  await t.drain();
  return { key, invites };
}
