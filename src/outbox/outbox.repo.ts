import type { Db } from '../db/client.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import { preparedInsert } from '../db/prepared.ts';
import type { OutboxFilters } from './outbox.schema.ts';

export function listOutbox(db: Db, clientId: string, filters: OutboxFilters, page: PageRequest) {
  let q = db
    .selectFrom('outbox_messages as m')
    .leftJoin('deliveries as d', (j) =>
      j.onRef('d.client_id', '=', 'm.client_id').onRef('d.id', '=', 'm.delivery_id'),
    )
    .selectAll('m')
    .select('d.invite_id')
    .where('m.client_id', '=', clientId);
  // Addresses are stored as given; an email address matches in any case.
  if (filters.to !== undefined) {
    const to = filters.to;
    q = to.includes('@')
      ? q.where((eb) => eb(eb.fn('lower', ['m.to_address']), '=', to.toLowerCase()))
      : q.where('m.to_address', '=', to);
  }
  if (filters.channel !== undefined) q = q.where('m.channel', '=', filters.channel);
  if (filters.invite !== undefined) q = q.where('d.invite_id', '=', filters.invite);
  return keyset(q, { createdAt: 'm.created_at', id: 'm.id' }, page).execute();
}

/** Where the capture channels keep what they "send". */
export const insertOutboxMessage = preparedInsert('outbox_messages');
