import Database from 'better-sqlite3';
import { percentile } from './lib.ts';

export interface CaptureLatency {
  invites: number;
  /** Invites with no captured message once the queue was empty. */
  missing: number;
  p50: number;
  p99: number;
}

/**
 * Milliseconds from each invite's send (its created_at) to its first captured message, for the
 * invites sent since `since`, once the worker has emptied the queue (waiting up to `waitMs`).
 */
export async function captureLatency(file: string, since: string, waitMs = 60_000): Promise<CaptureLatency> {
  const db = new Database(file, { readonly: true });
  try {
    const deadline = Date.now() + waitMs;
    const open = db.prepare("select count(*) as n from jobs where status in ('queued', 'running')").pluck();
    while ((open.get() as number) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const rows = db
      .prepare(
        `select (julianday(min(o.created_at)) - julianday(i.created_at)) * 86400000.0 as ms
           from invites i
           left join deliveries d on d.client_id = i.client_id and d.invite_id = i.id
           left join outbox_messages o on o.delivery_id = d.id
          where i.created_at >= ?
          group by i.client_id, i.id`,
      )
      .all(since) as { ms: number | null }[];
    const times = rows.map((r) => r.ms).filter((ms): ms is number => ms !== null);
    return {
      invites: rows.length,
      missing: rows.length - times.length,
      p50: Math.round(percentile(times, 50)),
      p99: Math.round(percentile(times, 99)),
    };
  } finally {
    db.close();
  }
}
