import type { Db } from '../db/client.ts';
import type { DeliveriesTable, OutboxMessagesTable } from '../db/tables.ts';

export async function insertDelivery(db: Db, row: DeliveriesTable): Promise<void> {
  await db.insertInto('deliveries').values(row).execute();
}

export async function insertOutboxMessage(db: Db, row: OutboxMessagesTable): Promise<void> {
  await db.insertInto('outbox_messages').values(row).execute();
}

/** Deliveries of the given invites, newest first. */
export function listDeliveries(db: Db, clientId: string, inviteIds: string[]) {
  if (inviteIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('deliveries')
    .select(['id', 'invite_id', 'method', 'status', 'sent_at', 'updated_at'])
    .where('client_id', '=', clientId)
    .where('invite_id', 'in', inviteIds)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
