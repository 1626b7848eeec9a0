import type { Config } from '../config.ts';
import type { InviteEventsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listEvents } from '../events/events.repo.ts';
import { type NewInviteEvent, recordEvent } from '../events/recorder.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import type { JobTx } from '../queue/transact.ts';
import type { InviteEvent, ListEventsQuery } from './invite-events.schema.ts';
import { findInvite } from './invites.repo.ts';
import { invitePayload } from './invites.view.ts';

function toInviteEvent(row: InviteEventsTable): InviteEvent {
  return {
    id: row.id,
    invite: row.invite_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    created_at: iso(row.created_at),
  };
}

/**
 * Records an event in the invite's history, in the transaction that made the change; its
 * webhooks carry the invite as of that transaction.
 */
export function recordInviteEvent(
  trx: JobTx,
  config: Pick<Config, 'PUBLIC_URL'>,
  event: NewInviteEvent,
): Promise<void> {
  return recordEvent(trx, event, invitePayload(trx, config, event.client_id, event.invite_id));
}

/** The invite's history, newest first; another client's invite is not found. */
export async function listInviteEvents(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  inviteId: string,
  query: ListEventsQuery,
) {
  if (!(await findInvite(deps.db, clientId, inviteId))) throw AppError.notFound();
  const request = readPage(query);
  const rows = await listEvents(deps.db, clientId, inviteId, request.page);
  const base = `${deps.config.PUBLIC_URL}/v2/invites/${inviteId}/events`;
  return listPage(rows, request, base, toInviteEvent);
}
