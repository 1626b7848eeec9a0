import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Opt, Page, Text, Timestamp } from '../http/schema.ts';
import { OverrideInviteTemplate } from '../templates/override.schema.ts';

export const FLOW_TYPES = ['email_sms_template'] as const;
export const FLOW_LANGUAGES = ['en', 'es'] as const;

/** Direct-login Items of a flow; an invite's own `flow_items` win. */
const FlowItems = Type.Array(Text(100, { minLength: 1 }), { maxItems: 100 });

/**
 * What an Email/SMS template sets: exactly the fields of `override_invite_template` (one
 * schema serves both), plus the flow's direct-login Items.
 */
export const FlowTemplate = Type.Object(
  { ...OverrideInviteTemplate.properties, flow_items: Opt(FlowItems) },
  { additionalProperties: false },
);
export type FlowTemplate = Static<typeof FlowTemplate>;

const Name = Text(255, { minLength: 1, description: 'Name of the template, as the Console lists it.' });
const Language = Type.Union(
  FLOW_LANGUAGES.map((l) => Type.Literal(l)),
  { description: 'Language of the built-in texts the recipient sees.' },
);

export const CreateFlowRequest = Type.Object(
  {
    type: Type.Union(
      FLOW_TYPES.map((t) => Type.Literal(t)),
      { description: '`email_sms_template`: the texts and branding of invites sent with this `flow_id`.' },
    ),
    name: Name,
    language: Type.Optional(Language),
    ...FlowTemplate.properties,
  },
  { additionalProperties: false },
);
export type CreateFlowRequest = Static<typeof CreateFlowRequest>;

/** PATCH: only the keys given change; `null` clears an optional one. `type` never changes. */
export const UpdateFlowRequest = Type.Object(
  { name: Type.Optional(Name), language: Type.Optional(Language), ...FlowTemplate.properties },
  { additionalProperties: false },
);
export type UpdateFlowRequest = Static<typeof UpdateFlowRequest>;

const FlowTemplateFields = Type.Required(FlowTemplate).properties;

export const FlowObject = Type.Object(
  {
    id: Type.String({
      pattern: '^[0-9A-Z]{8}$',
      description:
        "Unique ID of the flow: 8 upper-case letters and digits. Send it as an invite's `flow_id`.",
      examples: ['8DRRA4XC'],
    }),
    type: Type.Union(
      FLOW_TYPES.map((t) => Type.Literal(t)),
      { description: '`email_sms_template`: the texts and branding of invites sent with this `flow_id`.' },
    ),
    name: Type.String(),
    language: Type.Union(FLOW_LANGUAGES.map((l) => Type.Literal(l))),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    ...FlowTemplateFields,
  },
  {
    $id: 'FlowObject',
    description: '(invitekit) A named Email/SMS template; every template field is null when not set.',
  },
);
export type FlowObject = Static<typeof FlowObject>;

export const FlowList = Page(Type.Ref(FlowObject), 'One page of flows, newest first.');

export const FlowListQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export type FlowListQuery = Static<typeof FlowListQuery>;

/** A flow id in a path: any case; anything else names nothing (404). */
export const FlowParams = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z]{8}$' }) });
export type FlowParams = { id: string };
