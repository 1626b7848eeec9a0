import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { parseJson } from '../db/json.ts';
import type { WebhooksTable } from '../db/tables.ts';
import { queueJob } from '../delivery/queue.repo.ts';
import { findInviteView } from '../invites/invites.repo.ts';
import { toInviteObject } from '../invites/invites.service.ts';
import { newId } from '../lib/ids.ts';
import { findAccount } from '../link/accounts.repo.ts';
import { toAccountObject } from '../link/accounts.service.ts';
import { findUser } from '../users/users.repo.ts';
import { toUserObject } from '../users/users.service.ts';
import { activeWebhooks, insertWebhookDelivery } from './webhooks.repo.ts';

export const WEBHOOK_EVENTS = [
  'invites.sent',
  'invites.initiated',
  'invites.attempted',
  'invites.completed',
  'invites.revoked',
  'invites.delivery_updated',
  'accounts.connected',
  'users.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by POST /v2/webhooks/{id}/test only; no subscription asks for it. */
export const TEST_EVENT = 'webhooks.test';

export const SEND_WEBHOOK_JOB = 'webhook.send';

/** What something that happened (an invite event's type, or `user.created`) is sent as, if anything. */
export function webhookEventFor(type: string): WebhookEvent | null {
  switch (type) {
    case 'invite.sent':
    case 'invite.resent':
      return 'invites.sent';
    case 'invite.initiated':
    case 'invite.attempted':
    case 'invite.completed':
    case 'invite.revoked':
      return `invites.${type.slice('invite.'.length)}` as WebhookEvent;
    case 'account.connected':
      return 'accounts.connected';
    case 'user.created':
      return 'users.created';
  }
  return type.startsWith('delivery.') ? 'invites.delivery_updated' : null;
}

export interface HappenedEvent {
  client_id: string;
  /** Becomes the event id receivers deduplicate on. */
  id: string;
  type: string;
  invite_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

/**
 * Queues one delivery per subscription that wants the event, in the caller's transaction:
 * a change that commits always has its webhooks, one that rolls back never does. The
 * payload is the state as of this transaction. User tokens are never part of it.
 */
export async function emitWebhookEvent(
  trx: Db,
  config: Pick<Config, 'PUBLIC_URL'>,
  event: HappenedEvent,
): Promise<void> {
  const name = webhookEventFor(event.type);
  if (!name) return;
  const hooks = (await activeWebhooks(trx, event.client_id)).filter((h) => {
    const wanted = parseJson<string[]>(h.events);
    return wanted.includes(name) || wanted.includes('*');
  });
  if (hooks.length === 0) return;
  const data = await dataOf(trx, config, name, event);
  if (!data) return;
  for (const hook of hooks) {
    await queueWebhookDelivery(trx, hook, { eventId: event.id, event: name, data, at: event.created_at });
  }
}

async function dataOf(
  trx: Db,
  config: Pick<Config, 'PUBLIC_URL'>,
  name: WebhookEvent,
  event: HappenedEvent,
): Promise<Record<string, unknown> | null> {
  const clientId = event.client_id;
  if (name === 'users.created') {
    const user = await findUser(trx, clientId, String(event.data.user));
    return user ? { ...event.data, user: user.id, resource: toUserObject(user) } : null;
  }
  if (name === 'accounts.connected') {
    const account = await findAccount(trx, clientId, String(event.data.account));
    if (!account) return null;
    return {
      ...event.data,
      account: account.id,
      user: account.user_id,
      invite: account.invite_id,
      resource: toAccountObject(account),
    };
  }
  const view = event.invite_id ? await findInviteView(trx, clientId, event.invite_id) : undefined;
  if (!view) return null;
  const { user_token: _token, ...invite } = toInviteObject(view, config.PUBLIC_URL, null);
  const facts: Record<string, unknown> = { ...event.data };
  if (name === 'invites.sent') facts.resent = event.type === 'invite.resent';
  if (name === 'invites.delivery_updated') facts.delivery_status = event.type.slice('delivery.'.length);
  return { invite: view.id, user: view.user_id, ...facts, resource: invite };
}

/** One delivery of one event to one subscription, and the job that sends it. */
export async function queueWebhookDelivery(
  trx: Db,
  hook: Pick<WebhooksTable, 'client_id' | 'id' | 'name'>,
  e: { eventId: string; event: string; data: Record<string, unknown>; at: string; once?: boolean },
): Promise<string> {
  const id = newId();
  const jobId = await queueSendJob(trx, hook.client_id, id, e.at, e.once ?? false);
  await insertWebhookDelivery(trx, {
    client_id: hook.client_id,
    id,
    webhook_id: hook.id,
    event_id: e.eventId,
    event: e.event,
    payload: JSON.stringify({ event: e.event, name: hook.name, data: e.data }),
    status: 'pending',
    attempts: 0,
    job_id: jobId,
    response_status: null,
    response_body: null,
    error: null,
    created_at: e.at,
    updated_at: e.at,
    last_attempt_at: null,
    next_attempt_at: e.at,
  });
  return id;
}

/** Queues the send of a delivery; `once` makes it a single attempt (a test event, a manual retry). */
export function queueSendJob(trx: Db, clientId: string, deliveryId: string, at: string, once: boolean) {
  const job = {
    client_id: clientId,
    kind: SEND_WEBHOOK_JOB,
    // Never the invite's id: revoking an invite cancels its queued jobs, and its webhooks must still go.
    invite_id: null,
    delivery_id: deliveryId,
    payload: { once },
  };
  return queueJob(trx, job, at);
}
