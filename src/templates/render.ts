import { escapeHtml } from '../lib/html.ts';
import type { OverrideInviteTemplate } from './override.schema.ts';
import type { InviteTemplateRequest } from './templates.schema.ts';

/** What an invite message is rendered from, in precedence order: override, legacy template, defaults. */
export interface RenderContext {
  firstName: string;
  lastName: string;
  url: string;
  override: OverrideInviteTemplate | null;
  template: InviteTemplateRequest | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  replyTo: string | null;
}

export const DEFAULT_COLOR = '#1A56DB';

/** Replaces [Name], [Company], [Sender] and [Link] in customer text. */
export function placeholders(ctx: RenderContext) {
  const company = ctx.template?.company ?? ctx.override?.email?.sender ?? 'Our team';
  const sender =
    ctx.override?.email?.sender ?? ctx.template?.sender?.replaceAll('[Company]', company) ?? company;
  const name = `${ctx.firstName} ${ctx.lastName}`.trim();
  return (text: string) =>
    text
      .replaceAll('[Name]', name)
      .replaceAll('[Company]', company)
      .replaceAll('[Sender]', sender)
      .replaceAll('[Link]', ctx.url);
}

function pick(...values: (string | null | undefined)[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}

export function renderEmail(ctx: RenderContext): RenderedEmail {
  const sub = placeholders(ctx);
  const o = ctx.override?.email;
  const t = ctx.template;
  const subject = sub(
    pick(o?.subject, t?.subject) ?? '[Company] invites you to connect your payroll account',
  );
  const header = sub(pick(o?.header, t?.header) ?? 'Connect your payroll account');
  const body = sub(
    pick(o?.subheader, t?.email_body) ??
      'Hi [Name], [Company] has asked you to connect your payroll account. It takes a few minutes.',
  );
  const button = sub(pick(t?.button) ?? 'Connect your account');
  const sender = sub(pick(o?.sender, t?.sender) ?? '[Company]');
  const color = pick(ctx.override?.brand?.color) ?? DEFAULT_COLOR;
  const logo = pick(ctx.override?.brand?.logo, t?.logo_url);
  const rows = ([1, 2, 3] as const)
    .map((i) => ({
      icon: pick(o?.[`body_text_icon_${i}`]),
      heading: pick(o?.[`body_text_header_${i}`]),
      text: pick(o?.[`body_text_subheader_${i}`]),
    }))
    .filter((r) => r.heading || r.text);

  const text = [
    header,
    '',
    body,
    ...rows.flatMap((r) => [
      '',
      [r.heading, r.text]
        .filter(Boolean)
        .map((s) => sub(s ?? ''))
        .join(': '),
    ]),
    '',
    `${button}: ${ctx.url}`,
    '',
    `— ${sender}`,
  ].join('\n');

  const e = escapeHtml;
  const rowHtml = rows
    .map(
      (r) =>
        `<tr><td style="padding:8px 0;vertical-align:top;width:40px">${
          r.icon ? `<img src="${e(r.icon)}" width="28" height="28" alt="" style="display:block">` : ''
        }</td><td style="padding:8px 0;font:14px/20px Arial,sans-serif;color:#374151">${
          r.heading ? `<strong style="color:#111827">${e(sub(r.heading))}</strong><br>` : ''
        }${r.text ? e(sub(r.text)) : ''}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;border-top:4px solid ${e(color)}">
<tr><td style="padding:32px 32px 8px">${logo ? `<img src="${e(logo)}" alt="" width="48" height="48" style="display:block;border-radius:24px;margin-bottom:16px">` : ''}
<h1 style="margin:0 0 12px;font:bold 22px/28px Arial,sans-serif;color:#111827">${e(header)}</h1>
<p style="margin:0;font:15px/22px Arial,sans-serif;color:#374151">${e(body)}</p></td></tr>
${rowHtml ? `<tr><td style="padding:8px 32px"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rowHtml}</table></td></tr>` : ''}
<tr><td style="padding:16px 32px 32px"><a href="${e(ctx.url)}" style="display:inline-block;padding:12px 24px;background:${e(color)};color:#ffffff;text-decoration:none;border-radius:6px;font:bold 15px Arial,sans-serif">${e(button)}</a>
<p style="margin:24px 0 0;font:13px/18px Arial,sans-serif;color:#6b7280">${e(sender)}</p></td></tr>
</table></td></tr></table></body></html>`;

  return { subject, text, html, replyTo: t?.reply_to ?? null };
}

export function renderSms(ctx: RenderContext): string {
  const sub = placeholders(ctx);
  const raw = pick(ctx.override?.sms_text, ctx.template?.sms_body);
  const text = sub(
    raw ?? '[Company] has asked you to connect your payroll account. Get started here: [Link]',
  );
  // The message is useless without its link, so add it when the customer's text leaves it out.
  return text.includes(ctx.url) ? text : `${text} ${ctx.url}`;
}
