import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { FlowsTable, InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { findFlowById } from '../flows/flows.repo.ts';
import { shareableSettingsOf } from '../flows/flows.service.ts';
import { Email, Text } from '../http/schema.ts';
import { validatorCompiler } from '../http/validation.ts';
import { isClosed } from '../invites/invite-status.ts';
import { createShareableInvite, type ShareableVisitor } from '../invites/shareable-invites.service.ts';
import { newId, parseUuid } from '../lib/ids.ts';
import { type Branding, brandingFor } from './branding.ts';
import { findInviteById } from './link.repo.ts';
import type { BadLinkPart } from './pages/shareable.ts';
import { PageError } from './scope.ts';
import { resumedInviteId } from './shareable-cookie.ts';
import { countShareableEntry } from './shareable-limits.ts';

const FLOW_ID = /^[0-9A-Za-z]{8}$/;

// The URL's values are checked by the rules the API checks an invite's with.
const checkVisitor = validatorCompiler({
  schema: Type.Object({ external_id: Type.Optional(Text(255)), email: Type.Optional(Email()) }),
  method: 'GET',
  url: '/s/:flowId',
  httpPart: 'querystring',
});

/** The Shareable URL a public path names: a live `shareable_url` flow of any case, else the 404 page. */
export async function shareableFlow(deps: Pick<Deps, 'db'>, rawId: string): Promise<FlowsTable> {
  const flow = FLOW_ID.test(rawId) ? await findFlowById(deps.db, rawId.toUpperCase()) : undefined;
  if (flow?.type !== 'shareable_url') throw new PageError('not_found');
  return flow;
}

export const isActive = (flow: FlowsTable): boolean => shareableSettingsOf(flow).active;

/** The flow's page texts and branding, before any invite of it exists. */
export function flowBrand(deps: Pick<Deps, 'db' | 'config'>, flow: FlowsTable): Promise<Branding> {
  const empty = {
    client_id: flow.client_id,
    id: '',
    first_name: '',
    last_name: '',
    override_invite_template: null,
    invite_template_id: null,
    rendered_flow_id: flow.id,
  };
  return brandingFor(deps.db, empty, deps.config.PUBLIC_URL);
}

/**
 * The URL's `?external_id=` and `?email=` (an empty one is none), or which of them is not valid;
 * and the landing form's `_submission` id, a new one when it has none.
 */
export function visitOf(
  query: unknown,
): { visitor: ShareableVisitor; submission: string } | { bad: BadLinkPart } {
  const given: { external_id?: unknown; email?: unknown } = {};
  const raw = (query ?? {}) as Record<string, unknown>;
  if (raw.external_id !== undefined && raw.external_id !== '') given.external_id = raw.external_id;
  if (raw.email !== undefined && raw.email !== '') given.email = raw.email;
  if (!checkVisitor(given)) {
    return { bad: checkVisitor.errors?.some((e) => e.instancePath === '/email') ? 'email' : 'external_id' };
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    visitor: { externalId: text(given.external_id), email: text(given.email) },
    submission: parseUuid(raw._submission) ?? newId(),
  };
}

/** The invite this browser was given by the flow, while it still opens; null for a new visitor. */
export async function resumableInvite(
  deps: Pick<Deps, 'db' | 'clock'>,
  flow: FlowsTable,
  req: FastifyRequest,
): Promise<InvitesTable | null> {
  const id = await resumedInviteId(deps, req, flow.id);
  const invite = id ? await findInviteById(deps.db, id) : undefined;
  if (!invite || invite.client_id !== flow.client_id || isClosed(invite, deps.clock.now())) return null;
  return invite;
}

/** A new visitor entered Link: their invite, unless the URL made as many as it may this minute. */
export async function enterShareable(
  deps: Deps,
  flow: FlowsTable,
  visit: { visitor: ShareableVisitor; submission: string },
  address: string,
): Promise<{ invite: InvitesTable } | { retryAfter: number }> {
  const wait = await countShareableEntry(deps, address, flow.id);
  if (wait !== null) return { retryAfter: wait };
  return { invite: await createShareableInvite(deps, flow, visit.visitor, visit.submission) };
}
