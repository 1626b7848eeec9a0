import { randomInt } from 'node:crypto';
import { parseJson } from '../db/json.ts';
import type { FlowsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import * as repo from './flows.repo.ts';
import {
  type CreateFlowRequest,
  type FlowListQuery,
  type FlowObject,
  type FlowTemplate,
  type FlowType,
  SENT_ONLY_FIELDS,
  SHAREABLE_FIELDS,
  type UpdateFlowRequest,
} from './flows.schema.ts';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_LENGTH = 8;
/** 36^8 ids make a collision rare; a handful of draws in a row means something else is wrong. */
const ID_ATTEMPTS = 5;
const TEMPLATE_KEYS = ['brand', 'email', 'sms_text', 'landing_page', 'success_page', 'flow_items'] as const;

/** What only a Shareable URL has. */
export interface ShareableSettings {
  active: boolean;
  /** Each invite's reply_to, unless the URL's `?email=` may replace it. */
  notify_emails: string[];
  allow_email_override: boolean;
}

const SHAREABLE_DEFAULTS: ShareableSettings = {
  active: true,
  notify_emails: [],
  allow_email_override: false,
};

function newFlowId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** The template an invite rendered with this flow uses. */
export function flowTemplateOf(row: FlowsTable): FlowTemplate {
  return parseJson<FlowTemplate>(row.template);
}

/** A Shareable URL's settings; the defaults for a flow that has none stored. */
export function shareableSettingsOf(row: Pick<FlowsTable, 'shareable'>): ShareableSettings {
  return { ...SHAREABLE_DEFAULTS, ...(row.shareable ? parseJson<ShareableSettings>(row.shareable) : {}) };
}

/** Where a Shareable URL is opened. */
const shareableUrl = (publicUrl: string, flowId: string): string => `${publicUrl}/s/${flowId}`;

export function toFlowObject(row: FlowsTable, publicUrl: string): FlowObject {
  const template = flowTemplateOf(row);
  const common = {
    id: row.id,
    name: row.name,
    language: row.language,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    brand: template.brand ?? null,
    landing_page: template.landing_page ?? null,
    success_page: template.success_page ?? null,
    flow_items: template.flow_items ?? null,
  };
  if (row.type === 'shareable_url') {
    return { type: row.type, url: shareableUrl(publicUrl, row.id), ...shareableSettingsOf(row), ...common };
  }
  return {
    type: row.type,
    ...common,
    email: template.email ?? null,
    sms_text: template.sms_text ?? null,
  };
}

/** The template keys of a request: given ones replace, `null` ones are removed (not set). */
function applyTemplate(base: FlowTemplate, input: Partial<FlowTemplate>): FlowTemplate {
  const out: Record<string, unknown> = { ...base };
  for (const key of TEMPLATE_KEYS) {
    if (!(key in input) || input[key] === undefined) continue;
    if (input[key] === null) delete out[key];
    else out[key] = input[key];
  }
  return out as FlowTemplate;
}

/** The Shareable URL settings after `input`: `notify_emails` null clears it, duplicates go. */
function applyShareable(base: ShareableSettings, input: UpdateFlowRequest): ShareableSettings {
  const out = { ...base };
  if (input.active !== undefined) out.active = input.active;
  if (input.allow_email_override !== undefined) out.allow_email_override = input.allow_email_override;
  if (input.notify_emails !== undefined) {
    const seen = new Set<string>();
    out.notify_emails = (input.notify_emails ?? []).filter((email) => {
      const key = email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return out;
}

/**
 * What is wrong with a request for a flow of `type`: a blank name, and fields the type does
 * not have (a Shareable URL sends nothing, so it has no email or SMS text).
 */
function problemsOf(type: FlowType, input: UpdateFlowRequest): FieldErrors {
  const errors: FieldErrors = {};
  // Whitespace-only is blank, as a DRF CharField trims it.
  if (input.name !== undefined && input.name.trim() === '') errors.name = ['This field may not be blank.'];
  const [misplaced, message] =
    type === 'shareable_url'
      ? [SENT_ONLY_FIELDS, 'A Shareable URL sends nothing, so it has no email or SMS text.']
      : [SHAREABLE_FIELDS, 'Only a Shareable URL (type "shareable_url") has this field.'];
  for (const key of misplaced) {
    if (input[key] !== undefined && input[key] !== null) errors[key] = [message];
  }
  return errors;
}

/** A flow id from a path, as stored. */
export const flowIdOf = (raw: string): string => raw.toUpperCase();

export async function createFlow(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  clientId: string,
  input: CreateFlowRequest,
  recovery?: RecoveryPoint,
): Promise<FlowObject> {
  const errors = problemsOf(input.type, input);
  if (Object.keys(errors).length > 0) throw AppError.fields(errors);
  const now = deps.clock.now().toISOString();
  const base = {
    client_id: clientId,
    type: input.type,
    name: input.name,
    language: input.language ?? 'en',
    template: JSON.stringify(applyTemplate({}, input)),
    shareable:
      input.type === 'shareable_url' ? JSON.stringify(applyShareable(SHAREABLE_DEFAULTS, input)) : null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const row: FlowsTable = { ...base, id: newFlowId() };
    const inserted = await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.insertFlow(trx, row))) return false;
      await recovery?.mark(trx, resourceName('flow', row.id));
      return true;
    });
    if (inserted) return toFlowObject(row, deps.config.PUBLIC_URL);
  }
  throw new Error(`no free flow id after ${ID_ATTEMPTS} draws`);
}

export async function getFlow(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  id: string,
): Promise<FlowObject> {
  const row = await repo.findFlow(deps.db, clientId, id, { includeDeleted: false });
  if (!row) throw AppError.notFound();
  return toFlowObject(row, deps.config.PUBLIC_URL);
}

export async function listFlows(deps: Pick<Deps, 'db' | 'config'>, clientId: string, query: FlowListQuery) {
  const request = readPage(query);
  const rows = await repo.listFlows(deps.db, clientId, request.page);
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/flows`, (row) =>
    toFlowObject(row, deps.config.PUBLIC_URL),
  );
}

export async function updateFlow(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  clientId: string,
  id: string,
  input: UpdateFlowRequest,
): Promise<FlowObject> {
  const updated = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findFlowForUpdate(trx, clientId, id);
    if (!row) return undefined;
    const errors = problemsOf(row.type, input);
    if (Object.keys(errors).length > 0) throw AppError.fields(errors);
    const next: FlowsTable = {
      ...row,
      name: input.name ?? row.name,
      language: input.language ?? row.language,
      template: JSON.stringify(applyTemplate(flowTemplateOf(row), input)),
      shareable:
        row.type === 'shareable_url' ? JSON.stringify(applyShareable(shareableSettingsOf(row), input)) : null,
      updated_at: deps.clock.now().toISOString(),
    };
    await repo.updateFlow(trx, clientId, id, {
      name: next.name,
      language: next.language,
      template: next.template,
      shareable: next.shareable,
      updated_at: next.updated_at,
    });
    return next;
  });
  if (!updated) throw AppError.notFound();
  return toFlowObject(updated, deps.config.PUBLIC_URL);
}

export async function deleteFlow(deps: Pick<Deps, 'db' | 'clock'>, clientId: string, id: string) {
  if (!(await repo.softDeleteFlow(deps.db, clientId, id, deps.clock.now().toISOString()))) {
    throw AppError.notFound();
  }
}
