import { type Static, Type } from '@sinclair/typebox';
import { DELIVERY_KINDS } from '../db/tables.ts';
import { Cursor, Email, Limit, Nullable, Opt, Page, Text, Timestamp, Uuid } from '../http/schema.ts';
import { OverrideInviteTemplate } from '../templates/override.schema.ts';

const Name = (description: string) => Text(255, { minLength: 1, description });

export const SendInviteRequest = Type.Object(
  {
    first_name: Opt(Name('First name of the invite recipient. Required unless full_name is given.')),
    last_name: Opt(Name('Last name of the invite recipient. Required unless full_name is given.')),
    full_name: Opt(
      Text(511, {
        minLength: 1,
        deprecated: true,
        description: 'Full name of the invite recipient. Required when first_name and last_name are empty.',
      }),
    ),
    phone_number: Opt(
      Text(50, { description: 'Phone number of the recipient. Required when email is empty.' }),
    ),
    email: Opt(
      Email({ description: 'Email address of the recipient. Required when phone_number is empty.' }),
    ),
    external_id: Opt(Text(255, { description: 'Populates the external_id of the created user.' })),
    flow_id: Opt(Text(100, { description: "ID used to customize the user's experience in Link." })),
    flow_items: Opt(
      Type.Array(Text(100, { minLength: 1 }), {
        maxItems: 100,
        description: 'Items to show: one Item is a direct login, several are a list.',
      }),
    ),
    dds_config: Opt(
      Type.Object({}, { additionalProperties: true, description: 'Deposit destination configuration.' }),
    ),
    override_invite_template: Opt(OverrideInviteTemplate),
    invite_template_id: Opt(
      Uuid({ deprecated: true, description: 'ID of a legacy invite template of this client to apply.' }),
    ),
  },
  {
    description:
      'first_name and last_name (or the deprecated full_name), and at least one of email and phone_number.',
    examples: [
      { first_name: 'Sarah', last_name: 'Longfield', phone_number: '212-555-5555', email: 'sarah@email.com' },
    ],
  },
);
export type SendInviteRequest = Static<typeof SendInviteRequest>;

export const InviteDelivery = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the invite delivery.' }),
    method: Type.Union([Type.Literal('email'), Type.Literal('sms')], {
      description: 'Invite delivery method.',
    }),
    status: Type.Union(
      [Type.Literal('sent'), Type.Literal('delivered'), Type.Literal('undelivered'), Type.Literal('opened')],
      { description: 'Status of the invite delivery.' },
    ),
    sent_at: Timestamp({
      description: 'When the invite was sent: when it was queued, then when the provider accepted it.',
    }),
    updated_at: Timestamp({ description: 'When the delivery status was last updated.' }),
    attempts: Type.Integer({ description: '(invitekit) Send attempts made so far.' }),
    next_attempt_at: Nullable(
      Timestamp({ description: '(invitekit) When the next send attempt is due, while retrying.' }),
    ),
    last_error: Nullable(Type.String({ description: '(invitekit) The last send error, if any.' })),
    status_detail: Nullable(
      Type.String({
        description: '(invitekit) Why the delivery is undelivered (bounce, STOP, retries ran out).',
      }),
    ),
    kind: Type.Union(
      DELIVERY_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          '(invitekit) What the message was: `invite` (the first send), `resend`, or `reminder` (invite settings).',
      },
    ),
  },
  { $id: 'InviteDelivery' },
);
export type InviteDelivery = Static<typeof InviteDelivery>;

export const INVITE_STATUSES = ['sent', 'initiated', 'attempted', 'completed', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export const InviteObject = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the invite.' }),
    user: Uuid({ description: 'ID of the user.' }),
    user_token: Nullable(
      Type.String({
        description:
          'User token (JWT) for embedded Link. Expires after one hour; create another with POST /v2/user-tokens. ' +
          'null in lists.',
      }),
    ),
    email: Nullable(Type.String({ description: 'Email of the invite recipient.' })),
    phone_number: Nullable(Type.String({ description: 'Phone number of the invite recipient, as given.' })),
    full_name: Type.String({
      deprecated: true,
      description: 'Full name of the invite recipient ("first last").',
    }),
    first_name: Type.String(),
    last_name: Type.String(),
    revoked_at: Nullable(Timestamp({ description: 'When the invite was revoked.' })),
    status: Type.Union(
      INVITE_STATUSES.map((s) => Type.Literal(s)),
      {
        description:
          'sent: invite sent. initiated: the user entered Link. attempted: credentials or a response form were ' +
          'submitted, nothing connected. completed: an account connected or a document uploaded. revoked: revoked.',
      },
    ),
    group_id: Nullable(Uuid({ description: 'ID of the group associated with the invite.' })),
    url: Type.String({ description: 'URL included in the invite that connects the user to Link.' }),
    created_at: Timestamp(),
    updated_at: Timestamp({ description: 'Updated after re-sending or revoking an invite.' }),
    invited_at: Timestamp({ description: 'When the invite was sent; updated after re-sending.' }),
    flow_id: Nullable(Type.String()),
    flow_items: Nullable(Type.Array(Type.String())),
    reply_to: Nullable(
      Type.Array(Type.String(), { description: 'Emails told when the user connects an account.' }),
    ),
    deliveries: Type.Array(Type.Ref(InviteDelivery), {
      description: 'One entry per message sent, newest first.',
    }),
    invite_template_id: Nullable(Uuid({ deprecated: true, description: '(Deprecated) Legacy template ID.' })),
    rendered_flow_id: Nullable(
      Type.String({
        description:
          '(invitekit) The Email/SMS template (flow) the invite is rendered with: the one `flow_id` names, ' +
          "else the client's `default_flow_id`, else its only template; null when none applies.",
      }),
    ),
    expires_at: Nullable(
      Timestamp({
        description:
          '(invitekit) With expiry on in the invite settings: when the invite URL stops working. A re-send moves it.',
      }),
    ),
    expired_at: Nullable(
      Timestamp({
        description:
          '(invitekit) When the invite expired: its URL shows the expired page and Link refuses it. Its `status` ' +
          'stays what it was.',
      }),
    ),
  },
  { $id: 'InviteObject' },
);
export type InviteObject = Static<typeof InviteObject>;

export const InviteList = Page(Type.Ref(InviteObject), 'One page of invites, newest first.');

export const ListInvitesQuery = Type.Object({
  status: Type.Optional(
    Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 20,
      description:
        'Filter by status: `status=sent,initiated` or `status=sent&status=initiated`. ' +
        `One of ${INVITE_STATUSES.join(', ')}.`,
    }),
  ),
  reply_to: Type.Optional(Email({ description: 'Only invites that notify this email.' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
export type ListInvitesQuery = Static<typeof ListInvitesQuery>;
