import { domainToASCII } from 'node:url';
import nodemailer from 'nodemailer';
import { type Accepted, ChannelError, type EmailChannel, type EmailMessage, fromAddress } from './channel.ts';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  code?: string;
  /** The SMTP command the server refused (nodemailer sets it). */
  command?: string;
}

/** Commands whose refusal is about this message or its recipient, not about our server or sender. */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * Pooled, with timeouts well inside the worker's lease (60 s by default): a hung send must
 * fail and be retried by its own worker, not be taken over and sent twice while it still
 * runs. The pool's size is its own setting, not the worker's concurrency: a relay caps the
 * connections one client may open, while the worker runs more jobs at once than that (a
 * message beyond the pool waits in its queue, its lease renewed like any send in flight).
 * Settings already in the URL win.
 */
function withDefaults(url: string, connections: number): string {
  const u = new URL(url);
  const defaults = {
    pool: 'true',
    maxConnections: String(connections),
    connectionTimeout: '10000',
    greetingTimeout: '10000',
    socketTimeout: '30000',
  };
  for (const [k, v] of Object.entries(defaults)) if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * An internationalised domain in its ASCII (punycode) form: nodemailer writes headers that
 * way but would hand the envelope's RCPT TO over in UTF-8, which a relay without SMTPUTF8
 * refuses.
 */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  if (at === -1) return address;
  const domain = address.slice(at + 1);
  return `${address.slice(0, at + 1)}${domainToASCII(domain) || domain}`;
}

/** Email through an SMTP server (smtp:// or smtps:// with credentials in the URL), over a connection pool. */
export function smtpEmail(url: string, from: string, connections = 5): EmailChannel {
  const transport = nodemailer.createTransport(withDefaults(url, connections));
  return {
    name: 'smtp',
    async send(m: EmailMessage): Promise<Accepted> {
      try {
        const info = await transport.sendMail({
          // nodemailer encodes the name: no sender text can add or break a header.
          from: m.fromName ? { name: m.fromName, address: fromAddress(from) } : from,
          to: asciiDomain(m.to),
          replyTo: m.replyTo ? asciiDomain(m.replyTo) : undefined,
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
        // A 5xx to RCPT TO or DATA is the server's final word on this message; anything else
        // (4xx, connection trouble, timeouts, a refused login or sender: our configuration,
        // which an operator can fix) may pass on a later try.
        const permanent =
          code !== undefined && code >= 500 && code < 600 && MESSAGE_COMMANDS.has(e.command ?? '');
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
