import type { DeliveriesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { recordEvent } from '../link/events.repo.ts';
import { findDeliveryById, transitionDelivery } from './deliveries.repo.ts';
import { addSuppression } from './suppressions.repo.ts';
import { transactAndWake } from './transact.ts';

/** Moves the delivery and records the change as an event of its invite, together. */
function moveDelivery(
  deps: Deps,
  delivery: DeliveriesTable,
  from: DeliveriesTable['status'][],
  to: DeliveriesTable['status'],
  detail: string | null = null,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return transactAndWake(deps, async (trx) => {
    if (!(await transitionDelivery(trx, delivery.client_id, delivery.id, from, to, at, detail))) return false;
    const data = { delivery: delivery.id, method: delivery.method, ...(detail ? { detail } : {}) };
    await recordEvent(trx, deps.config, {
      client_id: delivery.client_id,
      invite_id: delivery.invite_id,
      type: `delivery.${to}`,
      data,
      created_at: at,
    });
    return true;
  });
}

/** The recipient loaded the email or followed a link carrying the delivery reference. */
export async function markDeliveryOpened(deps: Deps, deliveryId: string, inviteId?: string): Promise<void> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (!delivery || (inviteId && delivery.invite_id !== inviteId)) return;
  await moveDelivery(deps, delivery, ['sent', 'delivered'], 'opened');
}

/** Twilio's MessageStatus for a delivery; `errorCode` comes with undelivered/failed. */
export async function applySmsStatus(
  deps: Deps,
  deliveryId: string,
  status: string,
  errorCode: string | undefined,
): Promise<void> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (delivery?.method !== 'sms') return;
  const at = deps.clock.now().toISOString();
  if (status === 'delivered') {
    await moveDelivery(deps, delivery, ['sent'], 'delivered');
  } else if (status === 'undelivered' || status === 'failed') {
    const reason = `carrier reported ${status}${errorCode ? ` (error ${errorCode})` : ''}`;
    await moveDelivery(deps, delivery, ['sent', 'delivered'], 'undelivered', reason);
    if (errorCode === '21610') {
      await addSuppression(deps.db, {
        client_id: delivery.client_id,
        channel: 'sms',
        address: delivery.recipient,
        reason: 'recipient replied STOP (21610)',
        created_at: at,
      });
    }
  }
}
