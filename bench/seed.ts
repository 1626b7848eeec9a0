import { type Db, isPostgres } from '../src/db/client.ts';
import type { DeliveriesTable, InvitesTable, UsersTable } from '../src/db/tables.ts';
import { newId } from '../src/lib/ids.ts';

const STATUSES = ['sent', 'sent', 'sent', 'initiated', 'attempted', 'completed', 'revoked'] as const;

/**
 * Bulk-inserts `count` invites (with their users and one email delivery each) for a client,
 * spread one second apart ending at `end`. Bypasses the API on purpose: it seeds volume,
 * it does not measure sending.
 */
export async function seedInvites(
  db: Db,
  clientId: string,
  count: number,
  end = Date.now(),
): Promise<string[]> {
  const ids: string[] = [];
  // Rows per INSERT: SQLite caps bound parameters per statement; PostgreSQL takes 65,535.
  const rowsPerInsert = isPostgres(db) ? 1000 : 50;
  const batch = isPostgres(db) ? 5000 : 500;
  for (let start = 0; start < count; start += batch) {
    const users: UsersTable[] = [];
    const invites: InvitesTable[] = [];
    const deliveries: DeliveriesTable[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const at = new Date(end - (count - i) * 1000).toISOString();
      const id = newId();
      const userId = newId();
      ids.push(id);
      const email = `person${i}@example.com`;
      users.push({
        client_id: clientId,
        id: userId,
        external_id: null,
        first_name: 'Seed',
        last_name: `Person ${i}`,
        email,
        phone_number: null,
        created_at: at,
        updated_at: at,
      });
      const status = STATUSES[i % STATUSES.length]!;
      invites.push({
        client_id: clientId,
        id,
        user_id: userId,
        first_name: 'Seed',
        last_name: `Person ${i}`,
        email,
        phone_number: null,
        phone_e164: null,
        status,
        group_id: null,
        flow_id: null,
        flow_items: '[]',
        reply_to: '[]',
        external_id: null,
        dds_config: null,
        override_invite_template: null,
        invite_template_id: null,
        rendered_flow_id: null,
        expires_at: null,
        expired_at: null,
        reminder_count: 0,
        created_at: at,
        updated_at: at,
        invited_at: at,
        revoked_at: status === 'revoked' ? at : null,
      });
      deliveries.push({
        client_id: clientId,
        id: newId(),
        invite_id: id,
        method: 'email',
        kind: 'invite',
        status: 'sent',
        recipient: email,
        status_detail: null,
        created_at: at,
        sent_at: at,
        updated_at: at,
        attempts: 1,
        next_attempt_at: null,
        last_error: null,
        provider_message_id: null,
      });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < users.length; i += rowsPerInsert) {
        await trx
          .insertInto('users')
          .values(users.slice(i, i + rowsPerInsert))
          .execute();
        await trx
          .insertInto('invites')
          .values(invites.slice(i, i + rowsPerInsert))
          .execute();
        await trx
          .insertInto('deliveries')
          .values(deliveries.slice(i, i + rowsPerInsert))
          .execute();
      }
    });
  }
  return ids;
}
