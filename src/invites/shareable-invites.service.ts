import type { FlowsTable, InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { shareableSettingsOf } from '../flows/flows.service.ts';
import { newId } from '../lib/ids.ts';
import { transactAndWake } from '../queue/transact.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import { recordInviteEvent } from './invite-events.service.ts';
import { advanceInvite, findInvite } from './invites.repo.ts';
import { expiryOf, insertNewInvite } from './new-invite.ts';
import { claimEntry, entryInvite } from './shareable-entries.repo.ts';

/** What a Shareable URL's visitor brings: the URL's `?external_id=` and `?email=`, checked. */
export interface ShareableVisitor {
  externalId: string | null;
  email: string | null;
}

/**
 * Who is told when the visitor completes: the flow's notification list, or the URL's email
 * when the flow lets it replace the list.
 */
function replyToOf(flow: FlowsTable, visitor: ShareableVisitor): string[] {
  const settings = shareableSettingsOf(flow);
  if (visitor.email && settings.allow_email_override) return [visitor.email];
  return settings.notify_emails;
}

/**
 * The invite of a visitor who entered Link through a Shareable URL, made in one transaction
 * as a send and an entry would make it: a user, an invite with no deliveries (nothing is sent
 * to anyone), `invite.sent`, then `initiated` at once, with their events and webhooks. The
 * hosted product knows no name for such a visitor, so the names are empty. The landing form's
 * `submissionId` makes one invite however often the form is sent: again, it answers the first.
 */
export async function createShareableInvite(
  deps: Deps,
  flow: FlowsTable,
  visitor: ShareableVisitor,
  submissionId: string,
): Promise<InvitesTable> {
  const clientId = flow.client_id;
  const settings = await loadInviteSettings(deps.db, clientId);
  const replyTo = replyToOf(flow, visitor);
  const now = deps.clock.now().toISOString();
  const row: InvitesTable = {
    client_id: clientId,
    id: newId(),
    user_id: newId(),
    first_name: '',
    last_name: '',
    email: null,
    phone_number: null,
    phone_e164: null,
    status: 'sent',
    group_id: null,
    flow_id: flow.id,
    flow_items: '[]',
    reply_to: JSON.stringify(replyTo),
    external_id: visitor.externalId,
    dds_config: null,
    override_invite_template: null,
    invite_template_id: null,
    rendered_flow_id: flow.id,
    expires_at: expiryOf(settings, now),
    expired_at: null,
    reminder_count: 0,
    created_at: now,
    updated_at: now,
    invited_at: now,
    revoked_at: null,
  };
  const entry = { client_id: clientId, flow_id: flow.id, submission_id: submissionId };
  return transactAndWake(deps, async (trx) => {
    if (!(await claimEntry(trx, { ...entry, invite_id: row.id, created_at: now }))) {
      const made = await entryInvite(trx, entry);
      const invite = made ? await findInvite(trx, clientId, made) : undefined;
      if (!invite) throw new Error('a claimed Shareable URL entry has no invite');
      return invite;
    }
    // The hosted product knows no name or address for a visitor: the user has none either.
    await insertNewInvite(
      trx,
      row,
      { first_name: null, last_name: null, email: null, phone_number: null },
      replyTo,
    );
    const event = { client_id: clientId, invite_id: row.id, created_at: now };
    await recordInviteEvent(trx, deps.config, { ...event, type: 'invite.sent', data: { deliveries: [] } });
    const entered = await advanceInvite(trx, row, 'initiated', now);
    await recordInviteEvent(trx, deps.config, {
      ...event,
      type: 'invite.initiated',
      data: { via: 'shareable_url' },
    });
    return entered ?? row;
  });
}
