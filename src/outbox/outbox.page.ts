import { escapeHtml as e } from '../lib/html.ts';
import type { OutboxFilters, OutboxMessage } from './outbox.schema.ts';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f3f4f6;color:#111827}
header{background:#111827;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#d1d5db;font-size:14px}
main{max-width:900px;margin:0 auto;padding:16px}.msg{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0001;margin:0 0 16px;overflow:hidden}
.meta{padding:12px 16px;border-bottom:1px solid #e5e7eb;font-size:14px;color:#374151}.meta strong{color:#111827;font-size:16px}
.tag{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;margin-right:8px;background:#dbeafe;color:#1e40af}
.tag.sms{background:#dcfce7;color:#166534}iframe{width:100%;height:420px;border:0;display:block;background:#fff}
details{padding:8px 16px;border-top:1px solid #e5e7eb}pre{white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace;margin:8px 0}
.phone{padding:16px;background:#f9fafb}.bubble{max-width:340px;background:#e5e7eb;border-radius:18px 18px 18px 4px;padding:10px 14px;white-space:pre-wrap;word-wrap:break-word}
nav{display:flex;justify-content:space-between;margin:8px 0 24px}a{color:#1d4ed8}.empty{background:#fff;border-radius:8px;padding:32px;text-align:center}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;background:#fff;border-radius:8px;padding:12px 16px;margin:0 0 16px}
form.filters label{display:flex;flex-direction:column;font-size:13px;font-weight:600;color:#374151;flex:1 1 160px;min-width:0}
form.filters input,form.filters select{font:inherit;font-weight:400;min-height:40px;padding:6px 8px;border:1px solid #6b7280;border-radius:6px;background:#fff;color:#111827;width:100%}
form.filters button{font:inherit;font-weight:600;min-height:40px;padding:6px 16px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
@media (max-width:600px){header{padding:12px 16px}main{padding:8px}iframe{height:520px}}
`;

function linkify(text: string): string {
  return e(text).replace(
    /https?:\/\/[^\s<]+/g,
    (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`,
  );
}

function card(m: OutboxMessage): string {
  const when = `<time datetime="${e(m.created_at)}">${e(m.created_at.replace('T', ' ').slice(0, 19))} UTC</time>`;
  if (m.channel === 'sms') {
    return `<article class="msg"><div class="meta"><span class="tag sms">SMS</span> to <strong>${e(m.to)}</strong> · ${when}</div>
<div class="phone"><div class="bubble">${linkify(m.text)}</div></div></article>`;
  }
  // Links in the email open outside the frame, so "Connect" really leads to the invite. The
  // open-tracking pixel is left out: looking at a message here is not the recipient opening it.
  const doc = withoutPixel(m.html ?? '').replace(/<head>/i, '<head><base target="_blank">');
  return `<article class="msg"><div class="meta"><span class="tag">Email</span><strong>${e(m.subject ?? '(no subject)')}</strong><br>
to ${e(m.to)}${m.from ? ` · from ${e(m.from)}` : ''}${m.reply_to ? ` · reply-to ${e(m.reply_to)}` : ''} · ${when}</div>
<iframe title="${e(m.subject ?? 'email')}" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${e(doc)}"></iframe>
<details><summary>Plain-text part</summary><pre>${linkify(m.text)}</pre></details></article>`;
}

/** The email's open-tracking image (see delivery/send-delivery.job.ts), matched by its path. */
const PIXEL = /<img\b[^>]*\ssrc="[^"]*\/t\/[0-9a-f-]{36}\/open\.gif"[^>]*>/gi;

export const withoutPixel = (html: string) => html.replace(PIXEL, '');

const cursorOf = (url: string | null) => (url ? new URL(url).searchParams.get('cursor') : null);

/** Channel, recipient and invite: the outbox's filters, kept by the page links' cursors. */
function filterForm(f: OutboxFilters): string {
  const option = (value: string, label: string) =>
    `<option value="${value}"${(f.channel ?? '') === value ? ' selected' : ''}>${label}</option>`;
  return `<form class="filters" method="get" action="/outbox" role="search" aria-label="Filter messages">
<label>Channel<select name="channel">${option('', 'Email and SMS')}${option('email', 'Email')}${option('sms', 'SMS')}</select></label>
<label>Recipient<input name="to" value="${e(f.to ?? '')}" placeholder="sarah@email.com or +12125555555" autocomplete="off"></label>
<label>Invite ID<input name="invite" value="${e(f.invite ?? '')}" autocomplete="off" spellcheck="false"></label>
<button type="submit">Filter</button></form>`;
}

/** The sandbox outbox: the client's captured email and SMS, newest first, filtered. */
export function outboxPage(
  page: { next: string | null; previous: string | null; results: OutboxMessage[] },
  filters: OutboxFilters,
): string {
  const prev = cursorOf(page.previous);
  const next = cursorOf(page.next);
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const body =
    page.results.length === 0
      ? filtered
        ? '<p class="empty">No message matches these filters. <a href="/outbox">Show all</a></p>'
        : '<p class="empty">No messages yet. Send an invite with <code>POST /v2/invites</code> and it appears here.</p>'
      : page.results.map(card).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Outbox · invitekit</title><style>${STYLE}</style></head><body>
<header><h1>Outbox</h1><p>Email and SMS captured instead of sent: nothing leaves this machine. Newest first. <a href="/outbox" style="color:#93c5fd">Refresh</a></p>
<p>Console members see them under <a href="/console/outbox" style="color:#93c5fd">Console · Outbox</a>.</p></header>
<main>${filterForm(filters)}${body}<nav><span>${prev ? `<a href="/outbox?cursor=${encodeURIComponent(prev)}">← Newer</a>` : ''}</span>
<span>${next ? `<a href="/outbox?cursor=${encodeURIComponent(next)}">Older →</a>` : ''}</span></nav></main></body></html>`;
}
