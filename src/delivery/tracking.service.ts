import type { Deps } from '../deps.ts';
import { findDeliveryById, transitionDelivery } from './deliveries.repo.ts';
import { addSuppression } from './suppressions.repo.ts';

/** The recipient loaded the email or followed a link carrying the delivery reference. */
export async function markDeliveryOpened(deps: Deps, deliveryId: string, inviteId?: string): Promise<void> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (!delivery || (inviteId && delivery.invite_id !== inviteId)) return;
  const at = deps.clock.now().toISOString();
  await transitionDelivery(deps.db, delivery.client_id, delivery.id, ['sent', 'delivered'], 'opened', at);
}

/** Twilio's MessageStatus for a delivery; `errorCode` comes with undelivered/failed. */
export async function applySmsStatus(
  deps: Deps,
  deliveryId: string,
  status: string,
  errorCode: string | undefined,
): Promise<void> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (!delivery || delivery.method !== 'sms') return;
  const at = deps.clock.now().toISOString();
  if (status === 'delivered') {
    await transitionDelivery(deps.db, delivery.client_id, delivery.id, ['sent'], 'delivered', at);
  } else if (status === 'undelivered' || status === 'failed') {
    const reason = `carrier reported ${status}${errorCode ? ` (error ${errorCode})` : ''}`;
    await transitionDelivery(
      deps.db,
      delivery.client_id,
      delivery.id,
      ['sent', 'delivered'],
      'undelivered',
      at,
      reason,
    );
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
