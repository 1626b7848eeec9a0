import { Type } from '@sinclair/typebox';
import { AppError } from '../errors.ts';
import type { InviteFilters } from './invites.repo.ts';
import { INVITE_STATUSES, type InviteStatus, type ListInvitesQuery } from './invites.schema.ts';

/** The filters a list cursor may carry. */
export const InviteFiltersSchema = Type.Object({
  status: Type.Optional(
    Type.Array(Type.Union(INVITE_STATUSES.map((s) => Type.Literal(s))), { minItems: 1, maxItems: 5 }),
  ),
  reply_to: Type.Optional(Type.String({ maxLength: 254 })),
});

/** `status` comes as `a,b` or repeated; every value must be a known status. */
export function parseInviteFilters(query: ListInvitesQuery): InviteFilters {
  const filters: InviteFilters = {};
  if (query.status) {
    const values = query.status
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = values.filter((v) => !(INVITE_STATUSES as readonly string[]).includes(v));
    if (unknown.length > 0) {
      throw AppError.fields({
        status: unknown.map((v) => `Select a valid choice. "${v}" is not one of the available choices.`),
      });
    }
    if (values.length > 0) filters.status = [...new Set(values)].sort() as InviteStatus[];
  }
  if (query.reply_to !== undefined) filters.reply_to = query.reply_to.toLowerCase();
  return filters;
}
