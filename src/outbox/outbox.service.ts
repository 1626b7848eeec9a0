import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { parseUuid } from '../lib/ids.ts';
import { iso } from '../lib/time.ts';
import { findOutboxMessage, listOutbox, type OutboxScope } from './outbox.repo.ts';
import {
  OutboxFilters as FiltersSchema,
  type OutboxFilters,
  type OutboxMessage,
  type OutboxQuery,
} from './outbox.schema.ts';

export type { OutboxScope } from './outbox.repo.ts';

type MessageRow = NonNullable<Awaited<ReturnType<typeof findOutboxMessage>>>;

function toOutboxMessage(m: MessageRow): OutboxMessage {
  return {
    id: m.id,
    channel: m.channel,
    to: m.to_address,
    from: m.from_address,
    reply_to: m.reply_to,
    message_id: m.message_id,
    subject: m.subject,
    text: m.text_body,
    html: m.html_body,
    delivery_id: m.delivery_id,
    invite_id: m.invite_id ?? null,
    created_at: iso(m.created_at),
  };
}

/**
 * Captured email and SMS of one client, newest first, with the filters in effect; `scope`
 * narrows them to what a Console member may see (the cursors never carry it).
 */
export async function readOutbox(deps: Deps, clientId: string, query: OutboxQuery, scope?: OutboxScope) {
  const request = readPage<OutboxFilters>(query, {
    filtersSchema: FiltersSchema,
    firstFilters: () => {
      const { limit: _limit, cursor: _cursor, ...filters } = query;
      return filters;
    },
    defaultLimit: 20,
  });
  const rows = await listOutbox(deps.db, clientId, request.filters, request.page, scope);
  const page = listPage(rows, request, `${deps.config.PUBLIC_URL}/outbox/messages`, toOutboxMessage);
  return { page, filters: request.filters };
}

/** One captured message the scope lets its reader see, or 404 as for any other id. */
export async function readOutboxMessage(
  deps: Deps,
  clientId: string,
  id: string,
  scope: OutboxScope,
): Promise<OutboxMessage> {
  const uuid = parseUuid(id);
  const row = uuid ? await findOutboxMessage(deps.db, clientId, uuid, scope) : undefined;
  if (!row) throw AppError.notFound();
  return toOutboxMessage(row);
}

export async function listMessages(deps: Deps, clientId: string, query: OutboxQuery) {
  return (await readOutbox(deps, clientId, query)).page;
}
