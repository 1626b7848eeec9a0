import type { Deps } from '../deps.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { listOutbox } from './outbox.repo.ts';
import {
  OutboxFilters as FiltersSchema,
  type OutboxFilters,
  type OutboxMessage,
  type OutboxQuery,
} from './outbox.schema.ts';

/** Captured email and SMS of one client, newest first, with the filters in effect. */
export async function readOutbox(deps: Deps, clientId: string, query: OutboxQuery) {
  const request = readPage<OutboxFilters>(query, {
    filtersSchema: FiltersSchema,
    firstFilters: () => {
      const { limit: _limit, cursor: _cursor, ...filters } = query;
      return filters;
    },
    defaultLimit: 20,
  });
  const rows = await listOutbox(deps.db, clientId, request.filters, request.page);
  const page = listPage(
    rows,
    request,
    `${deps.config.PUBLIC_URL}/outbox/messages`,
    (m): OutboxMessage => ({
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
    }),
  );
  return { page, filters: request.filters };
}

export async function listMessages(deps: Deps, clientId: string, query: OutboxQuery) {
  return (await readOutbox(deps, clientId, query)).page;
}
