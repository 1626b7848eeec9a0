import { emailHtml } from './email-frame.tsx';

interface ResetEmail {
  email: string;
  clientName: string;
  url: string;
}

/** The password reset email: its subject, text and HTML. */
export function resetEmail({ email, clientName, url }: ResetEmail) {
  const subject = 'Choose a new password for the invitekit Console';
  const text = [
    `Someone asked to reset the password of ${email} in the invitekit Console of ${clientName}.`,
    '',
    `To choose a new one, open this link within 24 hours (it works once):`,
    url,
    '',
    'If it was not you, ignore this email: your password stays as it is.',
  ].join('\n');
  const html = emailHtml(
    subject,
    <>
      <p>
        Someone asked to reset the password of <strong>{email}</strong> in the invitekit Console of{' '}
        {clientName}.
      </p>
      <p>
        <a href={url}>Choose a new password</a> within 24 hours (the link works once).
      </p>
      <p>If it was not you, ignore this email: your password stays as it is.</p>
    </>,
  );
  return { subject, text, html };
}
