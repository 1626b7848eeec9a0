import { isPostgres } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { transactAndWake } from '../queue/transact.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import { issueUserToken } from '../users/tokens.ts';
import { cancelQueuedDeliveries, queueDeliveries } from './deliveries.service.ts';
import { recordInviteEvent } from './invite-events.service.ts';
import { queueReminder } from './invite-reminders.ts';
import { prepareInvite, sendContext, writeInvite } from './invite-send.ts';
import { InviteFiltersSchema, parseInviteFilters } from './invites.filters.ts';
import type { InviteFilters, InviteView } from './invites.repo.ts';
import * as repo from './invites.repo.ts';
import type { InviteObject, ListInvitesQuery, SendInviteRequest } from './invites.schema.ts';
import { toInviteObject } from './invites.view.ts';
import { expiryOf, queueExpiry } from './new-invite.ts';

/** The invite as the API answers for one object: with a fresh user token. */
export async function answerInvite(deps: Deps, view: InviteView): Promise<InviteObject> {
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
  const prepare = async (d: Deps) => {
    const prepared = await prepareInvite(d, await sendContext(d, clientId), body, schemaErrors);
    if ('errors' in prepared) throw AppError.fields(prepared.errors);
    return prepared.invite;
  };
  // On SQLite the settings and templates are read inside the write's member of a shared
  // commit: a read of its own costs a lock and, while others commit, a cold page cache
  // (about 50 µs a send, where the writer's warm cache takes a few). Not for a body the
  // schema refused, which is answered without the write lock another process may hold; nor
  // on PostgreSQL, where reads inside would hold the transaction's connection through their
  // round trips.
  const before = isPostgres(deps.db) || Object.keys(schemaErrors).length > 0 ? await prepare(deps) : null;
  const { row, deliveries } = await transactAndWake(deps, async (trx) => {
    const invite = before ?? (await prepare({ ...deps, db: trx }));
    await recovery?.mark(trx, resourceName('invite', invite.row.id));
    return { row: invite.row, deliveries: await writeInvite(trx, deps, invite) };
  });
  return answerInvite(deps, { ...row, deliveries: deliveries.reverse() });
}

export async function getInvite(deps: Deps, clientId: string, id: string): Promise<InviteObject> {
  return answerInvite(deps, await loadView(deps, clientId, id));
}

/** The Console member who acted, kept in the event's `data.member`; API calls have none. */
export interface MemberActor {
  id: string;
  name: string;
}

export async function resendInvite(
  deps: Deps,
  clientId: string,
  id: string,
  recovery?: RecoveryPoint,
  actor?: MemberActor,
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
    const data = { deliveries: queued.map((d) => d.id), ...(actor && { member: actor }) };
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
  return answerInvite(deps, await loadView(deps, clientId, id));
}

export async function revokeInvite(
  deps: Deps,
  clientId: string,
  id: string,
  recovery?: RecoveryPoint,
  actor?: MemberActor,
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
      ...(actor && { data: { member: actor } }),
      created_at: now,
    });
  });
  const current = await loadView(deps, clientId, id);
  if (current.status === 'completed') throw AppError.badRequest('A completed invite cannot be revoked.');
  return answerInvite(deps, current);
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
