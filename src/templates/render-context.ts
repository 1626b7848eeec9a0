import type { Db } from '../db/client.ts';
import type { InvitesTable } from '../db/tables.ts';
import { inviteUrl } from '../lib/links.ts';
import type { OverrideInviteTemplate } from './override.schema.ts';
import type { RenderContext } from './render.ts';
import { findTemplate } from './templates.repo.ts';
import type { InviteTemplateRequest } from './templates.schema.ts';

type RenderedInvite = Pick<
  InvitesTable,
  'client_id' | 'id' | 'first_name' | 'last_name' | 'override_invite_template' | 'invite_template_id'
>;

/** What an invite's messages and pages are rendered from: its override and its legacy template, if any. */
export async function renderContextFor(
  db: Db,
  invite: RenderedInvite,
  publicUrl: string,
): Promise<RenderContext> {
  const template = invite.invite_template_id
    ? await findTemplate(db, invite.client_id, invite.invite_template_id, { includeDeleted: true })
    : undefined;
  return {
    firstName: invite.first_name,
    lastName: invite.last_name,
    url: inviteUrl(publicUrl, invite.id),
    override: invite.override_invite_template
      ? (JSON.parse(invite.override_invite_template) as OverrideInviteTemplate)
      : null,
    template: template ? (JSON.parse(template.data) as InviteTemplateRequest) : null,
  };
}
