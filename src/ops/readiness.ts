import { migrationProvider } from '../db/migrations/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { appliedMigrations, pingDatabase } from './probes.repo.ts';

/** Seconds a probe's caller is asked to wait before it looks again. */
const PROBE_RETRY_AFTER = '5';

/** A probe answers within this, whatever the database does: a stalled connection is not ready. */
const PROBE_TIMEOUT_MS = 2000;

function unavailable(detail: string): AppError {
  return AppError.detail('unavailable', detail, { 'Retry-After': PROBE_RETRY_AFTER });
}

async function withinProbeTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Throws the 503 a probe answers when the database does not answer in time. */
export async function assertDatabaseReachable(deps: Pick<Deps, 'db'>): Promise<void> {
  await withinProbeTime(pingDatabase(deps.db)).catch(() => {
    throw unavailable('Database unavailable.');
  });
}

/**
 * Ready: the database answers and has every migration this version knows. A process started
 * against a database another version has not yet migrated is alive but not ready.
 */
export async function assertReady(deps: Pick<Deps, 'db'>): Promise<void> {
  await assertDatabaseReachable(deps);
  const applied = await withinProbeTime(appliedMigrations(deps.db)).catch(async () => {
    // Reachable a moment ago: either it has gone, or it was never migrated (no table yet).
    await assertDatabaseReachable(deps);
    return new Set<string>();
  });
  const known = Object.keys(await migrationProvider.getMigrations());
  const pending = known.filter((name) => !applied.has(name));
  if (pending.length > 0) {
    throw unavailable(
      `Database migrations pending: ${pending.join(', ')}. Run "invitekit migrate" (or start "invitekit serve", which applies them).`,
    );
  }
}
