import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import {
  type Accepted,
  ChannelError,
  type EmailChannel,
  type EmailMessage,
  fromAddress,
  type SmsChannel,
  type SmsMessage,
} from './channel.ts';

/** A captured message as the outbox keeps it; the composition root decides where it is stored. */
export interface CapturedMessage {
  client_id: string;
  id: string;
  /** null for messages that are not an invite delivery (e.g. completion notices). */
  delivery_id: string | null;
  channel: 'email' | 'sms';
  to_address: string;
  from_address: string | null;
  reply_to: string | null;
  message_id: string | null;
  subject: string | null;
  text_body: string;
  html_body: string | null;
  created_at: string;
}

export type CaptureStore = (message: CapturedMessage) => Promise<void>;

/**
 * Sandbox recipients that force an outcome, so integrations can test their failure paths
 * without a real provider. Documented in the README.
 */
export const SANDBOX = {
  bounceDomain: '@bounce.test',
  deferDomain: '@defer.test',
  undeliverableNumber: '+15005550001',
  optedOutNumber: '+15005550004',
};

export function captureEmail(store: CaptureStore, clock: Clock, from: string): EmailChannel {
  return {
    name: 'capture',
    async send(m: EmailMessage): Promise<Accepted> {
      const to = m.to.toLowerCase();
      if (to.endsWith(SANDBOX.bounceDomain)) {
        throw new ChannelError(
          '550 5.1.1 Mailbox unavailable (sandbox bounce address)',
          true,
          '550 5.1.1',
          '550',
        );
      }
      if (to.endsWith(SANDBOX.deferDomain)) {
        throw new ChannelError(
          '451 4.3.0 Try again later (sandbox deferral address)',
          false,
          '451 4.3.0',
          '451',
        );
      }
      await store({
        client_id: m.clientId,
        id: newId(),
        delivery_id: m.deliveryId,
        channel: 'email',
        to_address: m.to,
        from_address: m.fromName ? `${JSON.stringify(m.fromName)} <${fromAddress(from)}>` : from,
        reply_to: m.replyTo,
        message_id: m.messageId,
        subject: m.subject,
        text_body: m.text,
        html_body: m.html,
        created_at: clock.now().toISOString(),
      });
      return { providerMessageId: m.messageId, response: '250 captured' };
    },
    close: async () => {},
  };
}

export function captureSms(store: CaptureStore, clock: Clock): SmsChannel {
  return {
    name: 'capture',
    sender: 'capture',
    async send(m: SmsMessage): Promise<Accepted> {
      if (m.to === SANDBOX.undeliverableNumber) {
        throw new ChannelError("The 'To' number is not a valid phone number (sandbox)", true, null, '21211');
      }
      if (m.to === SANDBOX.optedOutNumber) {
        throw new ChannelError('The recipient replied STOP (sandbox)', true, null, '21610');
      }
      const id = newId();
      await store({
        client_id: m.clientId,
        id,
        delivery_id: m.deliveryId,
        channel: 'sms',
        to_address: m.to,
        from_address: null,
        reply_to: null,
        message_id: id,
        subject: null,
        text_body: m.body,
        html_body: null,
        created_at: clock.now().toISOString(),
      });
      return { providerMessageId: id, response: 'captured' };
    },
  };
}
