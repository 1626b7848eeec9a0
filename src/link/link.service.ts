import { createHash } from 'node:crypto';
import * as accounts from '../accounts/accounts.repo.ts';
import { accountPayload } from '../accounts/accounts.service.ts';
import { type Item, itemById, itemsFor } from '../accounts/items.ts';
import { queueCompletionNotices } from '../delivery/completed-notice.job.ts';
import { markDeliveryOpened } from '../delivery/tracking.service.ts';
import type { Deps } from '../deps.ts';
import type { InviteEventType } from '../events/event-types.ts';
import { recordEvent } from '../events/recorder.ts';
import { recordInviteEvent } from '../invites/invite-events.service.ts';
import { type ForwardStatus, isClosed } from '../invites/invite-status.ts';
import { advanceInvite } from '../invites/invites.repo.ts';
import { invitePayload } from '../invites/invites.view.ts';
import { newId, parseUuid } from '../lib/ids.ts';
import { type JobTx, transactAndWake } from '../queue/transact.ts';
import {
  documentTotals,
  findInviteById,
  insertDocument,
  insertFormResponse,
  lockInvite,
  lockUser,
} from './link.repo.ts';
import { checkSandboxLogin, expectedCode } from './sandbox.ts';
import { type FlowScope, PageError } from './scope.ts';
import { fullProblem, roomAfter, uploadsClosed } from './upload-limits.ts';

/** The Items this flow offers (the invite's or its template's flow_items, or the catalog). */
export function offeredItems(scope: FlowScope): Item[] {
  return itemsFor(scope.items);
}

/** An Item the flow offers, or a 404 page. */
export function offeredItem(scope: FlowScope, itemId: string): Item {
  const item = itemById(itemId);
  if (!item || !offeredItems(scope).some((i) => i.id === item.id))
    throw new PageError('not_found', scope.invite);
  return item;
}

/**
 * Runs a change of the recipient's in one transaction: `change` gets `progress` to move the
 * invite forward. Completion queues the reply_to notices in the same transaction. An invite
 * revoked since the page was loaded changes nothing.
 */
async function inTransaction<T>(
  deps: Deps,
  scope: FlowScope,
  change: (
    trx: JobTx,
    progress: (to: ForwardStatus, data: Record<string, unknown>) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const at = deps.clock.now().toISOString();
  return transactAndWake(deps, async (trx) => {
    const invite = scope.invite ? await findInviteById(trx, scope.invite.id) : undefined;
    if (invite && isClosed(invite, deps.clock.now()) && scope.userToken === null) {
      throw new PageError('expired', invite);
    }
    return change(trx, async (to, data) => {
      if (!invite) return;
      const moved = await advanceInvite(trx, invite, to, at);
      if (!moved) return;
      await recordInviteEvent(trx, deps.config, {
        client_id: moved.client_id,
        invite_id: moved.id,
        type: `invite.${to}`,
        data,
        created_at: at,
      });
      if (to === 'completed') await queueCompletionNotices(trx, moved, at);
    });
  });
}

/**
 * Records an event on the scope's invite, if it has one; its webhook payload is the
 * invite's unless `payload` says otherwise.
 */
function note(
  deps: Deps,
  trx: JobTx,
  scope: FlowScope,
  event: { type: InviteEventType; data: Record<string, unknown>; at: string },
  payload?: Parameters<typeof recordEvent>[2],
) {
  if (!scope.invite) return Promise.resolve();
  const inviteId = scope.invite.id;
  const row = {
    client_id: scope.clientId,
    invite_id: inviteId,
    type: event.type,
    data: event.data,
    created_at: event.at,
  };
  return recordEvent(trx, row, payload ?? invitePayload(trx, deps.config, scope.clientId, inviteId));
}

/** The landing page was opened: the delivery it came from (`?d=`) is opened; the invite's status waits for a person. */
export async function openLanding(deps: Deps, scope: FlowScope, deliveryRef: unknown): Promise<void> {
  const deliveryId = parseUuid(deliveryRef);
  if (deliveryId && scope.invite) await markDeliveryOpened(deps, deliveryId, scope.invite.id);
}

/** The recipient pressed the landing page's button: `sent` → `initiated`. Returns where Link starts. */
export async function enterLink(deps: Deps, scope: FlowScope): Promise<{ directItem: Item | null }> {
  await inTransaction(deps, scope, (_trx, progress) =>
    progress('initiated', { via: scope.userToken ? 'embedded' : 'invite_url' }),
  );
  const items = offeredItems(scope);
  return { directItem: items.length === 1 ? (items[0] ?? null) : null };
}

/** A login at an Item: creates or updates the account attempt; the invite is `attempted` either way. */
export async function submitCredentials(
  deps: Deps,
  scope: FlowScope,
  item: Item,
  username: string,
  password: string,
): Promise<{ accepted: false } | { accepted: true; accountId: string; connected: boolean }> {
  const accepted = checkSandboxLogin(username.trim(), password);
  const at = deps.clock.now().toISOString();
  const account = await inTransaction(deps, scope, async (trx, progress) => {
    await accounts.recordLoginAttempt(trx, {
      client_id: scope.clientId,
      id: newId(),
      user_id: scope.userId,
      invite_id: scope.invite?.id ?? null,
      item_id: item.id,
      status: accepted ? 'connecting' : 'error',
      error_code: accepted ? null : 'invalid_credentials',
      sandbox_login: accepted ? username.trim() : null,
      created_at: at,
      updated_at: at,
    });
    await progress('attempted', { reason: 'credentials', item: item.id });
    return accounts.findUserAccount(trx, scope.clientId, scope.userId, item.id);
  });
  if (!accepted || !account) return { accepted: false };
  return { accepted: true, accountId: account.id, connected: account.status === 'connected' };
}

/** The account of this flow's user, or a 404 page. */
export async function accountOf(deps: Deps, scope: FlowScope, rawId: string) {
  const id = parseUuid(rawId);
  const account = id ? await accounts.findAccount(deps.db, scope.clientId, id) : undefined;
  if (!account || account.user_id !== scope.userId) throw new PageError('not_found', scope.invite);
  return account;
}

/** The verification code step: the right code connects the account and completes the invite. */
export async function submitCode(
  deps: Deps,
  scope: FlowScope,
  accountId: string,
  code: string,
): Promise<'connected' | 'wrong_code' | 'not_pending'> {
  const account = await accountOf(deps, scope, accountId);
  if (account.status === 'connected') return 'connected';
  if (account.status !== 'connecting') return 'not_pending';
  if (code.trim() !== expectedCode(account.sandbox_login)) return 'wrong_code';
  const at = deps.clock.now().toISOString();
  await inTransaction(deps, scope, async (trx, progress) => {
    if (!(await accounts.markAccountConnected(trx, scope.clientId, account.id, at))) return;
    const event = {
      type: 'account.connected',
      data: { account: account.id, item: account.item_id },
      at,
    } as const;
    await note(deps, trx, scope, event, accountPayload(trx, scope.clientId, account.id));
    await progress('completed', { reason: 'account_connected', account: account.id });
  });
  return 'connected';
}

export interface UploadedFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * A document instead of a login: stored, and the invite is `completed`. Refused with a page
 * when the invite takes no more uploads or the file does not fit in what is left.
 */
export async function uploadDocument(deps: Deps, scope: FlowScope, file: UploadedFile, submissionId: string) {
  const at = deps.clock.now().toISOString();
  const id = newId();
  await inTransaction(deps, scope, async (trx, progress) => {
    // Uploads of one invite take turns from here to the commit, so that concurrent ones cannot
    // pass a limit together, nor land after the invite was revoked or completed.
    if (scope.invite) {
      const invite = await lockInvite(trx, scope.invite.id);
      const closed = uploadsClosed(invite, scope.userToken !== null, deps.clock.now());
      if (closed) throw new PageError(closed, invite ?? null);
    } else {
      await lockUser(trx, scope.clientId, scope.userId);
    }
    const full = fullProblem(
      roomAfter(await documentTotals(trx, scope.clientId, scope.userId)),
      file.content.length,
    );
    if (full) throw new PageError(full, scope.invite);
    const stored = await insertDocument(trx, {
      client_id: scope.clientId,
      id,
      user_id: scope.userId,
      invite_id: scope.invite?.id ?? null,
      submission_id: submissionId,
      file_name: file.fileName.slice(0, 255),
      content_type: file.contentType.slice(0, 100),
      size: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      content: file.content,
      created_at: at,
    });
    if (!stored) return;
    const data = { document: id, file_name: file.fileName.slice(0, 255), size: file.content.length };
    await note(deps, trx, scope, { type: 'document.uploaded', data, at });
    await progress('completed', { reason: 'document_uploaded', document: id });
  });
}

/** Answers instead of a login: stored, and the invite is `attempted` (nothing is connected). */
export async function submitResponseForm(
  deps: Deps,
  scope: FlowScope,
  answers: Record<string, string>,
  submissionId: string,
) {
  const at = deps.clock.now().toISOString();
  const id = newId();
  await inTransaction(deps, scope, async (trx, progress) => {
    const stored = await insertFormResponse(trx, {
      client_id: scope.clientId,
      id,
      user_id: scope.userId,
      invite_id: scope.invite?.id ?? null,
      submission_id: submissionId,
      data: JSON.stringify(answers),
      created_at: at,
    });
    if (!stored) return;
    await note(deps, trx, scope, { type: 'response_form.submitted', data: { response: id }, at });
    await progress('attempted', { reason: 'response_form', response: id });
  });
}
