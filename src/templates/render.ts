import { escapeHtml } from '../lib/html.ts';
import { copyFor, type Language } from './copy/index.ts';
import type { OverrideInviteTemplate } from './override.schema.ts';
import { clip, fillPlaceholders, fillText, type PlaceholderValues, type TextLimit } from './placeholders.ts';
import type { InviteTemplateRequest } from './templates.schema.ts';

/** The client's invite settings that texts fall back on. */
export interface RenderSettings {
  company_name: string | null;
  sender: string | null;
  brand: { color: string | null; logo: string | null };
}

/**
 * What an invite message is rendered from. Each field comes from the first layer that sets
 * it: the override, the legacy template, the Email/SMS template (flow), the client's settings,
 * then the built-in copy.
 */
export interface RenderContext {
  firstName: string;
  lastName: string;
  url: string;
  override: OverrideInviteTemplate | null;
  template: InviteTemplateRequest | null;
  flow?: OverrideInviteTemplate | null;
  settings?: RenderSettings | null;
  /** The language of the built-in copy: the rendering flow's; English without one. */
  language?: Language;
  /** A reminder says so in its subject, and in the built-in body and SMS. */
  purpose?: 'invite' | 'reminder';
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  replyTo: string | null;
  /** Who the email comes from, by name (the signature); null: the configured From as it is. */
  sender: string | null;
}

export const DEFAULT_COLOR = '#1A56DB';

/**
 * The inviting company, when any layer names it. The built-in copy is worded without it when
 * none does; customer text that says [Company] then reads "Our team".
 */
export function companyOf(ctx: RenderContext): string | undefined {
  return pick(
    ctx.template?.company,
    ctx.settings?.company_name,
    ctx.override?.email?.sender,
    ctx.flow?.email?.sender,
  );
}

/** What each placeholder stands for: override, then legacy template, then defaults. */
function placeholderValues(ctx: RenderContext): PlaceholderValues {
  const company = companyOf(ctx) ?? copyFor(ctx.language).ourTeam;
  const templateSender = ctx.template?.sender;
  const sender =
    ctx.override?.email?.sender ??
    (templateSender === undefined ? undefined : fillText(templateSender, { '[Company]': company }, 'line')) ??
    pick(ctx.flow?.email?.sender, ctx.settings?.sender) ??
    company;
  const name = `${ctx.firstName} ${ctx.lastName}`.trim();
  return { '[Name]': name, '[Company]': company, '[Sender]': sender, '[Link]': ctx.url };
}

/**
 * Fills [Name], [Company], [Sender] and [Link] in customer text, each value inserted as it is,
 * and bounds the result by the kind of field it is (see TEXT_LIMITS).
 */
export function placeholders(ctx: RenderContext) {
  const values = placeholderValues(ctx);
  return (text: string, limit: TextLimit = 'copy') => fillText(text, values, limit);
}

export function pick(...values: (string | null | undefined)[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}

export function renderEmail(ctx: RenderContext): RenderedEmail {
  const sub = placeholders(ctx);
  const o = ctx.override?.email;
  const t = ctx.template;
  const f = ctx.flow?.email;
  const named = companyOf(ctx) !== undefined;
  const copy = copyFor(ctx.language).email;
  const reminder = ctx.purpose === 'reminder';
  const subject = sub(
    (reminder ? copy.reminderPrefix : '') + (pick(o?.subject, t?.subject, f?.subject) ?? copy.subject(named)),
    'subject',
  );
  const header = sub(pick(o?.header, t?.header, f?.header) ?? copy.header, 'copy');
  const body = sub(
    pick(o?.subheader, t?.email_body, f?.subheader) ??
      (reminder ? copy.reminderBody(named) : copy.body(named)),
    'body',
  );
  const button = sub(pick(t?.button) ?? copy.button, 'line');
  // No signature at all rather than a made-up one.
  const signed = pick(o?.sender, t?.sender, f?.sender, ctx.settings?.sender) ?? (named ? '[Company]' : '');
  const sender = signed ? sub(signed, 'line') : '';
  const color = brandColor(ctx);
  const logo = brandLogo(ctx);
  // The icon rows come whole from the first layer that has any.
  const rowsOf = o && hasRows(o) ? o : f && hasRows(f) ? f : o;
  const rows = ([1, 2, 3] as const)
    .map((i) => ({
      icon: pick(rowsOf?.[`body_text_icon_${i}`]),
      heading: pick(rowsOf?.[`body_text_header_${i}`]),
      text: pick(rowsOf?.[`body_text_subheader_${i}`]),
    }))
    .filter((r) => r.heading || r.text)
    .map((r) => ({
      icon: r.icon,
      heading: r.heading === undefined ? undefined : sub(r.heading, 'copy'),
      text: r.text === undefined ? undefined : sub(r.text, 'copy'),
    }));

  const text = [
    header,
    '',
    body,
    ...rows.flatMap((r) => ['', [r.heading, r.text].filter((s) => s !== undefined).join(': ')]),
    '',
    `${button}: ${ctx.url}`,
    ...(sender ? ['', `— ${sender}`] : []),
  ].join('\n');

  const e = escapeHtml;
  const rowHtml = rows
    .map(
      (r) =>
        `<tr><td style="padding:8px 0;vertical-align:top;width:40px">${
          r.icon ? `<img src="${e(r.icon)}" width="28" height="28" alt="" style="display:block">` : ''
        }</td><td style="padding:8px 0;font:14px/20px Arial,sans-serif;color:#374151">${
          r.heading === undefined ? '' : `<strong style="color:#111827">${e(r.heading)}</strong><br>`
        }${r.text === undefined ? '' : e(r.text)}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html lang="${e(ctx.language ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px;overflow-wrap:anywhere;word-break:break-word">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;border-top:4px solid ${e(color)}">
<tr><td style="padding:32px 32px 8px">${logo ? `<img src="${e(logo)}" alt="" width="48" height="48" style="display:block;border-radius:24px;margin-bottom:16px">` : ''}
<h1 style="margin:0 0 12px;font:bold 22px/28px Arial,sans-serif;color:#111827">${e(header)}</h1>
<p style="margin:0;font:15px/22px Arial,sans-serif;color:#374151">${e(body)}</p></td></tr>
${rowHtml ? `<tr><td style="padding:8px 32px"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rowHtml}</table></td></tr>` : ''}
<tr><td style="padding:16px 32px 32px"><a href="${e(ctx.url)}" style="display:inline-block;padding:12px 24px;background:${e(color)};color:#ffffff;text-decoration:none;border-radius:6px;font:bold 15px Arial,sans-serif">${e(button)}</a>
${sender ? `<p style="margin:24px 0 0;font:13px/18px Arial,sans-serif;color:#6b7280">${e(sender)}</p>` : ''}</td></tr>
</table></td></tr></table></body></html>`;

  return { subject, text, html, replyTo: t?.reply_to ?? null, sender: sender || null };
}

type EmailLayer = NonNullable<OverrideInviteTemplate['email']>;

function hasRows(layer: EmailLayer): boolean {
  return ([1, 2, 3] as const).some((i) =>
    pick(layer[`body_text_header_${i}`], layer[`body_text_subheader_${i}`]),
  );
}

/** The brand colour: the override's, the flow's, the settings', or the default. */
export function brandColor(ctx: RenderContext): string {
  return pick(ctx.override?.brand?.color, ctx.flow?.brand?.color, ctx.settings?.brand.color) ?? DEFAULT_COLOR;
}

/** The logo: the override's, the legacy template's, the flow's or the settings'. */
export function brandLogo(ctx: RenderContext): string | undefined {
  return pick(
    ctx.override?.brand?.logo,
    ctx.template?.logo_url,
    ctx.flow?.brand?.logo,
    ctx.settings?.brand.logo,
  );
}

/** Twilio refuses a longer message body. */
const SMS_MAX = 1_600;
/** Marks a shortened SMS text; three dots keep a GSM-7 message GSM-7. */
const SMS_MORE = '...';

// Before the link: the start, a space, an opening bracket or quote. After it: punctuation that
// ends a sentence rather than continues the URL, then the end or a space. `https://x/i/1.`
// names https://x/i/1; `https://x/i/10` and `?next=https://x/i/1` do not.
const LINK_END = /[.,;:!?'")\]}>]*(?:\s|$)/y;
const LINK_START = /[\s(<["']/;

/** Whether `url` stands in `text` as a link of its own, not as part of a longer URL. */
function hasLink(text: string, url: string): boolean {
  for (let at = text.indexOf(url); at !== -1; at = text.indexOf(url, at + 1)) {
    const before = at === 0 ? ' ' : text.charAt(at - 1);
    LINK_END.lastIndex = at + url.length;
    if (LINK_START.test(before) && LINK_END.test(text)) return true;
  }
  return false;
}

export function renderSms(ctx: RenderContext): string {
  const copy = copyFor(ctx.language).sms;
  const builtIn = ctx.purpose === 'reminder' ? copy.reminder : copy.invite;
  const raw =
    pick(ctx.override?.sms_text, ctx.template?.sms_body, ctx.flow?.sms_text) ??
    builtIn(companyOf(ctx) !== undefined);
  const text = fillPlaceholders(raw, placeholderValues(ctx), SMS_MAX);
  if (text.length <= SMS_MAX && hasLink(text, ctx.url)) return text;
  // The message is useless without its link, so add it when the customer's text leaves it out,
  // and when the whole does not fit, shorten the text: the link stays whole, at the end.
  const room = SMS_MAX - ctx.url.length - 1;
  if (text.length <= room) return `${text} ${ctx.url}`;
  // A copy of the link where the text is cut would leave half a URL: cut before it instead.
  const keep = room - SMS_MORE.length;
  const straddling = text.lastIndexOf(ctx.url, keep);
  const kept = straddling !== -1 && straddling + ctx.url.length > keep ? text.slice(0, straddling) : text;
  return `${clip(kept.trimEnd(), room, SMS_MORE)} ${ctx.url}`;
}
