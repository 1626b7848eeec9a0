import type { Db } from '../db/client.ts';
import { type RenderedInvite, renderContextFor } from '../invites/invite-render.ts';
import { copyFor, type Language } from '../templates/copy/index.ts';
import {
  brandColor,
  brandLogo,
  companyOf,
  pick,
  placeholders,
  type RenderContext,
} from '../templates/render.ts';

/** Everything customer-chosen that the recipient's pages show, with placeholders filled in. Not yet escaped. */
export interface Branding {
  /** The language of the built-in texts on every page: the rendering flow's, else English. */
  language: Language;
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

/**
 * The invite's landing and success page text: its override, else its legacy template, else its
 * flow's, else the built-in copy in the flow's language. A page shown before any invite exists
 * passes an empty invite naming the flow in `rendered_flow_id`.
 */
export async function brandingFor(
  db: Db,
  invite: RenderedInvite | null,
  publicUrl: string,
): Promise<Branding> {
  const ctx: RenderContext = invite
    ? await renderContextFor(db, invite, publicUrl)
    : { firstName: '', lastName: '', url: '', override: null, template: null };
  return brandingOf(ctx);
}

/** The branding of a render context already built (an invite's, or a draft flow's preview). */
export function brandingOf(ctx: RenderContext): Branding {
  const language = ctx.language ?? 'en';
  const copy = copyFor(language);
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
    language,
    company: named ? sub('[Company]', 'line') : null,
    color,
    onColor: textOn(color),
    logo: logo && HTTP_URL.test(logo) ? logo : null,
    landing: {
      header: sub(pick(lp?.header, t?.page_heading, flp?.header) ?? copy.landing.header, 'copy'),
      subheader: sub(
        pick(lp?.subheader, t?.page_description, flp?.subheader) ?? copy.landing.subheader(named),
        'copy',
      ),
      steps: (steps.length > 0 ? steps : copy.landing.steps(named)).map((s) => sub(s, 'copy')),
      button: sub(pick(t?.page_button) ?? copy.landing.button, 'line'),
    },
    success: {
      header: sub(pick(sp?.header, pc?.page_success_heading, fsp?.header) ?? copy.success.header, 'copy'),
      subheader: sub(
        pick(sp?.subheader, pc?.page_success_description, fsp?.subheader) ?? copy.success.subheader(named),
        'copy',
      ),
      button,
    },
  };
}
