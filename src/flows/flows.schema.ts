import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Email, Limit, Opt, Page, Text, Timestamp } from '../http/schema.ts';
import { OverrideInviteTemplate } from '../templates/override.schema.ts';

export const FLOW_TYPES = ['email_sms_template', 'shareable_url'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];
export const FLOW_LANGUAGES = ['en', 'es'] as const;

/** Direct-login Items of a flow; an invite's own `flow_items` win. */
const FlowItems = Type.Array(Text(100, { minLength: 1 }), { maxItems: 100 });

/**
 * What an Email/SMS template sets: exactly the fields of `override_invite_template` (one
 * schema serves both), plus the flow's direct-login Items. A Shareable URL sets the same
 * but `email` and `sms_text`, as it sends nothing.
 */
export const FlowTemplate = Type.Object(
  { ...OverrideInviteTemplate.properties, flow_items: Opt(FlowItems) },
  { additionalProperties: false },
);
export type FlowTemplate = Static<typeof FlowTemplate>;

/** The template fields that only an Email/SMS template has. */
export const SENT_ONLY_FIELDS = ['email', 'sms_text'] as const;

const Name = Text(255, { minLength: 1, description: 'Name of the flow, as the Console lists it.' });
const Language = Type.Union(
  FLOW_LANGUAGES.map((l) => Type.Literal(l)),
  { description: 'Language of the built-in texts the recipient sees.' },
);
const TYPE_DESCRIPTION =
  '`email_sms_template`: the texts and branding of invites sent with this `flow_id`. ' +
  '`shareable_url`: a public `url` that makes an invite for each visitor who enters Link ' +
  '(nothing is sent; it cannot be a `flow_id` of a send). Never changes.';

const Active = Type.Boolean({
  description:
    '(shareable_url) Whether the URL works. An inactive one shows "No action needed" and makes no invite. Default: true.',
});
const NotifyEmails = Type.Array(Email(), {
  maxItems: 10,
  description:
    "(shareable_url) Emails told when a visitor connects an account: each invite's `reply_to`. Default: none.",
});
const AllowEmailOverride = Type.Boolean({
  description:
    "(shareable_url) Whether `?email=` at the end of the URL replaces `notify_emails` as the invite's " +
    '`reply_to`. Default: false.',
});

/** The settings only a Shareable URL has; given for an Email/SMS template they are refused. */
const ShareableFields = {
  active: Type.Optional(Active),
  notify_emails: Opt(NotifyEmails),
  allow_email_override: Type.Optional(AllowEmailOverride),
};
export const SHAREABLE_FIELDS = ['active', 'notify_emails', 'allow_email_override'] as const;

export const CreateFlowRequest = Type.Object(
  {
    type: Type.Union(
      FLOW_TYPES.map((t) => Type.Literal(t)),
      { description: TYPE_DESCRIPTION },
    ),
    name: Name,
    language: Type.Optional(Language),
    ...FlowTemplate.properties,
    ...ShareableFields,
  },
  {
    additionalProperties: false,
    description:
      'A `shareable_url` refuses `email` and `sms_text`; an `email_sms_template` refuses `active`, ' +
      '`notify_emails` and `allow_email_override`.',
  },
);
export type CreateFlowRequest = Static<typeof CreateFlowRequest>;

/** PATCH: only the keys given change; `null` clears an optional one. `type` never changes. */
export const UpdateFlowRequest = Type.Object(
  {
    name: Type.Optional(Name),
    language: Type.Optional(Language),
    ...FlowTemplate.properties,
    ...ShareableFields,
  },
  { additionalProperties: false },
);
export type UpdateFlowRequest = Static<typeof UpdateFlowRequest>;

const FlowTemplateFields = Type.Required(FlowTemplate).properties;
const PageFields = Type.Omit(Type.Required(FlowTemplate), SENT_ONLY_FIELDS).properties;

const FlowId = Type.String({
  pattern: '^[0-9A-Z]{8}$',
  description: "Unique ID of the flow: 8 upper-case letters and digits. Send it as an invite's `flow_id`.",
  examples: ['8DRRA4XC'],
});

const EmailSmsTemplateFlow = Type.Object(
  {
    id: FlowId,
    type: Type.Literal('email_sms_template'),
    name: Type.String(),
    language: Type.Union(FLOW_LANGUAGES.map((l) => Type.Literal(l))),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    ...FlowTemplateFields,
  },
  { description: 'A named Email/SMS template; every template field is null when not set.' },
);

const ShareableUrlFlow = Type.Object(
  {
    id: FlowId,
    type: Type.Literal('shareable_url'),
    name: Type.String(),
    language: Type.Union(FLOW_LANGUAGES.map((l) => Type.Literal(l))),
    url: Type.String({
      format: 'uri',
      description:
        "The public URL (`PUBLIC_URL/s/{id}`) to post anywhere. `?external_id=` sets the user's " +
        '`external_id`; `?email=` replaces `notify_emails` when `allow_email_override` is on.',
      examples: ['https://invitekit.example.com/s/8DRRA4XC'],
    }),
    active: Active,
    notify_emails: NotifyEmails,
    allow_email_override: AllowEmailOverride,
    created_at: Timestamp(),
    updated_at: Timestamp(),
    ...PageFields,
  },
  {
    description:
      'A Shareable URL: its page texts and branding are null when not set. Each visitor who enters ' +
      'Link gets an invite of their own (no deliveries, `flow_id` this flow).',
  },
);

export const FlowObject = Type.Union([EmailSmsTemplateFlow, ShareableUrlFlow], {
  $id: 'FlowObject',
  description: '(invitekit) A flow: an Email/SMS template or a Shareable URL, told apart by `type`.',
});
export type FlowObject = Static<typeof FlowObject>;

export const FlowList = Page(Type.Ref(FlowObject), 'One page of flows, newest first.');

export const FlowListQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export type FlowListQuery = Static<typeof FlowListQuery>;

/** A flow id in a path: any case; anything else names nothing (404). */
export const FlowParams = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z]{8}$' }) });
export type FlowParams = { id: string };
