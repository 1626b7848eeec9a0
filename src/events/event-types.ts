import type { WebhookEvent } from '../webhooks/webhook-events.ts';

/** Everything an invite's history (`/v2/invites/{id}/events`) can hold. */
export const INVITE_EVENT_TYPES = [
  'invite.sent',
  'invite.resent',
  'invite.initiated',
  'invite.attempted',
  'invite.completed',
  'invite.revoked',
  'invite.expired',
  'invite.reminded',
  'delivery.sent',
  'delivery.delivered',
  'delivery.opened',
  'delivery.undelivered',
  'account.connected',
  'document.uploaded',
  'response_form.submitted',
] as const;
export type InviteEventType = (typeof INVITE_EVENT_TYPES)[number];

/** Every event: an invite's history, and what happens outside it (a user created). */
export type EventType = InviteEventType | 'user.created';

/**
 * The one naming rule between the two: an event `<thing>.<change>` goes to webhooks as
 * `<thing>s.<change>` (`invite.completed` → `invites.completed`), except that every
 * delivery change is `invites.delivery_updated` (with `delivery_status`), a re-send is
 * `invites.sent` (with `resent: true`), and documents and response forms are history only.
 * Written out so that a new event type must be given its webhook (or none) to compile.
 */
export const WEBHOOK_EVENT_OF: { readonly [T in EventType]: WebhookEvent | null } = {
  'invite.sent': 'invites.sent',
  'invite.resent': 'invites.sent',
  'invite.initiated': 'invites.initiated',
  'invite.attempted': 'invites.attempted',
  'invite.completed': 'invites.completed',
  'invite.revoked': 'invites.revoked',
  'invite.expired': 'invites.expired',
  'invite.reminded': 'invites.reminded',
  'delivery.sent': 'invites.delivery_updated',
  'delivery.delivered': 'invites.delivery_updated',
  'delivery.opened': 'invites.delivery_updated',
  'delivery.undelivered': 'invites.delivery_updated',
  'account.connected': 'accounts.connected',
  'document.uploaded': null,
  'response_form.submitted': null,
  'user.created': 'users.created',
};

/** What a webhook says beyond the event's own data: which kind of send, which delivery status. */
export function webhookFacts(type: EventType, name: WebhookEvent): Record<string, unknown> {
  if (name === 'invites.sent') return { resent: type === 'invite.resent' };
  if (name === 'invites.delivery_updated') return { delivery_status: type.slice('delivery.'.length) };
  return {};
}

/** The event type of a delivery reaching `status`. */
export function deliveryEventType(status: 'sent' | 'delivered' | 'opened' | 'undelivered'): InviteEventType {
  return `delivery.${status}`;
}
