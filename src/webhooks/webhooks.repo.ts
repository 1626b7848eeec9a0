import { type Db, isPostgres } from '../db/client.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import { prepared, preparedInsert, preparedInsertMany } from '../db/prepared.ts';
import type { WebhookDeliveriesTable, WebhooksTable } from '../db/tables.ts';

export const insertWebhook = preparedInsert('webhooks');
export const insertWebhookDelivery = preparedInsert('webhook_deliveries');
export const insertWebhookDeliveries = preparedInsertMany('webhook_deliveries');

export function findWebhook(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * How many subscriptions the client has, counted under a lock on the client's row on
 * PostgreSQL, so two concurrent creates cannot both pass a cap (SQLite has one writer).
 */
export async function countWebhooksLocked(trx: Db, clientId: string): Promise<number> {
  if (isPostgres(trx)) {
    await trx.selectFrom('clients').select('id').where('id', '=', clientId).forUpdate().execute();
  }
  const row = await trx
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function listWebhooks(db: Db, clientId: string, page: PageRequest) {
  const q = db.selectFrom('webhooks').selectAll().where('client_id', '=', clientId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/** Runs for every recorded event, so it is compiled once. */
export const activeWebhooks = prepared((db, clientId) =>
  db.selectFrom('webhooks').selectAll().where('client_id', '=', clientId).where('disabled_at', 'is', null),
);

/** Deletes the subscription and its deliveries, and cancels the sends still queued. */
export async function deleteWebhook(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('jobs')
      .set({ status: 'cancelled', updated_at: at, last_error: 'webhook deleted' })
      .where('client_id', '=', clientId)
      .where('status', '=', 'queued')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select('job_id')
          .where('client_id', '=', clientId)
          .where('webhook_id', '=', id),
      )
      .execute();
    await trx
      .deleteFrom('webhook_deliveries')
      .where('client_id', '=', clientId)
      .where('webhook_id', '=', id)
      .execute();
    const res = await trx
      .deleteFrom('webhooks')
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  });
}

export function findDelivery(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listDeliveries(db: Db, clientId: string, webhookId: string, page: PageRequest) {
  const q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('webhook_id', '=', webhookId);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

export async function updateDelivery(
  db: Db,
  clientId: string,
  id: string,
  change: Partial<Omit<WebhookDeliveriesTable, 'client_id' | 'id' | 'webhook_id' | 'payload'>>,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(change)
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
}

/** A delivery got through: the subscription is healthy again (and enabled, if it was disabled). */
export async function markWebhookSucceeded(
  db: Db,
  hook: Pick<WebhooksTable, 'client_id' | 'id'>,
  at: string,
) {
  await db
    .updateTable('webhooks')
    .set({ last_sent_at: at, failing_since: null, disabled_at: null, disabled_reason: null })
    .where('client_id', '=', hook.client_id)
    .where('id', '=', hook.id)
    .execute();
}

/**
 * A delivery failed: the subscription has been failing since its first failure after the
 * last success. One failing since `disableBefore` or earlier is disabled with `reason`.
 * Returns whether this call disabled it.
 */
export async function markWebhookFailed(
  db: Db,
  hook: Pick<WebhooksTable, 'client_id' | 'id'>,
  at: string,
  disableBefore: string,
  reason: string,
): Promise<boolean> {
  const scope = db.updateTable('webhooks').where('client_id', '=', hook.client_id).where('id', '=', hook.id);
  await scope
    .set((eb) => ({ last_sent_at: at, failing_since: eb.fn.coalesce('failing_since', eb.val(at)) }))
    .execute();
  const res = await scope
    .set({ disabled_at: at, disabled_reason: reason })
    .where('disabled_at', 'is', null)
    .where('failing_since', '<=', disableBefore)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
