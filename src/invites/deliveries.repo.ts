import type { Db } from '../db/client.ts';
import { preparedInsertMany } from '../db/prepared.ts';
import type { DeliveriesTable } from '../db/tables.ts';
import { type DeliveryStatus, deliveryMovableFrom } from './delivery-status.ts';

export const insertDeliveries = preparedInsertMany('deliveries');

export function findDelivery(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Updates what a delivery says about its sending; its status moves only through transitionDelivery. */
export async function updateDelivery(
  db: Db,
  clientId: string,
  id: string,
  change: Partial<
    Omit<DeliveriesTable, 'client_id' | 'id' | 'invite_id' | 'method' | 'recipient' | 'status'>
  >,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set(change)
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
}

/** A delivery by id alone, for provider callbacks and tracking links (which carry no client). */
export function findDeliveryById(db: Db, id: string) {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Moves a delivery to `to` if the status machine allows it from where it is (so late or
 * repeated signals never move it backwards), with `change` alongside. False when it did not move.
 */
export async function transitionDelivery(
  db: Db,
  clientId: string,
  id: string,
  to: DeliveryStatus,
  change: Partial<
    Pick<DeliveriesTable, 'updated_at' | 'status_detail' | 'last_error' | 'next_attempt_at' | 'attempts'>
  >,
): Promise<boolean> {
  const res = await db
    .updateTable('deliveries')
    .set({ ...change, status: to })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', 'in', deliveryMovableFrom(to))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Changes a delivery that the provider never accepted (still `sent`, no provider id). */
export async function updateUnsentDelivery(
  db: Db,
  clientId: string,
  id: string,
  change: Partial<Pick<DeliveriesTable, 'status_detail' | 'next_attempt_at'>>,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set(change)
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', '=', 'sent')
    .where('provider_message_id', 'is', null)
    .execute();
}

/** Whether any message of the invite has been opened. */
export async function anyDeliveryOpened(db: Db, clientId: string, inviteId: string): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('client_id', '=', clientId)
    .where('invite_id', '=', inviteId)
    .where('status', '=', 'opened')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
