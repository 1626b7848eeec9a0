import { parseJson } from '../db/json.ts';
import type { FlowsTable, InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { findFlow, onlyFlow } from '../flows/flows.repo.ts';
import { flowTemplateOf } from '../flows/flows.service.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { newId } from '../lib/ids.ts';
import { transactAndWake } from '../queue/transact.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import { findTemplate } from '../templates/templates.repo.ts';
import type { InviteTemplateRequest } from '../templates/templates.schema.ts';
import { issueUserToken } from '../users/tokens.ts';
import { cancelQueuedDeliveries, queueDeliveries } from './deliveries.service.ts';
import { recordInviteEvent } from './invite-events.service.ts';
import { queueReminder } from './invite-reminders.ts';
import { InviteFiltersSchema, parseInviteFilters } from './invites.filters.ts';
import { resolveRecipient } from './invites.input.ts';
import type { InviteFilters, InviteView } from './invites.repo.ts';
import * as repo from './invites.repo.ts';
import type { InviteObject, ListInvitesQuery, SendInviteRequest } from './invites.schema.ts';
import { toInviteObject } from './invites.view.ts';
import { expiryOf, insertNewInvite, queueExpiry } from './new-invite.ts';

/**
 * The Email/SMS template a send is rendered with: the one `flow_id` names (which must be a
 * template of this client), else the client's default, else its only template when it has
 * exactly one, as the hosted Console does. A bad `flow_id` is added to `errors`.
 */
async function flowOfSend(
  deps: Deps,
  clientId: string,
  flowId: string | null | undefined,
  defaultFlowId: string | null,
  errors: FieldErrors,
): Promise<FlowsTable | undefined> {
  if (errors.flow_id) return undefined;
  if (flowId?.trim()) {
    const found = await findFlow(deps.db, clientId, flowId.trim().toUpperCase(), { includeDeleted: false });
    // A Shareable URL renders no send: named here, it is as unknown as a missing template.
    if (found?.type === 'email_sms_template') return found;
    errors.flow_id = [`Invalid flow "${flowId}" - no Email/SMS template has this ID.`];
    return undefined;
  }
  if (defaultFlowId) {
    const found = await findFlow(deps.db, clientId, defaultFlowId, { includeDeleted: false });
    if (found) return found;
  }
  return onlyFlow(deps.db, clientId);
}

/** The invite as the API answers for one object: with a fresh user token. */
async function answer(deps: Deps, view: InviteView): Promise<InviteObject> {
  const token = await issueUserToken(deps, view.client_id, view.user_id);
  return toInviteObject(view, deps.config.PUBLIC_URL, token);
}

async function loadView(deps: Deps, clientId: string, id: string): Promise<InviteView> {
  const view = await repo.findInviteView(deps.db, clientId, id);
  if (!view) throw AppError.notFound();
  return view;
}

/**
 * Sends an invite. `schemaErrors` are the body schema's complaints, if any: they are
 * answered together with the rules checked here, so the caller sees every problem at once.
 */
export async function sendInvite(
  deps: Deps,
  clientId: string,
  body: SendInviteRequest,
  schemaErrors: FieldErrors = {},
  recovery?: RecoveryPoint,
): Promise<InviteObject> {
  // A body that is not an object has nothing more to judge.
  if (schemaErrors.non_field_errors) throw AppError.fields(schemaErrors);
  const errors = schemaErrors;
  const who = resolveRecipient(body, errors);
  const settings = await loadInviteSettings(deps.db, clientId);
  if (settings.require_external_id && !body.external_id?.trim() && !errors.external_id) {
    errors.external_id = ['This field is required.'];
  }
  const flow = await flowOfSend(deps, clientId, body.flow_id, settings.default_flow_id, errors);
  let template: InviteTemplateRequest | null = null;
  if (body.invite_template_id && !errors.invite_template_id) {
    const id = body.invite_template_id.toLowerCase();
    const found = await findTemplate(deps.db, clientId, id, { includeDeleted: false });
    if (found) template = parseJson<InviteTemplateRequest>(found.data);
    else errors.invite_template_id = [`Invalid pk "${id}" - object does not exist.`];
  }
  if (!who || Object.keys(errors).length > 0) throw AppError.fields(errors);
  const override = body.override_invite_template ?? null;
  const flowReplyTo = flow ? flowTemplateOf(flow).email?.reply_to : undefined;
  const replyTo = [
    ...new Set(
      override?.email?.reply_to ??
        (template?.reply_to ? [template.reply_to] : undefined) ??
        flowReplyTo ??
        [],
    ),
  ];
  const now = deps.clock.now().toISOString();
  const userId = newId();
  const row: InvitesTable = {
    client_id: clientId,
    id: newId(),
    user_id: userId,
    first_name: who.firstName,
    last_name: who.lastName,
    email: who.email,
    phone_number: who.phoneNumber,
    phone_e164: who.phoneE164,
    status: 'sent',
    group_id: null,
    flow_id: body.flow_id ?? override?.landing_page?.flow_id ?? template?.flow_id ?? null,
    flow_items: JSON.stringify(body.flow_items ?? []),
    reply_to: JSON.stringify(replyTo),
    external_id: body.external_id ?? null,
    dds_config: body.dds_config ? JSON.stringify(body.dds_config) : null,
    override_invite_template: override ? JSON.stringify(override) : null,
    invite_template_id: body.invite_template_id?.toLowerCase() ?? null,
    rendered_flow_id: flow?.id ?? null,
    expires_at: expiryOf(settings, now),
    expired_at: null,
    reminder_count: 0,
    created_at: now,
    updated_at: now,
    invited_at: now,
    revoked_at: null,
  };
  const deliveries = await transactAndWake(deps, async (trx) => {
    const user = {
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone_number: row.phone_number,
    };
    await insertNewInvite(trx, row, user, replyTo);
    await queueReminder(trx, row, settings, now, 1, new Date(now));
    await recovery?.mark(trx, resourceName('invite', row.id));
    const queued = await queueDeliveries(trx, row, now, 'invite');
    const data = { deliveries: queued.map((d) => d.id) };
    await recordInviteEvent(trx, deps.config, {
      client_id: clientId,
      invite_id: row.id,
      type: 'invite.sent',
      data,
      created_at: now,
    });
    return queued;
  });
  return answer(deps, { ...row, deliveries: deliveries.reverse() });
}

export async function getInvite(deps: Deps, clientId: string, id: string): Promise<InviteObject> {
  return answer(deps, await loadView(deps, clientId, id));
}

export async function resendInvite(
  deps: Deps,
  clientId: string,
  id: string,
  recovery?: RecoveryPoint,
): Promise<InviteObject> {
  const row = await repo.findInvite(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  const now = deps.clock.now().toISOString();
  const settings = await loadInviteSettings(deps.db, clientId);
  const expiresAt = expiryOf(settings, now);
  const resent = await transactAndWake(deps, async (trx) => {
    if (!(await repo.markResent(trx, clientId, id, now, expiresAt))) return false;
    await recovery?.mark(trx, resourceName('invite', id));
    if (expiresAt) await queueExpiry(trx, row, expiresAt);
    // The count starts again; the earlier send's reminders see the new send time and stand down.
    await queueReminder(trx, row, settings, now, 1, new Date(now));
    const queued = await queueDeliveries(trx, row, now, 'resend');
    const data = { deliveries: queued.map((d) => d.id) };
    await recordInviteEvent(trx, deps.config, {
      client_id: clientId,
      invite_id: id,
      type: 'invite.resent',
      data,
      created_at: now,
    });
    return true;
  });
  if (!resent) throw AppError.badRequest('This invite has been revoked and cannot be re-sent.');
  return answer(deps, await loadView(deps, clientId, id));
}

export async function revokeInvite(
  deps: Deps,
  clientId: string,
  id: string,
  recovery?: RecoveryPoint,
): Promise<InviteObject> {
  const row = await repo.findInvite(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  if (row.status === 'completed') throw AppError.badRequest('A completed invite cannot be revoked.');
  const now = deps.clock.now().toISOString();
  await transactAndWake(deps, async (trx) => {
    if (!(await repo.markRevoked(trx, clientId, id, now))) return;
    await recovery?.mark(trx, resourceName('invite', id));
    await cancelQueuedDeliveries(trx, clientId, id, now);
    await recordInviteEvent(trx, deps.config, {
      client_id: clientId,
      invite_id: id,
      type: 'invite.revoked',
      created_at: now,
    });
  });
  const current = await loadView(deps, clientId, id);
  if (current.status === 'completed') throw AppError.badRequest('A completed invite cannot be revoked.');
  return answer(deps, current);
}

export async function listInvites(deps: Deps, clientId: string, query: ListInvitesQuery) {
  const request = readPage<InviteFilters>(query, {
    filtersSchema: InviteFiltersSchema,
    firstFilters: () => parseInviteFilters(query),
  });
  const rows = await repo.listInvites(deps.db, clientId, request.filters, request.page);
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/invites`, (r) =>
    toInviteObject(r, deps.config.PUBLIC_URL, null),
  );
}
