import { type RawBuilder, sql } from 'kysely';
import type { InviteVisibility } from './roles.ts';

/**
 * Whether the invite aliased `i` is one a member limited to `only` may see: one they sent, one
 * that notifies their address (they were Cc'd), or one of their groups'. Every list that filters
 * by what a member sees (invites, their messages) applies this one condition.
 */
export function visibleInvite(
  clientId: string,
  only: NonNullable<InviteVisibility['only']>,
): RawBuilder<boolean> {
  const ccd = sql`i.id in (select r.invite_id from invite_reply_to r where r.client_id = ${clientId} and r.email = ${only.replyTo})`;
  const groups = only.groupIds.length > 0 ? sql` or i.group_id in (${sql.join(only.groupIds)})` : sql``;
  return sql<boolean>`(i.sent_by_member_id = ${only.sentBy} or ${ccd}${groups})`;
}
