import nodemailer from 'nodemailer';
import { type Accepted, ChannelError, type EmailChannel, type EmailMessage } from './channel.ts';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  code?: string;
}

/** Email through an SMTP server (smtp:// or smtps:// with credentials in the URL), over a connection pool. */
export function smtpEmail(url: string, from: string): EmailChannel {
  const transport = nodemailer.createTransport(
    url.includes('pool=') ? url : `${url}${url.includes('?') ? '&' : '?'}pool=true`,
  );
  return {
    name: 'smtp',
    async send(m: EmailMessage): Promise<Accepted> {
      try {
        const info = await transport.sendMail({
          from,
          to: m.to,
          replyTo: m.replyTo ?? undefined,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          headers: m.deliveryId ? { 'X-Invitekit-Delivery': m.deliveryId } : {},
        });
        return { providerMessageId: m.messageId, response: String(info.response ?? '') };
      } catch (err) {
        const e = err as SmtpError;
        const code = e.responseCode;
        // 5xx is the server's final word on this message; anything else (4xx, connection
        // trouble, timeouts) may pass on a later try.
        const permanent = code !== undefined && code >= 500 && code < 600;
        throw new ChannelError(
          e.response ?? e.message,
          permanent,
          e.response ?? null,
          code ? String(code) : (e.code ?? null),
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}
