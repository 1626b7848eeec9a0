import { Type } from '@sinclair/typebox';
import type { InviteEventsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildPage, decodeCursor, type PageRequest } from '../http/pagination.ts';
import { findInvite } from '../invites/invites.repo.ts';
import { iso } from '../lib/time.ts';
import { listEvents } from './events.repo.ts';
import type { InviteEvent, ListEventsQuery } from './events.schema.ts';

const NoFilters = Type.Object({}, { additionalProperties: false });

export function toInviteEvent(row: InviteEventsTable): InviteEvent {
  return {
    id: row.id,
    invite: row.invite_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    created_at: iso(row.created_at),
  };
}

/** The invite's history, newest first; another client's invite is not found. */
export async function listInviteEvents(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  inviteId: string,
  query: ListEventsQuery,
) {
  if (!(await findInvite(deps.db, clientId, inviteId))) throw AppError.notFound();
  const page: PageRequest =
    query.cursor !== undefined
      ? decodeCursor(query.cursor, NoFilters).page
      : { direction: 'next', key: null, limit: query.limit ?? 10 };
  const rows = await listEvents(deps.db, clientId, inviteId, page);
  const base = `${deps.config.PUBLIC_URL}/v2/invites/${inviteId}/events`;
  const result = buildPage(rows, page, {}, base);
  return { next: result.next, previous: result.previous, results: result.rows.map(toInviteEvent) };
}
