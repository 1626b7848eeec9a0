import type { Db } from '../db/client.ts';
import type { InvitesTable } from '../db/tables.ts';
import { listDeliveries } from '../delivery/deliveries.repo.ts';
import { createDeliveries } from '../delivery/deliveries.service.ts';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { buildPage, decodeCursor, type PageRequest } from '../http/pagination.ts';
import { newId } from '../lib/ids.ts';
import { iso, isoOrNull } from '../lib/time.ts';
import type { RenderContext } from '../templates/render.ts';
import { findTemplate } from '../templates/templates.repo.ts';
import type { InviteTemplateRequest } from '../templates/templates.schema.ts';
import { issueUserToken } from '../users/tokens.ts';
import { insertUser } from '../users/users.repo.ts';
import { InviteFiltersSchema, parseInviteFilters } from './invites.filters.ts';
import { resolveRecipient } from './invites.input.ts';
import type { InviteFilters } from './invites.repo.ts';
import * as repo from './invites.repo.ts';
import type {
  InviteObject,
  ListInvitesQuery,
  OverrideInviteTemplate,
  SendInviteRequest,
} from './invites.schema.ts';

type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>[number];

export function inviteUrl(publicUrl: string, inviteId: string): string {
  return `${publicUrl}/connect/${inviteId}`;
}

export function toInviteObject(
  row: InvitesTable,
  deliveries: DeliveryRow[],
  publicUrl: string,
  userToken: string | null,
): InviteObject {
  return {
    id: row.id,
    user: row.user_id,
    user_token: userToken,
    email: row.email,
    phone_number: row.phone_number,
    full_name: `${row.first_name} ${row.last_name}`.trim(),
    first_name: row.first_name,
    last_name: row.last_name,
    revoked_at: isoOrNull(row.revoked_at),
    status: row.status as InviteObject['status'],
    group_id: row.group_id,
    url: inviteUrl(publicUrl, row.id),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    invited_at: iso(row.invited_at),
    flow_id: row.flow_id,
    flow_items: JSON.parse(row.flow_items) as string[],
    reply_to: JSON.parse(row.reply_to) as string[],
    deliveries: deliveries.map((d) => ({
      id: d.id,
      method: d.method,
      status: d.status,
      sent_at: iso(d.sent_at),
      updated_at: iso(d.updated_at),
    })),
    invite_template_id: row.invite_template_id,
  };
}

/** What the invite's messages are rendered from: its override and its legacy template, if any. */
export async function renderContextFor(db: Db, row: InvitesTable, publicUrl: string): Promise<RenderContext> {
  const template = row.invite_template_id
    ? await findTemplate(db, row.client_id, row.invite_template_id, { includeDeleted: true })
    : undefined;
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    url: inviteUrl(publicUrl, row.id),
    override: row.override_invite_template
      ? (JSON.parse(row.override_invite_template) as OverrideInviteTemplate)
      : null,
    template: template ? (JSON.parse(template.data) as InviteTemplateRequest) : null,
  };
}

async function withToken(deps: Deps, row: InvitesTable): Promise<InviteObject> {
  const deliveries = await listDeliveries(deps.db, row.client_id, [row.id]);
  const token = await issueUserToken(deps, row.client_id, row.user_id);
  return toInviteObject(row, deliveries, deps.config.PUBLIC_URL, token);
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
): Promise<InviteObject> {
  // A body that is not an object has nothing more to judge.
  if (schemaErrors.non_field_errors) throw AppError.fields(schemaErrors);
  const errors = schemaErrors;
  const who = resolveRecipient(body, errors);
  let template: InviteTemplateRequest | null = null;
  if (body.invite_template_id && !errors.invite_template_id) {
    const id = body.invite_template_id.toLowerCase();
    const found = await findTemplate(deps.db, clientId, id, { includeDeleted: false });
    if (found) template = JSON.parse(found.data) as InviteTemplateRequest;
    else errors.invite_template_id = [`Invalid pk "${id}" - object does not exist.`];
  }
  if (!who || Object.keys(errors).length > 0) throw AppError.fields(errors);
  const override = body.override_invite_template ?? null;
  const replyTo = [...new Set(override?.email?.reply_to ?? (template?.reply_to ? [template.reply_to] : []))];
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
    created_at: now,
    updated_at: now,
    invited_at: now,
    revoked_at: null,
  };
  const render: RenderContext = {
    firstName: row.first_name,
    lastName: row.last_name,
    url: inviteUrl(deps.config.PUBLIC_URL, row.id),
    override,
    template,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertUser(trx, {
      client_id: clientId,
      id: userId,
      external_id: row.external_id,
      first_name: row.first_name,
      last_name: row.last_name,
      email: row.email,
      phone_number: row.phone_number,
      created_at: now,
      updated_at: now,
    });
    const replyRows = replyTo.map((email) => ({
      client_id: clientId,
      email: email.toLowerCase(),
      created_at: now,
      invite_id: row.id,
    }));
    await repo.insertInvite(trx, row, replyRows);
    await createDeliveries(trx, row, render, now);
  });
  return withToken(deps, row);
}

export async function getInvite(deps: Deps, clientId: string, id: string): Promise<InviteObject> {
  const row = await repo.findInvite(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return withToken(deps, row);
}

export async function resendInvite(deps: Deps, clientId: string, id: string): Promise<InviteObject> {
  const row = await repo.findInvite(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  const now = deps.clock.now().toISOString();
  const render = await renderContextFor(deps.db, row, deps.config.PUBLIC_URL);
  const resent = await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.markResent(trx, clientId, id, now))) return false;
    await createDeliveries(trx, row, render, now);
    return true;
  });
  if (!resent) throw AppError.badRequest('This invite has been revoked and cannot be re-sent.');
  return withToken(deps, { ...row, invited_at: now, updated_at: now });
}

export async function revokeInvite(deps: Deps, clientId: string, id: string): Promise<InviteObject> {
  const row = await repo.findInvite(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  if (row.status === 'completed') throw AppError.badRequest('A completed invite cannot be revoked.');
  await repo.markRevoked(deps.db, clientId, id, deps.clock.now().toISOString());
  const current = await repo.findInvite(deps.db, clientId, id);
  if (current?.status === 'completed') throw AppError.badRequest('A completed invite cannot be revoked.');
  return withToken(deps, current!);
}

export async function listInvites(deps: Deps, clientId: string, query: ListInvitesQuery) {
  let filters: InviteFilters;
  let page: PageRequest;
  if (query.cursor !== undefined) {
    ({ filters, page } = decodeCursor<InviteFilters>(query.cursor, InviteFiltersSchema));
  } else {
    filters = parseInviteFilters(query);
    page = { direction: 'next', key: null, limit: query.limit ?? 10 };
  }
  const rows = await repo.listInvites(deps.db, clientId, filters, page);
  const {
    rows: items,
    next,
    previous,
  } = buildPage(rows, page, filters, `${deps.config.PUBLIC_URL}/v2/invites`);
  const deliveries = await listDeliveries(
    deps.db,
    clientId,
    items.map((r) => r.id),
  );
  const byInvite = new Map<string, DeliveryRow[]>();
  for (const d of deliveries) byInvite.set(d.invite_id, [...(byInvite.get(d.invite_id) ?? []), d]);
  return {
    next,
    previous,
    results: items.map((r) => toInviteObject(r, byInvite.get(r.id) ?? [], deps.config.PUBLIC_URL, null)),
  };
}
