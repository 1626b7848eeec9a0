import type { Deps } from '../deps.ts';
import { type RenderedInvite, renderContextFor } from '../invites/invite-render.ts';
import { type SmsCost, smsCost } from '../lib/sms-segments.ts';
import { brandingFor } from '../link/branding.ts';
import { landingPage } from '../link/pages/landing.ts';
import { successPage } from '../link/pages/success.ts';
import { renderEmail, renderSms } from '../templates/render.ts';

/** What the recipient will get, rendered before anything is sent. */
export interface SendPreview {
  email: { subject: string; html: string };
  sms: { text: string; cost: SmsCost };
  landing: string;
  success: string;
}

/**
 * The email, SMS, landing page and success page of a draft invite, rendered by the functions
 * the real messages and the recipient's pages use. The pages' buttons lead nowhere: the draft
 * has no URL yet.
 */
export async function previewSend(deps: Deps, draft: RenderedInvite): Promise<SendPreview> {
  const publicUrl = deps.config.PUBLIC_URL;
  const [ctx, brand] = await Promise.all([
    renderContextFor(deps.db, draft, publicUrl),
    brandingFor(deps.db, draft, publicUrl),
  ]);
  const email = renderEmail(ctx);
  const sms = renderSms(ctx);
  return {
    email: { subject: email.subject, html: email.html },
    sms: { text: sms, cost: smsCost(sms) },
    landing: landingPage(brand, { action: '#', csrf: '' }),
    success: successPage(brand, { connectAnother: '#' }),
  };
}
