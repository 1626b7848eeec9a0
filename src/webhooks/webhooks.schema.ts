import { type Static, Type } from '@sinclair/typebox';
import { Cursor, HttpUrl, Limit, Nullable, Opt, Page, Text, Timestamp, Uuid } from '../http/schema.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhook-events.ts';

const EVENT_NAMES = [...WEBHOOK_EVENTS, '*'] as const;

const EventName = Type.Unsafe<WebhookEvent | '*'>({
  type: 'string',
  enum: EVENT_NAMES,
  description: 'An event, or `*` for every event.',
});

const Config = Type.Object(
  {},
  { additionalProperties: true, description: 'Free-form settings kept with the subscription.' },
);

export const CreateWebhookRequest = Type.Object({
  events: Type.Array(EventName, {
    minItems: 1,
    maxItems: 50,
    description:
      'Events to send: `invites.sent` (also on re-send), `invites.initiated`, `invites.attempted`, ' +
      '`invites.completed`, `invites.revoked`, `invites.expired`, `invites.delivery_updated`, ' +
      '`accounts.connected`, ' +
      '`users.created`; `*` for all of them.',
  }),
  name: Text(255, {
    minLength: 1,
    description: 'Name of the subscription; sent as `name` in every delivery.',
  }),
  url: HttpUrl({
    description: 'Where events are POSTed. Private, loopback and link-local addresses are refused.',
  }),
  secret: Opt(
    Text(255, {
      minLength: 1,
      description: 'Key of the X-Argyle-Signature HMAC. Generated when absent.',
    }),
  ),
  config: Opt(Config),
});
export type CreateWebhookRequest = Static<typeof CreateWebhookRequest>;

export const WebhookObject = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the subscription.' }),
    name: Type.String(),
    events: Type.Array(Type.String(), { description: 'Subscribed events; `*` is every event.' }),
    config: Config,
    secret: Type.String({ description: 'Key of the X-Argyle-Signature HMAC-SHA512.' }),
    url: Type.String(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    last_sent_at: Nullable(
      Timestamp({ description: 'When an event was last sent to the URL, whatever came of it.' }),
    ),
    disabled_at: Nullable(
      Timestamp({
        description:
          '(invitekit) When the subscription was disabled for failing for days; it gets no new events ' +
          'until a test event or a manual retry succeeds.',
      }),
    ),
    disabled_reason: Nullable(Type.String({ description: '(invitekit) Why it was disabled.' })),
    failing_since: Nullable(
      Timestamp({ description: '(invitekit) The first failed attempt since the last successful one.' }),
    ),
  },
  { $id: 'WebhookObject' },
);
export type WebhookObject = Static<typeof WebhookObject>;

export const WebhookList = Page(Type.Ref(WebhookObject), 'One page of webhook subscriptions, newest first.');

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;

export const WebhookDelivery = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the delivery; also sent as X-Invitekit-Delivery-Id.' }),
    webhook: Uuid({ description: 'ID of the subscription.' }),
    event_id: Uuid({
      description:
        'ID of the event, sent as X-Invitekit-Event-Id; the same for every subscription and attempt. ' +
        'For invite events it is the id in GET /v2/invites/{id}/events.',
    }),
    event: Type.String({ description: 'Event name, e.g. `invites.completed`; `webhooks.test` for tests.' }),
    status: Type.Union(
      WEBHOOK_DELIVERY_STATUSES.map((s) => Type.Literal(s)),
      {
        description:
          'pending: not tried yet. retrying: failed, tried again at next_attempt_at. succeeded: the receiver ' +
          'answered 2xx. failed: refused (4xx other than 429, a redirect, a blocked address), out of retries, ' +
          'or not sent because the subscription is disabled.',
      },
    ),
    attempts: Type.Integer({ description: 'Attempts made so far.' }),
    response_status: Nullable(Type.Integer({ description: 'HTTP status of the last answer.' })),
    response_body: Nullable(Type.String({ description: 'The start of the last answer (2 KiB at most).' })),
    error: Nullable(Type.String({ description: 'Why the last attempt failed.' })),
    payload: Type.Object(
      {
        event: Type.String(),
        name: Type.String(),
        data: Type.Object({}, { additionalProperties: true }),
      },
      { description: 'The body sent, the same bytes on every attempt.' },
    ),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    last_attempt_at: Nullable(Timestamp()),
    next_attempt_at: Nullable(Timestamp({ description: 'When the next attempt is due, if one is.' })),
  },
  { $id: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = Page(Type.Ref(WebhookDelivery), 'One page of deliveries, newest first.');

export const ListQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export type ListQuery = Static<typeof ListQuery>;

const UuidParam = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
export const DeliveryParams = Type.Object({ id: UuidParam, delivery_id: UuidParam });
export type DeliveryParams = { id: string; delivery_id: string };
