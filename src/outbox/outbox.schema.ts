import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Nullable, Page, Timestamp, Uuid } from '../http/schema.ts';

export const OutboxMessage = Type.Object(
  {
    id: Uuid(),
    channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
    to: Type.String({ description: 'Email address or E.164 number.' }),
    from: Nullable(Type.String()),
    reply_to: Nullable(Type.String()),
    message_id: Nullable(Type.String({ description: 'Message-ID header of an email.' })),
    subject: Nullable(Type.String()),
    text: Type.String({ description: 'Plain-text part of an email, or the SMS body.' }),
    html: Nullable(Type.String({ description: 'HTML part of an email.' })),
    delivery_id: Nullable(Uuid({ description: 'The invite delivery this message is; null for notices.' })),
    invite_id: Nullable(Uuid()),
    created_at: Timestamp({ description: 'When the message was captured.' }),
  },
  { $id: 'OutboxMessage' },
);
export type OutboxMessage = Static<typeof OutboxMessage>;

export const OutboxPage = Page(Type.Ref(OutboxMessage), 'Captured messages, newest first.');

const To = Type.String({
  maxLength: 254,
  description: 'Only messages to this address or number (an email address in any case).',
});
const Channel = Type.Union([Type.Literal('email'), Type.Literal('sms')], {
  description: 'Only emails, or only text messages.',
});
const Invite = Uuid({ description: 'Only the messages of this invite (its sends, re-sends and reminders).' });

export const OutboxFilters = Type.Object({
  to: Type.Optional(To),
  channel: Type.Optional(Channel),
  invite: Type.Optional(Invite),
});
export type OutboxFilters = Static<typeof OutboxFilters>;

export const OutboxQuery = Type.Object({
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
  ...OutboxFilters.properties,
});
export type OutboxQuery = Static<typeof OutboxQuery>;
