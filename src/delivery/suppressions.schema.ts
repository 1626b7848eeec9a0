import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Page, Timestamp } from '../http/schema.ts';

export const SuppressionObject = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  address: Type.String({
    description: 'The email address (lower-cased) or E.164 number no message goes to.',
  }),
  reason: Type.String({
    description: "Why: a hard bounce, with the server's answer, or a STOP reply (21610).",
  }),
  created_at: Timestamp(),
});
export type SuppressionObject = Static<typeof SuppressionObject>;

export const SuppressionList = Page(SuppressionObject, 'One page of suppressed addresses, newest first.');

export const ListSuppressionsQuery = Type.Object({
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
export type ListSuppressionsQuery = Static<typeof ListSuppressionsQuery>;

export const AddressParams = Type.Object({
  address: Type.String({ minLength: 1, maxLength: 320, description: 'The email address or E.164 number.' }),
});
export type AddressParams = Static<typeof AddressParams>;
