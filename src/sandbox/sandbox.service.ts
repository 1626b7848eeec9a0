import { addClockOffset } from '../db/sandbox-clocks.repo.ts';
import { reportDeliveryStatus } from '../delivery/tracking.service.ts';
import type { Deps } from '../deps.ts';
import { AppError, ERROR_STATUS, type ErrorKind } from '../errors.ts';
import { findDeliveryById } from '../invites/deliveries.repo.ts';
import { findInvite, findInviteView } from '../invites/invites.repo.ts';
import { getInvite } from '../invites/invites.service.ts';
import { newId, parseUuid } from '../lib/ids.ts';
import { iso } from '../lib/time.ts';
import {
  enterLink,
  offeredItems,
  openLanding,
  submitCode,
  submitCredentials,
  uploadDocument,
} from '../link/link.service.ts';
import { messagePage } from '../link/pages/messages.ts';
import { type FlowScope, inviteScope, PageError, type PageProblem } from '../link/scope.ts';
import { UPLOAD_LIMITS } from '../link/upload-limits.ts';
import { hasUnsettledJobs } from '../queue/queue.repo.ts';
import { copyFor } from '../templates/copy/index.ts';
import { deleteActivity } from './sandbox.repo.ts';
import type { SimulateDeliveryRequest, SimulateInviteRequest } from './sandbox.schema.ts';

/** The sandbox login that connects, and its verification code (link/sandbox.ts). */
const GOOD_LOGIN = { username: 'test_1', password: 'passgood', code: '8081' };
/** A one-page PDF, as a recipient's upload. */
const SAMPLE_DOCUMENT = {
  fileName: 'paystub.pdf',
  contentType: 'application/pdf',
  content: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
};

/** What the page would answer, as an API error: its status and its words. */
function refusal(problem: PageProblem): AppError {
  const { status } = messagePage(problem, null);
  const kind =
    (Object.keys(ERROR_STATUS) as ErrorKind[]).find((k) => ERROR_STATUS[k] === status) ?? 'internal';
  const { title, text } = copyFor('en').problems(UPLOAD_LIMITS)[problem];
  return AppError.detail(kind, `${title}. ${text}`);
}

/** The invite's scope as its URL opens it; another client's invite does not exist. */
async function scopeOf(deps: Deps, clientId: string, inviteId: string): Promise<FlowScope> {
  const scope = await inviteScope(deps, inviteId);
  if (scope.clientId !== clientId) throw new PageError('not_found');
  return scope;
}

/** The step before a login: a browser presses the landing page's button first. */
async function entered(deps: Deps, scope: FlowScope) {
  if (scope.invite?.status === 'sent') await enterLink(deps, scope);
}

async function act(deps: Deps, scope: FlowScope, clientId: string, input: SimulateInviteRequest) {
  const item = offeredItems(scope)[0];
  if (!item) throw AppError.badRequest('The invite offers no Item to log in to.');
  switch (input.action) {
    case 'open': {
      const view = await findInviteView(deps.db, clientId, scope.invite?.id ?? '');
      const latest = view?.deliveries[0]?.id;
      return openLanding(deps, scope, latest);
    }
    case 'initiate':
      return void (await enterLink(deps, scope));
    case 'attempt':
      await entered(deps, scope);
      return void (await submitCredentials(deps, scope, item, 'sandbox_wrong', 'wrong password'));
    case 'complete': {
      await entered(deps, scope);
      if (input.via === 'document') return uploadDocument(deps, scope, SAMPLE_DOCUMENT, newId());
      const login = await submitCredentials(deps, scope, item, GOOD_LOGIN.username, GOOD_LOGIN.password);
      if (login.accepted && !login.connected) await submitCode(deps, scope, login.accountId, GOOD_LOGIN.code);
      return;
    }
  }
}

/**
 * Moves the invite as the recipient's browser would, through the same service functions as
 * the pages (statuses, events, accounts, completion notices, webhooks). What the pages would
 * refuse is refused with their status and words.
 */
export async function simulateInvite(
  deps: Deps,
  clientId: string,
  inviteId: string,
  input: SimulateInviteRequest,
) {
  try {
    await act(deps, await scopeOf(deps, clientId, inviteId), clientId, input);
  } catch (err) {
    if (err instanceof PageError) throw refusal(err.problem);
    throw err;
  }
  return getInvite(deps, clientId, inviteId);
}

/** What a provider callback or the tracking image would report for one delivery. */
export async function simulateDelivery(
  deps: Deps,
  clientId: string,
  deliveryId: string,
  input: SimulateDeliveryRequest,
) {
  if (input.error_code !== undefined && input.status !== 'undelivered') {
    throw AppError.field('error_code', 'Only an undelivered status takes an error code.');
  }
  const inviteId = await reportDeliveryStatus(deps, clientId, deliveryId, input.status, input.error_code);
  if (!inviteId) throw AppError.notFound();
  return getInvite(deps, clientId, inviteId);
}

/** Deletes the client's invites and everything they made; its setup stays. */
export async function resetSandbox(deps: Deps, clientId: string) {
  const deleted = await deps.db.transaction().execute((trx) => deleteActivity(trx, clientId));
  return { deleted };
}

/** Longest an advance waits for the jobs it made due; a worker that is not running cannot settle them. */
const SETTLE_WAIT_MS = 30_000;
const SETTLE_POLL_MS = 20;

export function readClock(deps: Deps) {
  return { now: iso(deps.clock.now()) };
}

/**
 * Moves the client's clock forward, then waits until the jobs that fell due by its new time
 * (and those they queue, due as well) have settled, so the answer comes after the reminders,
 * expiries and retries it caused.
 */
export async function advanceClock(deps: Deps, clientId: string, seconds: number) {
  if (seconds < 1)
    throw AppError.field('advance_seconds', 'Ensure this value is greater than or equal to 1.');
  const offset = await addClockOffset(deps.db, clientId, seconds * 1000, deps.clock.real().toISOString());
  const clientNow = () => new Date(deps.clock.real().getTime() + offset).toISOString();
  deps.queueSignal.emit('enqueued');
  const until = Date.now() + SETTLE_WAIT_MS;
  while ((await hasUnsettledJobs(deps.db, clientId, clientNow())) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
  }
  return { now: clientNow() };
}

/**
 * A missing invite or delivery is a 404 before anything about the body is judged, as the
 * hosted API finds the object before it reads the request.
 */
export async function ensureExists(deps: Deps, clientId: string, what: 'invite' | 'delivery', rawId: string) {
  const id = parseUuid(rawId);
  const found =
    id &&
    (what === 'invite'
      ? await findInvite(deps.db, clientId, id)
      : (await findDeliveryById(deps.db, id))?.client_id === clientId);
  if (!found) throw AppError.notFound();
}
