import { describe, expect, it } from 'vitest';
import { type DeliveryStatus, deliveryMovableFrom } from '../../src/invites/delivery-status.ts';

const STATUSES: DeliveryStatus[] = ['sent', 'delivered', 'opened', 'undelivered'];
const sorted = (list: DeliveryStatus[]) => [...list].sort();

describe('delivery status machine', () => {
  it('never moves a delivery back to sent', () => {
    expect(deliveryMovableFrom('sent')).toEqual([]);
  });

  it('marks only a sent delivery delivered', () => {
    expect(deliveryMovableFrom('delivered')).toEqual(['sent']);
  });

  it('marks a sent or delivered delivery opened or undelivered', () => {
    expect(sorted(deliveryMovableFrom('opened'))).toEqual(['delivered', 'sent']);
    expect(sorted(deliveryMovableFrom('undelivered'))).toEqual(['delivered', 'sent']);
  });

  it('never moves a delivery out of opened or undelivered', () => {
    for (const to of STATUSES) {
      expect(deliveryMovableFrom(to)).not.toContain('opened');
      expect(deliveryMovableFrom(to)).not.toContain('undelivered');
    }
  });

  it('ignores a repeated signal', () => {
    for (const status of STATUSES) expect(deliveryMovableFrom(status)).not.toContain(status);
  });

  it('ignores a late "delivered" after the recipient opened the link', () => {
    expect(deliveryMovableFrom('delivered')).not.toContain('opened');
  });
});
