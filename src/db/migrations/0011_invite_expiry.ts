import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // With expiry on in the invite settings: when the invite's URL stops working, and when it did.
  await db.schema.alterTable('invites').addColumn('expires_at', t.timestamp).execute();
  await db.schema.alterTable('invites').addColumn('expired_at', t.timestamp).execute();
}
