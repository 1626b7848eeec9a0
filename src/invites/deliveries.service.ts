import type { Db } from '../db/client.ts';
import type { DeliveriesTable, DeliveryKind, InvitesTable, JobsTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import { cancelQueuedJobs, jobRow, queueJobs } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import { insertDeliveries, updateUnsentDelivery } from './deliveries.repo.ts';

export type NewDelivery = DeliveriesTable;

/**
 * One delivery per contact of the invite, and its send job (added to `jobs`), as rows to write;
 * ids are drawn delivery, job, delivery, job.
 */
export function deliveryRows(
  invite: Pick<InvitesTable, 'client_id' | 'id' | 'email' | 'phone_e164'>,
  at: string,
  kind: DeliveryKind,
  jobs: JobsTable[],
): NewDelivery[] {
  const created: NewDelivery[] = [];
  const contacts = [
    ['email', invite.email],
    ['sms', invite.phone_e164],
  ] as const;
  for (const [method, recipient] of contacts) {
    if (!recipient) continue;
    const delivery: DeliveriesTable = {
      client_id: invite.client_id,
      id: newId(),
      invite_id: invite.id,
      method,
      kind,
      status: 'sent',
      recipient,
      status_detail: null,
      created_at: at,
      sent_at: at,
      updated_at: at,
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
      provider_message_id: null,
    };
    const job = { client_id: invite.client_id, invite_id: invite.id, delivery_id: delivery.id, payload: {} };
    jobs.push(jobRow('delivery.send', job, at));
    created.push(delivery);
  }
  return created;
}

/**
 * Creates one delivery per contact of the invite and queues its send, inside the caller's
 * transaction (transactional outbox): an accepted invite can never lose its messages. The
 * delivery reads `sent` from now on; the worker moves `sent_at` to the provider's acceptance.
 * The caller wakes the worker once the transaction has committed.
 */
export async function queueDeliveries(
  trx: JobTx,
  invite: Pick<InvitesTable, 'client_id' | 'id' | 'email' | 'phone_e164'>,
  at: string,
  kind: DeliveryKind,
): Promise<NewDelivery[]> {
  const jobs: JobsTable[] = [];
  const created = deliveryRows(invite, at, kind, jobs);
  await insertDeliveries(trx, created);
  await queueJobs(trx, jobs);
  return created;
}

/**
 * On revoke: queued sends are cancelled. Their deliveries keep the seed's `sent` (as the
 * hosted API shows a revoked invite's deliveries) and say in `status_detail` that they
 * never went out.
 */
export async function cancelQueuedDeliveries(
  trx: Db,
  clientId: string,
  inviteId: string,
  at: string,
): Promise<void> {
  const cancelled = await cancelQueuedJobs(trx, clientId, inviteId, at);
  for (const id of cancelled) {
    await updateUnsentDelivery(trx, clientId, id, { status_detail: NOT_SENT_REVOKED, next_attempt_at: null });
  }
}

export const NOT_SENT_REVOKED = 'not sent: the invite was revoked first';
