import { parseJson } from '../db/json.ts';
import type { PageRequest } from '../db/keyset.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { maskText } from '../lib/redact.ts';
import { dayStart, iso } from '../lib/time.ts';
import { listGroups } from '../members/groups.service.ts';
import type { InviteVisibility } from '../members/roles.ts';
import { listInviteDocuments, listInviteResponses } from './invite-documents.service.ts';
import { INVITE_STATUSES, type InviteStatus } from './invites.schema.ts';
import type { ConsoleInviteFilters, ConsoleInviteRow, ConsoleSearch } from './invites-console.repo.ts';
import * as repo from './invites-console.repo.ts';

export type { ConsoleInviteFilters } from './invites-console.repo.ts';

/** Counts stop here: past it a tab reads "1,000+", so a tab reads at most this many index entries. */
export const COUNT_CAP = 1_000;
export const CONSOLE_PAGE_SIZE = 25;

/** What a member without personal data sees in place of a name, address or number. */
export const MASK = 'Hidden for your role';

/** The list's query string as the page's filter form and links write it. */
export interface ConsoleListQuery {
  status?: string;
  flow?: string;
  sender?: string;
  group?: string;
  from?: string;
  to?: string;
  q?: string;
  after?: string;
  before?: string;
}

const DAY_MS = 24 * 3600 * 1000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The search as the one indexed prefix it can be; a member without personal data searches ids only. */
export function searchOf(q: string, personalData: boolean): ConsoleSearch | undefined {
  const text = q.trim().slice(0, 254);
  if (!text) return undefined;
  if (personalData && text.includes('@')) return { kind: 'email', prefix: text.toLowerCase() };
  const digits = text.replace(/[\s().-]/g, '');
  if (personalData && /^\+?\d{3,}$/.test(digits)) {
    // Numbers are kept in E.164; a US number typed without its country code is read as one.
    const e164 = digits.startsWith('+') ? digits : digits.length === 10 ? `+1${digits}` : `+${digits}`;
    return { kind: 'phone', prefix: e164 };
  }
  return { kind: 'text', prefix: text, personalData };
}

/** The filters a query string asks for; what cannot be read is left out, as a blank field is. */
export function filtersOf(query: ConsoleListQuery, personalData: boolean): ConsoleInviteFilters {
  const filters: ConsoleInviteFilters = {};
  if (query.status && (INVITE_STATUSES as readonly string[]).includes(query.status)) {
    filters.status = query.status as InviteStatus;
  }
  if (query.flow) filters.flowId = query.flow;
  if (query.sender) filters.senderId = query.sender;
  if (query.group) filters.groupId = query.group;
  const from = dayStart(query.from ?? '');
  if (from) filters.from = from.toISOString();
  const to = dayStart(query.to ?? '');
  if (to) filters.to = new Date(to.getTime() + DAY_MS).toISOString();
  const search = searchOf(query.q ?? '', personalData);
  if (search) filters.search = search;
  return filters;
}

function encodeKey(row: { created_at: string; id: string }): string {
  return Buffer.from(JSON.stringify([iso(row.created_at), row.id])).toString('base64url');
}

function decodeKey(value: string | undefined): [string, string] | null {
  if (!value) return null;
  try {
    const key = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    // Only a key this list made: a time it can compare and an invite id (PostgreSQL refuses others).
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      typeof key[0] === 'string' &&
      typeof key[1] === 'string' &&
      ISO_TIME.test(key[0]) &&
      dayStart(key[0].slice(0, 10)) !== null &&
      UUID.test(key[1])
    ) {
      return [key[0], key[1]];
    }
  } catch {
    // A cursor edited by hand reads as the first page.
  }
  return null;
}

function pageOf(query: ConsoleListQuery, limit: number): PageRequest {
  const before = decodeKey(query.before);
  if (before) return { direction: 'prev', key: before, limit };
  return { direction: 'next', key: decodeKey(query.after), limit };
}

export interface ConsoleInvite {
  id: string;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  externalId: string | null;
  status: string;
  flowId: string | null;
  groupId: string | null;
  sender: string | null;
  /** The newest delivery of each channel. */
  channels: { method: string; status: string }[];
  createdAt: string;
  invitedAt: string;
  updatedAt: string;
}

function mask(value: string | null, personalData: boolean): string | null {
  return value === null || value === '' || personalData ? value : MASK;
}

/**
 * A provider's answer or an error, for a member without personal data: providers name the
 * address or number they refused ("550 <bob@x>: Recipient address rejected"), so every address
 * and number in it is masked.
 */
function freeText(value: string | null, personalData: boolean): string | null {
  return value === null || personalData ? value : maskText(value);
}

function toConsoleInvite(row: ConsoleInviteRow, personalData: boolean): ConsoleInvite {
  const deliveries = parseJson(row.deliveries);
  const channels: ConsoleInvite['channels'] = [];
  for (const d of deliveries) {
    if (!channels.some((c) => c.method === d.method)) channels.push({ method: d.method, status: d.status });
  }
  const name = `${row.first_name} ${row.last_name}`.trim();
  return {
    id: row.id,
    name: mask(name, personalData) ?? '',
    email: mask(row.email, personalData),
    phoneNumber: mask(row.phone_number, personalData),
    externalId: row.external_id,
    status: row.status,
    flowId: row.rendered_flow_id,
    groupId: row.group_id,
    sender: row.sender_name ?? null,
    channels,
    createdAt: iso(row.created_at),
    invitedAt: iso(row.invited_at),
    updatedAt: iso(row.updated_at),
  };
}

export interface ConsoleInvitePage {
  invites: ConsoleInvite[];
  /** Query values for the older and newer pages, when there are such pages. */
  after: string | null;
  before: string | null;
}

/** One page of the invites the member may see that match the query, newest first. */
export async function listMemberInvites(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  visible: InviteVisibility,
  query: ConsoleListQuery,
  limit = CONSOLE_PAGE_SIZE,
): Promise<ConsoleInvitePage> {
  const filters = filtersOf(query, visible.personalData);
  const page = pageOf(query, limit);
  const rows = await repo.listConsoleInvites(deps.db, clientId, visible, filters, page);
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  if (page.direction === 'prev') shown.reverse();
  const first = shown[0];
  const last = shown[shown.length - 1];
  const olderExists = page.direction === 'next' ? more : page.key !== null;
  const newerExists = page.direction === 'next' ? page.key !== null : more;
  return {
    invites: shown.map((r) => toConsoleInvite(r, visible.personalData)),
    after: olderExists && last ? encodeKey(last) : null,
    before: newerExists && first ? encodeKey(first) : null,
  };
}

/** A tab's count: exact below the cap, `capped` at or past it. */
export interface TabCount {
  status: InviteStatus | null;
  count: number;
  capped: boolean;
}

/** How many matching invites each status tab holds (the first, every status). */
export async function countMemberInvites(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  visible: InviteVisibility,
  query: ConsoleListQuery,
): Promise<TabCount[]> {
  const { status: _tab, ...filters } = filtersOf(query, visible.personalData);
  const tabs: (InviteStatus | null)[] = [null, ...INVITE_STATUSES];
  return Promise.all(
    tabs.map(async (status) => {
      const n = await repo.countConsoleInvites(
        deps.db,
        clientId,
        visible,
        filters,
        status ?? undefined,
        COUNT_CAP + 1,
      );
      return { status, count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
    }),
  );
}

/** Every matching invite the member may see, newest first, a page at a time (for the export). */
export async function* eachMemberInvite(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  visible: InviteVisibility,
  query: ConsoleListQuery,
): AsyncGenerator<ConsoleInvite> {
  const filters = filtersOf(query, visible.personalData);
  let key: [string, string] | null = null;
  const limit = 500;
  for (;;) {
    const rows = await repo.listConsoleInvites(deps.db, clientId, visible, filters, {
      direction: 'next',
      key,
      limit,
    });
    const shown = rows.slice(0, limit);
    for (const r of shown) yield toConsoleInvite(r, visible.personalData);
    const last = shown[shown.length - 1];
    if (rows.length <= limit || !last) return;
    key = [iso(last.created_at), last.id];
  }
}

export async function listFilterChoices(deps: Pick<Deps, 'db'>, clientId: string) {
  const [choices, groups] = await Promise.all([
    repo.filterChoices(deps.db, clientId),
    listGroups(deps, clientId),
  ]);
  return { ...choices, groups };
}

/** One moment of an invite's history, as its timeline shows it. */
export interface TimelineEntry {
  at: string;
  what: string;
  /** The facts: a provider's answer, an error, a reason. */
  details: string[];
  /** The member who did it, for what was done from the Console. */
  by: string | null;
}

function eventEntry(e: { type: string; data: string; created_at: string }, pd: boolean): TimelineEntry {
  const data = parseJson<Record<string, unknown>>(e.data) ?? {};
  const member = data.member as { name?: string; id?: string } | undefined;
  const details: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (k === 'member' || k === 'deliveries') continue;
    if (typeof v === 'string') details.push(`${k}: ${freeText(v, pd)}`);
    else if (typeof v === 'number' || typeof v === 'boolean') details.push(`${k}: ${v}`);
  }
  return {
    at: iso(e.created_at),
    what: e.type,
    details,
    by: member ? member.name || member.id || null : null,
  };
}

/** The invite and everything about it the member may see, or 404. */
export async function memberInviteDetail(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  visible: InviteVisibility,
  id: string,
) {
  const invite = await repo.findVisibleInvite(deps.db, clientId, visible, id);
  if (!invite) throw AppError.notFound();
  const pd = visible.personalData;
  const [history, deliveries, attempts, documents, responses] = await Promise.all([
    repo.listInviteHistory(deps.db, clientId, id),
    repo.listInviteDeliveries(deps.db, clientId, id),
    repo.listDeliveryAttempts(deps.db, clientId, id),
    pd ? listInviteDocuments(deps, clientId, id, { limit: 200 }) : null,
    pd ? listInviteResponses(deps, clientId, id, { limit: 200 }) : null,
  ]);
  const timeline: TimelineEntry[] = [
    ...history.map((e) => eventEntry(e, pd)),
    ...attempts.map((a) => ({
      at: iso(a.started_at),
      what: `${a.method} attempt ${a.attempt}: ${a.outcome}`,
      details: [
        ...(a.provider_response ? [`provider: ${freeText(a.provider_response, pd)}`] : []),
        ...(a.error ? [`error: ${freeText(a.error, pd)}`] : []),
        `took ${Number(a.duration_ms)} ms`,
      ],
      by: null,
    })),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  const name = `${invite.first_name} ${invite.last_name}`.trim();
  return {
    invite: {
      id: invite.id,
      name: mask(name, pd) ?? '',
      email: mask(invite.email, pd),
      phoneNumber: mask(invite.phone_number, pd),
      externalId: invite.external_id,
      status: invite.status,
      sender: invite.sender_name ?? null,
      flowId: invite.rendered_flow_id,
      createdAt: iso(invite.created_at),
      invitedAt: iso(invite.invited_at),
      updatedAt: iso(invite.updated_at),
      expiresAt: invite.expires_at ? iso(invite.expires_at) : null,
      expired: invite.expired_at !== null,
    },
    timeline,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      method: d.method,
      kind: d.kind,
      status: d.status,
      recipient: mask(d.recipient, pd) ?? '',
      detail: freeText(d.status_detail, pd),
      attempts: Number(d.attempts),
      lastError: freeText(d.last_error, pd),
      sentAt: iso(d.sent_at),
      updatedAt: iso(d.updated_at),
    })),
    documents: documents?.results ?? [],
    responses: responses?.results ?? [],
    personalData: pd,
  };
}
export type MemberInviteDetail = Awaited<ReturnType<typeof memberInviteDetail>>;

/** The invite's id if the member may see it, else 404 (for actions and downloads). */
export async function ensureVisible(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  visible: InviteVisibility,
  id: string,
): Promise<void> {
  if (!(await repo.findVisibleInvite(deps.db, clientId, visible, id))) throw AppError.notFound();
}
