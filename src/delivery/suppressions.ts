import type { Db } from '../db/client.ts';
import type { SuppressionsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { addSuppression, allSuppressions, deleteSuppression, listSuppressions } from './suppressions.repo.ts';
import type { ListSuppressionsQuery, SuppressionObject } from './suppressions.schema.ts';

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

export function toSuppressionObject(row: SuppressionsTable): SuppressionObject {
  return { channel: row.channel, address: row.address, reason: row.reason, created_at: iso(row.created_at) };
}

/** The client's suppressed addresses, a page at a time, newest first. */
export async function readSuppressions(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  query: ListSuppressionsQuery,
) {
  // Suppressions page on (created_at, address): an address is up to 320 characters.
  const request = readPage(query, { keyLength: 320 });
  const rows = await listSuppressions(deps.db, clientId, request.page);
  return listPage(
    rows.map((r) => ({ ...r, id: r.address })),
    request,
    `${deps.config.PUBLIC_URL}/v2/suppressions`,
    toSuppressionObject,
  );
}

/** Lets messages go to `address` again; 404 when the client has not suppressed it. */
export async function releaseSuppression(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  address: string,
): Promise<void> {
  if ((await deleteSuppression(deps.db, clientId, address)) === 0) throw AppError.notFound();
}

/** Every suppression, of one client or of all clients (the command line). */
export function suppressedAddresses(deps: Pick<Deps, 'db'>, clientId: string | undefined) {
  return allSuppressions(deps.db, clientId);
}

/** Releases `address` in one client or in all; how many suppressions went. */
export function releaseAddress(deps: Pick<Deps, 'db'>, clientId: string | undefined, address: string) {
  return deleteSuppression(deps.db, clientId, address);
}
