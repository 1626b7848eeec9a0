import { escapeHtml } from '../lib/html.ts';

/** How the recipient completed the invite, as the invite's history tells it. */
export type Completion =
  | { via: 'account'; item: string | null }
  | { via: 'document'; fileName: string | null }
  | { via: 'unknown' };

// The team reads this, not the recipient: one language, and a time a person reads at a glance.
const WHEN = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'full',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function didWhat(c: Completion): string {
  if (c.via === 'account')
    return c.item ? `connected their ${c.item} account` : 'connected a payroll account';
  if (c.via === 'document') return c.fileName ? `uploaded a document (${c.fileName})` : 'uploaded a document';
  return 'completed the invite';
}

/** The email that tells a reply_to address the recipient is done: who, what they did, when. */
export function completionNotice(
  invite: {
    id: string;
    first_name: string;
    last_name: string;
    email: string | null;
    phone_number: string | null;
  },
  completion: Completion,
  at: string,
) {
  // An invite made by a Shareable URL has no name: the address it was sent to, if any, stands in.
  const name =
    `${invite.first_name} ${invite.last_name}`.trim() || invite.email || invite.phone_number || 'Someone';
  const did = didWhat(completion);
  const when = `${WHEN.format(new Date(at))} UTC`;
  const e = escapeHtml;
  return {
    subject: `${name} completed your invite`,
    text: `${name} ${did} on ${when}.\n\nInvite: ${invite.id}\n`,
    html: `<!doctype html><html lang="en"><body style="font:15px/22px Arial,sans-serif;color:#111827"><p><strong>${e(name)}</strong> ${e(did)} on ${e(when)}.</p><p style="color:#6b7280">Invite ${e(invite.id)}</p></body></html>`,
  };
}
