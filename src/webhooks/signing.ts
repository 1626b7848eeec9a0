import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Argyle-Signature';
export const EVENT_ID_HEADER = 'X-Invitekit-Event-Id';
export const DELIVERY_ID_HEADER = 'X-Invitekit-Delivery-Id';
export const TIMESTAMP_HEADER = 'X-Invitekit-Timestamp';

/** The hosted API's signature: hex HMAC-SHA512 of the raw body, keyed with the subscription's secret. */
export function sign(secret: string, body: string): string {
  return createHmac('sha512', secret).update(body, 'utf8').digest('hex');
}

/** A secret for a subscription created without one: 256 random bits. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}
