import type { Db } from '../db/client.ts';
import type { InvitesTable } from '../db/tables.ts';
import { renderContextFor } from '../invites/invite-render.ts';
import { brandColor, brandLogo, companyOf, pick, placeholders } from '../templates/render.ts';

/** Everything customer-chosen that the recipient's pages show, with placeholders filled in. Not yet escaped. */
export interface Branding {
  /** The inviting company; null when nothing names one (the built-in texts then do without). */
  company: string | null;
  color: string;
  /** Text colour on `color` with the better contrast. */
  onColor: string;
  logo: string | null;
  landing: { header: string; subheader: string; steps: string[]; button: string };
  /** `button.url` null: the button leads back to Link to connect another account. */
  success: { header: string; subheader: string; button: { text: string; url: string | null } | null };
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

function luminance(hex: string): number {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** White or near-black, whichever reads better on the brand colour. */
export function textOn(color: string): string {
  const l = luminance(color);
  return contrast(l, 1) >= contrast(l, luminance('#111827')) ? '#ffffff' : '#111827';
}

const stepsFor = (named: boolean) => [
  'Find your employer or payroll provider.',
  'Log in with the username and password you use there.',
  named
    ? 'Your income and employment details are shared with [Company].'
    : 'Your income and employment details are shared with whoever invited you.',
];

/** The invite's landing and success page text: its override, else its legacy template, else defaults. */
export async function brandingFor(db: Db, invite: InvitesTable | null, publicUrl: string): Promise<Branding> {
  const ctx = invite
    ? await renderContextFor(db, invite, publicUrl)
    : { firstName: '', lastName: '', url: '', override: null, template: null };
  const sub = placeholders(ctx);
  const named = companyOf(ctx) !== undefined;
  const o = ctx.override;
  const t = ctx.template;
  const f = ctx.flow;
  const lp = o?.landing_page;
  const flp = f?.landing_page;
  // The steps come whole from the first layer that has any.
  const stepsOf = (p: typeof lp) =>
    [pick(p?.step_1), pick(p?.step_2), pick(p?.step_3)].filter((s) => s !== undefined);
  const steps = stepsOf(lp).length > 0 ? stepsOf(lp) : stepsOf(flp);
  const color = brandColor(ctx);
  const sp = o?.success_page;
  const fsp = f?.success_page;
  const pc = t?.page_config;
  let button: Branding['success']['button'] = null;
  const buttonText = pick(sp?.button_text);
  const templateButton = pc?.page_success_show_button ? pick(pc.page_success_button) : undefined;
  const flowButton = pick(fsp?.button_text);
  if (buttonText) {
    const url = pick(sp?.button_url);
    button = { text: sub(buttonText, 'line'), url: url && HTTP_URL.test(url) ? url : null };
  } else if (templateButton) {
    button = { text: sub(templateButton, 'line'), url: null };
  } else if (flowButton) {
    const url = pick(fsp?.button_url);
    button = { text: sub(flowButton, 'line'), url: url && HTTP_URL.test(url) ? url : null };
  }
  const logo = brandLogo(ctx);
  return {
    company: named ? sub('[Company]', 'line') : null,
    color,
    onColor: textOn(color),
    logo: logo && HTTP_URL.test(logo) ? logo : null,
    landing: {
      header: sub(pick(lp?.header, t?.page_heading, flp?.header) ?? 'Connect your payroll account', 'copy'),
      subheader: sub(
        pick(lp?.subheader, t?.page_description, flp?.subheader) ??
          (named
            ? '[Company] has asked you to connect your payroll account. It takes a few minutes.'
            : 'You have been asked to connect your payroll account. It takes a few minutes.'),
        'copy',
      ),
      steps: (steps.length > 0 ? steps : stepsFor(named)).map((s) => sub(s, 'copy')),
      button: sub(pick(t?.page_button) ?? 'Connect your account', 'line'),
    },
    success: {
      header: sub(
        pick(sp?.header, pc?.page_success_heading, fsp?.header) ?? 'Your account is connected',
        'copy',
      ),
      subheader: sub(
        pick(sp?.subheader, pc?.page_success_description, fsp?.subheader) ??
          (named
            ? "You're all set: [Company] can now see the details it asked for. You can close this page."
            : "You're all set: the details you were asked for are shared. You can close this page."),
        'copy',
      ),
      button,
    },
  };
}
