import { type Static, Type } from '@sinclair/typebox';
import { HexColor, HttpUrl, Nullable, Opt, Text, Timestamp } from '../http/schema.ts';

const Clock = (description: string) =>
  Type.String({
    pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$',
    'x-error': 'Enter a time as HH:MM (24 h).',
    description,
    examples: ['09:00'],
  });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'An IANA time zone, e.g. `America/New_York`.',
});
const CompanyName = Text(255, { description: 'Company name shown to recipients.' });
const Sender = Text(255, { description: 'Name the emails come from.' });
const Color = HexColor({ description: 'HEX color code.' });
const Logo = HttpUrl({ description: 'URL to a logo.' });
const DefaultFlowId = Type.String({
  maxLength: 100,
  description: 'The flow (Email/SMS template) of invites sent without a `flow_id`.',
});
const RequireExternalId = Type.Boolean({ description: 'Whether every invite must carry an `external_id`.' });
const AfterDays = (maximum: number, description: string) =>
  Type.Integer({ minimum: 1, maximum, description });
const MaxCount = Type.Integer({ minimum: 1, maximum: 10, description: 'Reminders sent at most.' });
const Enabled = Type.Boolean();

export const InviteSettingsObject = Type.Object(
  {
    company_name: Nullable(CompanyName),
    sender: Nullable(Sender),
    brand: Type.Object({ color: Nullable(Color), logo: Nullable(Logo) }),
    default_flow_id: Nullable(DefaultFlowId),
    require_external_id: RequireExternalId,
    reminders: Type.Object({
      enabled: Enabled,
      after_days: AfterDays(30, 'Days after the invite, and between reminders.'),
      max_count: MaxCount,
      send_window: Type.Object(
        {
          start: Clock('Earliest time of day a reminder is sent.'),
          end: Clock('Latest time of day a reminder is sent.'),
          timezone: TimeZone,
        },
        { description: 'Reminders go out only within these hours.' },
      ),
    }),
    expiry: Type.Object({
      enabled: Enabled,
      after_days: AfterDays(365, 'Days after which an unfinished invite expires.'),
    }),
    updated_at: Nullable(Timestamp({ description: 'When the settings last changed; null until then.' })),
  },
  { $id: 'InviteSettingsObject', description: '(invitekit) How this client sends invites.' },
);
export type InviteSettingsObject = Static<typeof InviteSettingsObject>;

/** PATCH: only the keys given change, nested objects key by key; `null` resets a nullable key. */
export const UpdateInviteSettingsRequest = Type.Object(
  {
    company_name: Opt(CompanyName),
    sender: Opt(Sender),
    brand: Type.Optional(
      Type.Object({ color: Opt(Color), logo: Opt(Logo) }, { additionalProperties: false }),
    ),
    default_flow_id: Opt(DefaultFlowId),
    require_external_id: Type.Optional(RequireExternalId),
    reminders: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Enabled),
          after_days: Type.Optional(AfterDays(30, 'Days after the invite, and between reminders.')),
          max_count: Type.Optional(MaxCount),
          send_window: Type.Optional(
            Type.Object(
              {
                start: Type.Optional(Clock('Earliest time of day a reminder is sent.')),
                end: Type.Optional(Clock('Latest time of day a reminder is sent.')),
                timezone: Type.Optional(TimeZone),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    expiry: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Enabled),
          after_days: Type.Optional(AfterDays(365, 'Days after which an unfinished invite expires.')),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type UpdateInviteSettingsRequest = Static<typeof UpdateInviteSettingsRequest>;
