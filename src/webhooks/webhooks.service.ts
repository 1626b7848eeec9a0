import { parseJson } from '../db/json.ts';
import type { WebhookDeliveriesTable, WebhooksTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { newId } from '../lib/ids.ts';
import { iso, isoOrNull } from '../lib/time.ts';
import { findJob, listAttempts, runJobAt } from '../queue/queue.repo.ts';
import { transactAndWake } from '../queue/transact.ts';
import { queueSendJob, queueWebhookDelivery } from './fanout.ts';
import { newSecret } from './signing.ts';
import { BlockedAddressError, checkHost, hostOf } from './ssrf.ts';
import { TEST_EVENT } from './webhook-events.ts';
import * as repo from './webhooks.repo.ts';
import type { CreateWebhookRequest, ListQuery, WebhookDelivery, WebhookObject } from './webhooks.schema.ts';

const CONFIG_LIMIT = 10_000;
/** Subscriptions per client: each event fans out to every one of them (Stripe allows 16). */
export const MAX_WEBHOOKS = 16;

export function toWebhookObject(row: WebhooksTable): WebhookObject {
  return {
    id: row.id,
    name: row.name,
    events: parseJson<string[]>(row.events),
    config: parseJson<Record<string, unknown>>(row.config),
    secret: row.secret,
    url: row.url,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_sent_at: isoOrNull(row.last_sent_at),
    disabled_at: isoOrNull(row.disabled_at),
    disabled_reason: row.disabled_reason,
    failing_since: isoOrNull(row.failing_since),
  };
}

export function toDeliveryObject(row: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: row.id,
    webhook: row.webhook_id,
    event_id: row.event_id,
    event: row.event,
    status: row.status,
    attempts: Number(row.attempts),
    response_status: row.response_status,
    response_body: row.response_body,
    error: row.error,
    payload: JSON.parse(row.payload) as WebhookDelivery['payload'],
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_attempt_at: isoOrNull(row.last_attempt_at),
    next_attempt_at: isoOrNull(row.next_attempt_at),
  };
}

/** Refuses URLs that point into private networks, unless WEBHOOKS_ALLOW_PRIVATE is set. */
async function checkUrl(deps: Pick<Deps, 'config'>, raw: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AppError.field('url', 'Enter a valid URL (http or https).');
  }
  if (deps.config.WEBHOOKS_ALLOW_PRIVATE) return;
  try {
    await checkHost(hostOf(url));
  } catch (err) {
    if (err instanceof BlockedAddressError) {
      throw AppError.field('url', `Enter a public URL: ${err.message}.`);
    }
    throw AppError.field('url', `The host "${hostOf(url)}" could not be resolved.`);
  }
}

export async function createWebhook(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  clientId: string,
  body: CreateWebhookRequest,
  recovery?: RecoveryPoint,
): Promise<WebhookObject> {
  const config = JSON.stringify(body.config ?? {});
  if (config.length > CONFIG_LIMIT) {
    throw AppError.field('config', `Ensure this field has no more than ${CONFIG_LIMIT} characters.`);
  }
  await checkUrl(deps, body.url);
  const now = deps.clock.now().toISOString();
  const row: WebhooksTable = {
    client_id: clientId,
    id: newId(),
    name: body.name,
    url: body.url,
    events: JSON.stringify([...new Set(body.events)]),
    config,
    secret: body.secret ?? newSecret(),
    created_at: now,
    updated_at: now,
    last_sent_at: null,
    disabled_at: null,
    disabled_reason: null,
    failing_since: null,
  };
  const created = await deps.db.transaction().execute(async (trx) => {
    if ((await repo.countWebhooksLocked(trx, clientId)) >= MAX_WEBHOOKS) return false;
    await repo.insertWebhook(trx, row);
    await recovery?.mark(trx, resourceName('webhook', row.id));
    return true;
  });
  if (!created) {
    throw AppError.badRequest(
      `A client can have at most ${MAX_WEBHOOKS} webhook subscriptions. Delete one first, or subscribe one ` +
        'endpoint to several events (or "*").',
    );
  }
  return toWebhookObject(row);
}

async function loadWebhook(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<WebhooksTable> {
  const row = await repo.findWebhook(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return row;
}

export async function getWebhook(deps: Pick<Deps, 'db'>, clientId: string, id: string) {
  return toWebhookObject(await loadWebhook(deps, clientId, id));
}

export async function listWebhooks(deps: Pick<Deps, 'db' | 'config'>, clientId: string, query: ListQuery) {
  const request = readPage(query);
  const rows = await repo.listWebhooks(deps.db, clientId, request.page);
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/webhooks`, toWebhookObject);
}

export async function deleteWebhook(deps: Pick<Deps, 'db' | 'clock'>, clientId: string, id: string) {
  if (!(await repo.deleteWebhook(deps.db, clientId, id, deps.clock.now().toISOString()))) {
    throw AppError.notFound();
  }
}

export async function listDeliveries(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  webhookId: string,
  query: ListQuery,
) {
  await loadWebhook(deps, clientId, webhookId);
  const request = readPage(query);
  const rows = await repo.listDeliveries(deps.db, clientId, webhookId, request.page);
  const base = `${deps.config.PUBLIC_URL}/v2/webhooks/${webhookId}/deliveries`;
  return listPage(rows, request, base, toDeliveryObject);
}

async function loadDelivery(deps: Pick<Deps, 'db'>, clientId: string, webhookId: string, id: string) {
  const row = await repo.findDelivery(deps.db, clientId, id);
  if (!row || row.webhook_id !== webhookId) throw AppError.notFound();
  return row;
}

/**
 * Sends a delivery again, now, with the same body, event id and signature. One still
 * waiting for a retry is brought forward; a finished one gets a single new attempt.
 */
export async function retryDelivery(
  deps: Deps,
  clientId: string,
  webhookId: string,
  id: string,
  recovery?: RecoveryPoint,
) {
  await loadWebhook(deps, clientId, webhookId);
  const delivery = await loadDelivery(deps, clientId, webhookId, id);
  const now = deps.clock.now().toISOString();
  await transactAndWake(deps, async (trx) => {
    await recovery?.mark(trx, resourceName('delivery', id));
    const job = delivery.job_id ? await findJob(trx, clientId, delivery.job_id) : undefined;
    // Being sent right now: that attempt is the retry.
    if (job?.status === 'running') return;
    if (job?.status === 'queued' && (await runJobAt(trx, clientId, job.id, now))) {
      await repo.updateDelivery(trx, clientId, id, { next_attempt_at: now, updated_at: now });
      return;
    }
    const jobId = await queueSendJob(trx, clientId, id, now, true);
    await repo.updateDelivery(trx, clientId, id, {
      status: 'pending',
      job_id: jobId,
      next_attempt_at: now,
      updated_at: now,
    });
  });
  return toDeliveryObject(await loadDelivery(deps, clientId, webhookId, id));
}

/** Queues a signed `webhooks.test` event (one attempt, even to a disabled subscription). */
export async function sendTestEvent(
  deps: Deps,
  clientId: string,
  webhookId: string,
  recovery?: RecoveryPoint,
) {
  const hook = await loadWebhook(deps, clientId, webhookId);
  const at = deps.clock.now().toISOString();
  const data = { webhook: hook.id, message: 'A test event from invitekit.' };
  const id = await transactAndWake(deps, async (trx) => {
    const delivery = await queueWebhookDelivery(trx, hook, {
      eventId: newId(),
      event: TEST_EVENT,
      data,
      at,
      once: true,
    });
    await recovery?.mark(trx, resourceName('delivery', delivery));
    return delivery;
  });
  return toDeliveryObject(await loadDelivery(deps, clientId, webhookId, id));
}

/** A webhook delivery of the client, by id alone: what a recovered retry of a test or retry answers. */
export async function getDelivery(deps: Pick<Deps, 'db'>, clientId: string, id: string) {
  const row = await repo.findDelivery(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return toDeliveryObject(row);
}

/** One attempt at sending a delivery, as its log shows it. */
export interface DeliveryAttempt {
  at: string;
  /** sent | retry | failed | cancelled */
  outcome: string;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
}

/**
 * Every attempt at each of the client's deliveries, oldest first. A manual retry is a new job
 * whose attempts count from one again, so they are ordered by time.
 */
export async function listDeliveryAttempts(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  deliveryIds: string[],
): Promise<Map<string, DeliveryAttempt[]>> {
  const attemptsOf = async (id: string): Promise<[string, DeliveryAttempt[]]> => {
    const rows = await listAttempts(deps.db, clientId, id);
    const attempts = rows
      .filter((r) => r.outcome !== 'deferred')
      .map((r) => ({
        at: iso(r.started_at),
        outcome: r.outcome,
        response_status:
          parseJson<{ response_status?: number | null }>(r.detail ?? '{}').response_status ?? null,
        error: r.error,
        duration_ms: Number(r.duration_ms),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
    return [id, attempts];
  };
  return new Map(await Promise.all(deliveryIds.map(attemptsOf)));
}
