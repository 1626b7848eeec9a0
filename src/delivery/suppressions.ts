import type { Db } from '../db/client.ts';
import { addSuppression } from './suppressions.repo.ts';

/** Twilio: the recipient replied STOP. */
const OPTED_OUT = '21610';

/**
 * The one rule for which provider refusals mean "never write to this address again": a
 * STOP reply to a text (Twilio 21610), and a hard bounce (a 5xx answer) of an email.
 * Returns the reason to keep, or null when the refusal says nothing about the address.
 */
export function suppressionReason(
  method: 'email' | 'sms',
  code: string | null | undefined,
  message: string,
): string | null {
  if (method === 'sms' && code === OPTED_OUT) return 'recipient replied STOP (21610)';
  if (method === 'email' && code?.startsWith('5')) return `hard bounce: ${message.slice(0, 200)}`;
  return null;
}

/** Suppresses the delivery's recipient when the refusal calls for it (see suppressionReason). */
export async function suppressIfFinal(
  db: Db,
  delivery: { client_id: string; method: 'email' | 'sms'; recipient: string },
  refusal: { code: string | null | undefined; message: string },
  at: string,
): Promise<void> {
  const reason = suppressionReason(delivery.method, refusal.code, refusal.message);
  if (!reason) return;
  await addSuppression(db, {
    client_id: delivery.client_id,
    channel: delivery.method,
    address: delivery.recipient,
    reason,
    created_at: at,
  });
}
