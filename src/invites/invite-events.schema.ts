import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Page, Timestamp, Uuid } from '../http/schema.ts';

export const InviteEvent = Type.Object(
  {
    id: Uuid(),
    invite: Uuid({ description: 'ID of the invite.' }),
    type: Type.String({
      description:
        'What happened. Invite status changes: `invite.sent`, `invite.initiated`, `invite.attempted`, ' +
        '`invite.completed`, `invite.revoked`, `invite.expired` (expiry on in the invite settings), `invite.resent`, and `invite.reminded` (reminders on: `data.reminder` is its number). Delivery changes (`data.delivery` names it): ' +
        '`delivery.sent` (the provider accepted the message), `delivery.delivered`, `delivery.opened`, ' +
        '`delivery.undelivered`. Recipient actions in Link: `account.connected`, `document.uploaded`, ' +
        '`response_form.submitted`. Webhooks name the same events `<thing>s.<change>` (`invites.completed`), ' +
        'except that delivery changes are `invites.delivery_updated` and `invite.resent` is `invites.sent`; ' +
        'documents and response forms are not sent as webhooks.',
      examples: ['invite.initiated'],
    }),
    data: Type.Object(
      {},
      { additionalProperties: true, description: 'Facts about the event (ids, reasons).' },
    ),
    created_at: Timestamp({ description: 'When it happened.' }),
  },
  { $id: 'InviteEvent' },
);
export type InviteEvent = Static<typeof InviteEvent>;

export const InviteEventList = Page(Type.Ref(InviteEvent), 'One page of events, newest first.');

export const ListEventsQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export type ListEventsQuery = Static<typeof ListEventsQuery>;
