import type { Db } from '../db/client.ts';
import { parseJson } from '../db/json.ts';
import type { InvitesTable } from '../db/tables.ts';
import { findFlow } from '../flows/flows.repo.ts';
import type { FlowTemplate } from '../flows/flows.schema.ts';
import { flowTemplateOf } from '../flows/flows.service.ts';
import { inviteUrl } from '../lib/links.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import type { Language } from '../templates/copy/index.ts';
import type { OverrideInviteTemplate } from '../templates/override.schema.ts';
import type { RenderContext } from '../templates/render.ts';
import { findTemplate } from '../templates/templates.repo.ts';
import type { InviteTemplateRequest } from '../templates/templates.schema.ts';

/** What an invite renders from; a page branded from a flow alone passes an empty invite of it. */
export type RenderedInvite = Pick<
  InvitesTable,
  | 'client_id'
  | 'id'
  | 'first_name'
  | 'last_name'
  | 'override_invite_template'
  | 'invite_template_id'
  | 'rendered_flow_id'
>;

/**
 * What an invite's messages and pages are rendered from, field by field: its override, its
 * legacy template, the Email/SMS template that rendered it (as it is now, even if deleted
 * since), the client's invite settings, then the built-in copy in the flow's language.
 */
export async function renderContextFor(
  db: Db,
  invite: RenderedInvite,
  publicUrl: string,
): Promise<RenderContext> {
  const [template, flow, settings] = await Promise.all([
    invite.invite_template_id
      ? findTemplate(db, invite.client_id, invite.invite_template_id, { includeDeleted: true })
      : undefined,
    invite.rendered_flow_id
      ? findFlow(db, invite.client_id, invite.rendered_flow_id, { includeDeleted: true })
      : undefined,
    loadInviteSettings(db, invite.client_id),
  ]);
  return {
    firstName: invite.first_name,
    lastName: invite.last_name,
    url: inviteUrl(publicUrl, invite.id),
    override: invite.override_invite_template
      ? parseJson<OverrideInviteTemplate>(invite.override_invite_template)
      : null,
    template: template ? parseJson<InviteTemplateRequest>(template.data) : null,
    flow: flow ? flowTemplateOf(flow) : null,
    settings: { company_name: settings.company_name, sender: settings.sender, brand: settings.brand },
    language: flow?.language ?? 'en',
  };
}

/**
 * The context of a flow that is not saved (the Console's preview): the draft's texts and
 * language over the client's settings, for a sample recipient.
 */
export async function draftRenderContext(
  db: Db,
  clientId: string,
  draft: { language: Language; template: FlowTemplate },
  sample: { firstName: string; lastName: string; url: string },
): Promise<RenderContext> {
  const settings = await loadInviteSettings(db, clientId);
  return {
    ...sample,
    override: null,
    template: null,
    flow: draft.template,
    settings: { company_name: settings.company_name, sender: settings.sender, brand: settings.brand },
    language: draft.language,
  };
}
