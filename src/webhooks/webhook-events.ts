/** The events a subscription can ask for. */
export const WEBHOOK_EVENTS = [
  'invites.sent',
  'invites.initiated',
  'invites.attempted',
  'invites.completed',
  'invites.revoked',
  'invites.expired',
  'invites.reminded',
  'invites.delivery_updated',
  'accounts.connected',
  'users.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by POST /v2/webhooks/{id}/test only; no subscription asks for it. */
export const TEST_EVENT = 'webhooks.test';
