import type { DeliveriesTable } from '../db/tables.ts';

export type DeliveryStatus = DeliveriesTable['status'];

/**
 * The delivery status machine: which status may follow which. Signals arrive late, twice
 * or out of order (a carrier's "delivered" after the recipient already opened the link),
 * so a delivery only ever moves along these arrows; `opened` and `undelivered` are final.
 */
const NEXT: { readonly [S in DeliveryStatus]: readonly DeliveryStatus[] } = {
  sent: ['delivered', 'opened', 'undelivered'],
  delivered: ['opened', 'undelivered'],
  opened: [],
  undelivered: [],
};

/** The statuses a delivery may move to `to` from. */
export function deliveryMovableFrom(to: DeliveryStatus): DeliveryStatus[] {
  return (Object.keys(NEXT) as DeliveryStatus[]).filter((from) => NEXT[from].includes(to));
}
