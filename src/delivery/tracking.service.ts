import type { DeliveriesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { deliveryEventType } from '../events/event-types.ts';
import { findDeliveryById, transitionDelivery } from '../invites/deliveries.repo.ts';
import type { DeliveryStatus } from '../invites/delivery-status.ts';
import { recordInviteEvent } from '../invites/invite-events.service.ts';
import { transactAndWake } from '../queue/transact.ts';
import { suppressIfFinal } from './suppressions.ts';

/** Moves the delivery as the status machine allows and records the change as an event of its invite, together. */
function moveDelivery(
  deps: Deps,
  delivery: DeliveriesTable,
  to: Exclude<DeliveryStatus, 'sent'>,
  detail: string | null = null,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return transactAndWake(deps, async (trx) => {
    const change = { updated_at: at, ...(detail === null ? {} : { status_detail: detail }) };
    if (!(await transitionDelivery(trx, delivery.client_id, delivery.id, to, change))) return false;
    const data = { delivery: delivery.id, method: delivery.method, ...(detail ? { detail } : {}) };
    await recordInviteEvent(trx, deps.config, {
      client_id: delivery.client_id,
      invite_id: delivery.invite_id,
      type: deliveryEventType(to),
      data,
      created_at: at,
    });
    return true;
  });
}

/** Undelivered, as the provider said; a STOP or a hard bounce also suppresses the address. */
async function markUndelivered(
  deps: Deps,
  delivery: DeliveriesTable,
  said: string,
  errorCode: string | undefined,
) {
  const reason = `${said}${errorCode ? ` (error ${errorCode})` : ''}`;
  await moveDelivery(deps, delivery, 'undelivered', reason);
  await suppressIfFinal(
    deps.db,
    delivery,
    { code: errorCode, message: reason },
    deps.clock.now().toISOString(),
  );
}

/** The recipient loaded the email or followed a link carrying the delivery reference. */
export async function markDeliveryOpened(deps: Deps, deliveryId: string, inviteId?: string): Promise<void> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (!delivery || (inviteId && delivery.invite_id !== inviteId)) return;
  await moveDelivery(deps, delivery, 'opened');
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
  if (status === 'delivered') {
    await moveDelivery(deps, delivery, 'delivered');
  } else if (status === 'undelivered' || status === 'failed') {
    await markUndelivered(deps, delivery, `carrier reported ${status}`, errorCode);
  }
}

/**
 * What a provider callback or the tracking image would report for a delivery of the client
 * (sandbox): `opened`, `delivered`, or `undelivered` with the provider's code, which
 * suppresses the address as a real STOP or hard bounce does. Returns the delivery's invite;
 * null when the client has no such delivery.
 */
export async function reportDeliveryStatus(
  deps: Deps,
  clientId: string,
  deliveryId: string,
  status: 'delivered' | 'undelivered' | 'opened',
  errorCode: string | undefined,
): Promise<string | null> {
  const delivery = await findDeliveryById(deps.db, deliveryId);
  if (!delivery || delivery.client_id !== clientId) return null;
  if (status !== 'undelivered') {
    await moveDelivery(deps, delivery, status);
    return delivery.invite_id;
  }
  await markUndelivered(deps, delivery, 'provider reported undelivered', errorCode);
  return delivery.invite_id;
}
