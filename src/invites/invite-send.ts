import { parseJson } from '../db/json.ts';
import type { DeliveriesTable, FlowsTable, InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import type { FieldErrors } from '../errors.ts';
import { addInviteEvent } from '../events/recorder.ts';
import { findFlow, onlyFlow } from '../flows/flows.repo.ts';
import { flowTemplateOf } from '../flows/flows.service.ts';
import { newId } from '../lib/ids.ts';
import type { JobTx } from '../queue/transact.ts';
import { type InviteSettings, loadInviteSettings } from '../settings/invite-settings.service.ts';
import { findTemplate } from '../templates/templates.repo.ts';
import type { InviteTemplateRequest } from '../templates/templates.schema.ts';
import { deliveryRows } from './deliveries.service.ts';
import { reminderJob } from './invite-reminders.ts';
import { resolveRecipient } from './invites.input.ts';
import type { SendInviteRequest } from './invites.schema.ts';
import { invitePayload } from './invites.view.ts';
import { addNewInvite, expiryOf, inviteWrites, writeInviteRows } from './new-invite.ts';

/**
 * What the sends of one request share: the client's invite settings, and the templates
 * already looked up (a batch names the same few again and again).
 */
export interface SendContext {
  clientId: string;
  settings: InviteSettings;
  found: Map<string, Promise<unknown>>;
}

export async function sendContext(deps: Deps, clientId: string): Promise<SendContext> {
  return { clientId, settings: await loadInviteSettings(deps.db, clientId), found: new Map() };
}

function lookUp<T>(
  ctx: SendContext,
  key: string,
  find: () => Promise<T | undefined>,
): Promise<T | undefined> {
  let found = ctx.found.get(key);
  if (!found) {
    found = find();
    ctx.found.set(key, found);
  }
  return found as Promise<T | undefined>;
}

/**
 * The Email/SMS template a send is rendered with: the one `flow_id` names (which must be a
 * template of this client), else the client's default, else its only template when it has
 * exactly one, as the hosted Console does. A bad `flow_id` is added to `errors`.
 */
async function flowOfSend(
  deps: Deps,
  ctx: SendContext,
  flowId: string | null | undefined,
  errors: FieldErrors,
): Promise<FlowsTable | undefined> {
  if (errors.flow_id) return undefined;
  const { clientId } = ctx;
  const live = { includeDeleted: false };
  if (flowId?.trim()) {
    const id = flowId.trim().toUpperCase();
    const found = await lookUp(ctx, `flow:${id}`, () => findFlow(deps.db, clientId, id, live));
    // A Shareable URL renders no send: named here, it is as unknown as a missing template.
    if (found?.type === 'email_sms_template') return found;
    errors.flow_id = [`Invalid flow "${flowId}" - no Email/SMS template has this ID.`];
    return undefined;
  }
  const defaultId = ctx.settings.default_flow_id;
  if (defaultId) {
    const found = await lookUp(ctx, `flow:${defaultId}`, () => findFlow(deps.db, clientId, defaultId, live));
    if (found) return found;
  }
  return lookUp(ctx, 'only-flow', () => onlyFlow(deps.db, clientId));
}

/**
 * Who sends from the Console: the member (recorded as the invite's sender), the group the
 * invite belongs to, and the teammates Cc'd (added to its `reply_to`). API sends have none.
 */
export interface SendOrigin {
  memberId: string;
  groupId: string | null;
  cc: string[];
}

/** A send that passed every rule: the invite row as it will be written, and what goes with it. */
export interface PreparedInvite {
  row: InvitesTable;
  replyTo: string[];
  settings: InviteSettings;
}

/**
 * Judges one send body against the rules the schema cannot state and builds its invite.
 * `schemaErrors` are the body schema's complaints, if any: they are answered together with
 * the rules checked here, so the caller sees every problem at once.
 */
export async function prepareInvite(
  deps: Deps,
  ctx: SendContext,
  body: SendInviteRequest,
  schemaErrors: FieldErrors,
  origin?: SendOrigin,
): Promise<{ invite: PreparedInvite } | { errors: FieldErrors }> {
  // A body that is not an object has nothing more to judge.
  if (schemaErrors.non_field_errors) return { errors: schemaErrors };
  const { clientId, settings } = ctx;
  const errors = schemaErrors;
  const who = resolveRecipient(body, errors);
  if (settings.require_external_id && !body.external_id?.trim() && !errors.external_id) {
    errors.external_id = ['This field is required.'];
  }
  const flow = await flowOfSend(deps, ctx, body.flow_id, errors);
  let template: InviteTemplateRequest | null = null;
  if (body.invite_template_id && !errors.invite_template_id) {
    const id = body.invite_template_id.toLowerCase();
    const found = await lookUp(ctx, `template:${id}`, () =>
      findTemplate(deps.db, clientId, id, { includeDeleted: false }),
    );
    if (found) template = parseJson<InviteTemplateRequest>(found.data);
    else errors.invite_template_id = [`Invalid pk "${id}" - object does not exist.`];
  }
  if (!who || Object.keys(errors).length > 0) return { errors };
  const override = body.override_invite_template ?? null;
  const flowReplyTo = flow ? flowTemplateOf(flow).email?.reply_to : undefined;
  const replyTo = [
    ...new Set([
      ...(override?.email?.reply_to ??
        (template?.reply_to ? [template.reply_to] : undefined) ??
        flowReplyTo ??
        []),
      ...(origin?.cc ?? []),
    ]),
  ];
  const now = deps.clock.now().toISOString();
  const row: InvitesTable = {
    client_id: clientId,
    id: newId(),
    user_id: newId(),
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
  if (origin) {
    row.group_id = origin.groupId;
    row.sent_by_member_id = origin.memberId;
  }
  return { invite: { row, replyTo, settings } };
}

/**
 * Writes prepared sends of one client inside the caller's transaction, as every send writes
 * one: the user, the invite with its expiry and first reminder, a delivery and its send job
 * per contact, and `invite.sent`. Each table takes one statement for all of them (or a few,
 * for many rows), and the client's webhook subscriptions are read once. Answers each
 * invite's deliveries, oldest first.
 */
export async function writeInvites(
  trx: JobTx,
  deps: Deps,
  prepared: readonly PreparedInvite[],
): Promise<DeliveriesTable[][]> {
  const first = prepared[0];
  if (!first) return [];
  const w = await inviteWrites(trx, first.row.client_id);
  const queued = prepared.map(({ row, replyTo, settings }) => {
    const now = row.created_at;
    const user = {
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone_number: row.phone_number,
    };
    addNewInvite(trx, w, row, user, replyTo);
    const reminder = reminderJob(row, settings, now, 1, new Date(now));
    if (reminder) w.events.jobs.push(reminder);
    const deliveries = deliveryRows(row, now, 'invite', w.events.jobs);
    w.deliveries.push(...deliveries);
    addInviteEvent(
      w.events,
      {
        client_id: row.client_id,
        invite_id: row.id,
        type: 'invite.sent',
        data: { deliveries: deliveries.map((d) => d.id) },
        created_at: now,
      },
      invitePayload(trx, deps.config, row.client_id, row.id),
    );
    return deliveries;
  });
  await writeInviteRows(trx, w);
  return queued;
}

/** Writes one prepared send (see `writeInvites`); answers its deliveries, oldest first. */
export async function writeInvite(
  trx: JobTx,
  deps: Deps,
  prepared: PreparedInvite,
): Promise<DeliveriesTable[]> {
  return (await writeInvites(trx, deps, [prepared]))[0] ?? [];
}
