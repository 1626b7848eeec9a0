import type { Deps } from '../deps.ts';
import type { FlowTemplate, FlowType } from '../flows/flows.schema.ts';
import { draftRenderContext } from '../invites/invite-render.ts';
import { inviteUrl } from '../lib/links.ts';
import { type SmsCost, smsCost } from '../lib/sms-segments.ts';
import { brandingOf } from '../link/branding.ts';
import { landingPage } from '../link/pages/landing.ts';
import { successPage } from '../link/pages/success.ts';
import { renderEmail, renderSms } from '../templates/render.ts';

/** What a recipient would get from a flow: the messages (an Email/SMS template only) and both pages. */
export interface TemplatePreview {
  language: string;
  email: { subject: string; html: string } | null;
  sms: { text: string; cost: SmsCost } | null;
  landingHtml: string;
  successHtml: string;
}

/** The recipient every preview is addressed to. */
const SAMPLE = { firstName: 'Jordan', lastName: 'Rivera' } as const;

/**
 * Renders a draft flow exactly as a send and the recipient's pages would (the client's settings
 * underneath, the built-in copy in its language), from the draft itself: nothing is written.
 */
export async function previewTemplate(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  draft: { type: FlowType; language: string; template: Record<string, unknown> },
): Promise<TemplatePreview> {
  const url = inviteUrl(deps.config.PUBLIC_URL, 'preview');
  const ctx = await draftRenderContext(
    deps.db,
    clientId,
    { language: draft.language === 'es' ? 'es' : 'en', template: draft.template as FlowTemplate },
    { ...SAMPLE, url },
  );
  const brand = brandingOf(ctx);
  const sends = draft.type === 'email_sms_template';
  const email = sends ? renderEmail(ctx) : null;
  const sms = sends ? renderSms(ctx) : null;
  return {
    language: brand.language,
    email: email && { subject: email.subject, html: email.html },
    sms: sms === null ? null : { text: sms, cost: smsCost(sms) },
    landingHtml: landingPage(brand, { action: '#', csrf: '' }),
    successHtml: successPage(brand, { connectAnother: '#' }),
  };
}
