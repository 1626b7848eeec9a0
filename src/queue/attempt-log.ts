import type { JobsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import type { JobOutcome } from './jobs.ts';
import type { Settlement } from './settle.ts';

// What an operator follows: retries warn, give-ups are errors, a pacing deferral is routine.
const LEVELS: Record<string, 'info' | 'warn' | 'error' | 'debug'> = {
  sent: 'info',
  cancelled: 'info',
  deferred: 'debug',
  retry: 'warn',
  failed: 'error',
};

/** One line per attempt, with what the provider or receiver answered. */
export function logAttempt(
  deps: Deps,
  row: JobsTable,
  outcome: JobOutcome,
  s: Settlement,
  durationMs: number,
): void {
  const detail = 'detail' in outcome && outcome.detail ? outcome.detail : {};
  const line = {
    job: row.id,
    kind: row.kind,
    client: row.client_id,
    invite: row.invite_id,
    delivery: row.delivery_id,
    channel: typeof detail.channel === 'string' ? detail.channel : undefined,
    attempt: row.attempts,
    outcome: s.recorded,
    response: 'response' in outcome ? (outcome.response ?? null) : null,
    error: s.error,
    next_attempt_at: s.hook?.kind === 'retry' ? s.hook.at.toISOString() : undefined,
    duration_ms: durationMs,
  };
  deps.log[LEVELS[s.recorded] ?? 'info'](line, `${row.kind} attempt ${row.attempts}: ${s.recorded}`);
}
