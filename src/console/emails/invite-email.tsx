import { emailHtml } from './email-frame.tsx';

interface InviteEmail {
  email: string;
  clientName: string;
  /** Who sent the invitation, as the Console names them. */
  invitedBy: string;
  role: string;
  url: string;
}

/** The invitation to join a client's Console: its subject, text and HTML. */
export function inviteEmail({ email, clientName, invitedBy, role, url }: InviteEmail) {
  const subject = 'You are invited to the invitekit Console';
  const text = [
    `${invitedBy} invited ${email} to the invitekit Console of ${clientName}, as ${role}.`,
    '',
    'To choose your password and sign in, open this link within 24 hours (it works once):',
    url,
    '',
    'If you did not expect this, ignore this email: nothing happens without the link.',
  ].join('\n');
  const html = emailHtml(
    subject,
    <>
      <p>
        {invitedBy} invited <strong>{email}</strong> to the invitekit Console of {clientName}, as {role}.
      </p>
      <p>
        <a href={url}>Choose your password</a> within 24 hours (the link works once).
      </p>
      <p>If you did not expect this, ignore this email: nothing happens without the link.</p>
    </>,
  );
  return { subject, text, html };
}
