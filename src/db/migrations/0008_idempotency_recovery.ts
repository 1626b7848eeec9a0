import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // A key is marked `committed`, naming what its request made, in that request's own
  // transaction: a retry after a crash answers from it instead of running again.
  await db.schema.alterTable('idempotency_keys').addColumn('resource', 'text').execute();
}
