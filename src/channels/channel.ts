/** What a provider said when it accepted a message. */
export interface Accepted {
  providerMessageId: string | null;
  response: string;
}

/**
 * A provider's refusal. `permanent` refusals (SMTP 5xx, most Twilio 4xx) end the delivery
 * as undelivered; the others are retried on the job's schedule. `retryAfterMs` marks a
 * rate limit: wait and try again without counting an attempt.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly response: string | null = null,
    readonly code: string | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface EmailMessage {
  /** Stable across retries, so receivers can drop duplicates. */
  messageId: string;
  clientId: string;
  deliveryId: string | null;
  to: string;
  replyTo: string | null;
  /** The From name, at the configured address; null keeps the configured From as it is. */
  fromName: string | null;
  subject: string;
  text: string;
  html: string;
}

/** The address of a From setting: `Name <address>` or a bare address. */
export function fromAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();
}

export interface SmsMessage {
  clientId: string;
  deliveryId: string;
  to: string;
  body: string;
  statusCallback: string;
}

export interface EmailChannel {
  readonly name: 'smtp' | 'capture';
  send(message: EmailMessage): Promise<Accepted>;
  close(): Promise<void>;
}

export interface SmsChannel {
  readonly name: 'twilio' | 'capture';
  /** Who the message goes out as; pacing is kept per sender. */
  readonly sender: string;
  send(message: SmsMessage): Promise<Accepted>;
}
