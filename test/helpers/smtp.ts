import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from './net.ts';

export interface Refusal {
  code: number;
  message: string;
}

export interface SmtpSinkOptions {
  /** Decides each RCPT TO: return an SMTP code and text to refuse it. */
  rcpt?: (address: string) => Refusal | undefined;
  /** Holds each message this long before answering 250, as a busy server would. */
  delayMs?: number;
  /** Parse every message with mailparser (off for bulk runs: only the Message-ID is read). */
  parse?: boolean;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  /** Messages accepted, parsed (when `parse`), in arrival order. */
  messages: ParsedMail[];
  /** How often each Message-ID was accepted. */
  byMessageId: Map<string, number>;
  /** Every RCPT TO the server was asked for, accepted or not. */
  rcpts: string[];
  /** While set, every MAIL FROM is refused with it (a relay that will not take our sender). */
  refuseSender: Refusal | null;
  /** Client connections open now, and the most that were ever open at once. */
  open: number;
  maxOpen: number;
  up(): Promise<void>;
  down(): Promise<void>;
}

const refuse = (r: Refusal | null | undefined) =>
  r ? Object.assign(new Error(r.message), { responseCode: r.code }) : null;

/**
 * A real SMTP server (smtp-server) on a fixed local port that can be taken down and
 * brought back, so a client sees a refused connection in between.
 */
export async function smtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const port = await freePort();
  let server: SMTPServer | null = null;
  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    byMessageId: new Map(),
    rcpts: [],
    refuseSender: null,
    open: 0,
    maxOpen: 0,
    async up() {
      server = new SMTPServer({
        secure: false,
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        closeTimeout: 50,
        onConnect(_session, callback) {
          sink.open += 1;
          sink.maxOpen = Math.max(sink.maxOpen, sink.open);
          callback();
        },
        onClose() {
          sink.open -= 1;
        },
        onMailFrom(_address, _session, callback) {
          callback(refuse(sink.refuseSender));
        },
        onRcptTo(address: SMTPServerAddress, _session, callback) {
          sink.rcpts.push(address.address);
          callback(refuse(opts.rcpt?.(address.address)));
        },
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', async () => {
            const raw = Buffer.concat(chunks);
            const id = /^message-id:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? '';
            if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
            sink.byMessageId.set(id, (sink.byMessageId.get(id) ?? 0) + 1);
            if (opts.parse !== false) sink.messages.push(await simpleParser(raw));
            callback();
          });
        },
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      // A client that dies mid-session resets its connection; that is the client's problem.
      s.on('error', () => {});
    },
    async down() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await sink.up();
  return sink;
}
