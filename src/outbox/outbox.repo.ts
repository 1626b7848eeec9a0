import type { Db } from '../db/client.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import { preparedInsert } from '../db/prepared.ts';
import { visibleInvite } from '../members/invite-visibility.repo.ts';
import type { InviteVisibility } from '../members/roles.ts';
import type { OutboxFilters } from './outbox.schema.ts';

/**
 * Which of a client's messages a reader may see. Without one (the API key) every message is;
 * a Console member sees the messages of the invites they may see, and those of no invite
 * (members' emails, completion notices) only when `unlinked` says so.
 */
export interface OutboxScope {
  /** The invites whose messages show: null for every invite of the client. */
  invites: InviteVisibility['only'];
  unlinked: boolean;
}

function messages(db: Db, clientId: string, scope: OutboxScope | undefined) {
  let q = db
    .selectFrom('outbox_messages as m')
    .leftJoin('deliveries as d', (j) =>
      j.onRef('d.client_id', '=', 'm.client_id').onRef('d.id', '=', 'm.delivery_id'),
    )
    .selectAll('m')
    .select('d.invite_id')
    .where('m.client_id', '=', clientId);
  if (!scope) return q;
  if (!scope.unlinked) q = q.where('d.invite_id', 'is not', null);
  const only = scope.invites;
  if (!only) return q;
  return q.where((eb) => {
    const visible = eb
      .selectFrom('invites as i')
      .select('i.id')
      .where('i.client_id', '=', clientId)
      .where(visibleInvite(clientId, only));
    const ors = [eb('d.invite_id', 'in', visible)];
    if (scope.unlinked) ors.push(eb('d.invite_id', 'is', null));
    return eb.or(ors);
  });
}

export function listOutbox(
  db: Db,
  clientId: string,
  filters: OutboxFilters,
  page: PageRequest,
  scope?: OutboxScope,
) {
  let q = messages(db, clientId, scope);
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

export function findOutboxMessage(db: Db, clientId: string, id: string, scope: OutboxScope) {
  return messages(db, clientId, scope).where('m.id', '=', id).executeTakeFirst();
}

/** Where the capture channels keep what they "send". */
export const insertOutboxMessage = preparedInsert('outbox_messages');
