import { describe, expect, it } from 'vitest';
import {
  deliveryEventType,
  type EventType,
  INVITE_EVENT_TYPES,
  WEBHOOK_EVENT_OF,
  webhookFacts,
} from '../../src/events/event-types.ts';
import { WEBHOOK_EVENTS } from '../../src/webhooks/webhook-events.ts';

const ALL_EVENTS: EventType[] = [...INVITE_EVENT_TYPES, 'user.created'];
const DELIVERY_STATUSES = ['sent', 'delivered', 'opened', 'undelivered'] as const;

/** The naming rule of the doc comment on WEBHOOK_EVENT_OF, written out independently. */
function expectedWebhook(type: string): string | null {
  if (type.startsWith('delivery.')) return 'invites.delivery_updated';
  if (type === 'invite.resent') return 'invites.sent';
  if (type === 'document.uploaded' || type === 'response_form.submitted') return null;
  const [thing, change] = type.split('.');
  return `${thing}s.${change}`;
}

describe('WEBHOOK_EVENT_OF', () => {
  it('has an entry for every invite event and user.created, and nothing else', () => {
    expect(Object.keys(WEBHOOK_EVENT_OF).sort()).toEqual([...ALL_EVENTS].sort());
  });

  it.each(ALL_EVENTS)('maps %s by the naming rule', (type) => {
    expect(WEBHOOK_EVENT_OF[type]).toBe(expectedWebhook(type));
  });

  it('spells out the exceptions to the rule', () => {
    expect(WEBHOOK_EVENT_OF['invite.completed']).toBe('invites.completed');
    expect(WEBHOOK_EVENT_OF['user.created']).toBe('users.created');
    expect(WEBHOOK_EVENT_OF['account.connected']).toBe('accounts.connected');
    expect(WEBHOOK_EVENT_OF['invite.resent']).toBe('invites.sent');
    expect(WEBHOOK_EVENT_OF['delivery.opened']).toBe('invites.delivery_updated');
    expect(WEBHOOK_EVENT_OF['document.uploaded']).toBeNull();
    expect(WEBHOOK_EVENT_OF['response_form.submitted']).toBeNull();
  });

  it('only ever names an event a subscription can ask for', () => {
    for (const type of ALL_EVENTS) {
      const name = WEBHOOK_EVENT_OF[type];
      if (name !== null) expect(WEBHOOK_EVENTS).toContain(name);
    }
  });

  it('gives every event a subscription can ask for at least one source', () => {
    const produced = new Set(Object.values(WEBHOOK_EVENT_OF).filter((n) => n !== null));
    expect([...WEBHOOK_EVENTS].filter((name) => !produced.has(name))).toEqual([]);
  });
});

describe('webhookFacts', () => {
  it('tells a first send from a re-send', () => {
    expect(webhookFacts('invite.sent', 'invites.sent')).toEqual({ resent: false });
    expect(webhookFacts('invite.resent', 'invites.sent')).toEqual({ resent: true });
  });

  it.each(DELIVERY_STATUSES)('gives delivery_status %s for delivery.%s', (status) => {
    expect(webhookFacts(`delivery.${status}`, 'invites.delivery_updated')).toEqual({
      delivery_status: status,
    });
  });

  it('adds nothing to the other webhooks', () => {
    for (const type of ALL_EVENTS) {
      const name = WEBHOOK_EVENT_OF[type];
      if (name === null || name === 'invites.sent' || name === 'invites.delivery_updated') continue;
      expect(webhookFacts(type, name)).toEqual({});
    }
  });
});

describe('deliveryEventType', () => {
  it.each(DELIVERY_STATUSES)('names the history event of a delivery reaching %s', (status) => {
    const type = deliveryEventType(status);
    expect(type).toBe(`delivery.${status}`);
    expect(INVITE_EVENT_TYPES).toContain(type);
    expect(WEBHOOK_EVENT_OF[type]).toBe('invites.delivery_updated');
    expect(webhookFacts(type, 'invites.delivery_updated')).toEqual({ delivery_status: status });
  });
});
