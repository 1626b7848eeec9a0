import type { Db } from '../db/client.ts';

/** How many attempts of `subject` came after `since`, and when the oldest of them came. */
export async function attemptsSince(
  db: Db,
  subject: string,
  since: string,
): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('console_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('attempted_at').as('oldest')])
    .where('subject', '=', subject)
    .where('attempted_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ?? null };
}

/** Counts an attempt, and drops this subject's attempts too old to count. */
export async function recordAttempt(
  db: Db,
  subject: string,
  at: string,
  forgetBefore: string,
): Promise<void> {
  await db.insertInto('console_attempts').values({ subject, attempted_at: at }).execute();
  await db
    .deleteFrom('console_attempts')
    .where('subject', '=', subject)
    .where('attempted_at', '<=', forgetBefore)
    .execute();
}
