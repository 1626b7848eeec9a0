import { randomInt } from 'node:crypto';
import { parseJson } from '../db/json.ts';
import type { FlowsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import * as repo from './flows.repo.ts';
import type {
  CreateFlowRequest,
  FlowListQuery,
  FlowObject,
  FlowTemplate,
  UpdateFlowRequest,
} from './flows.schema.ts';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_LENGTH = 8;
/** 36^8 ids make a collision rare; a handful of draws in a row means something else is wrong. */
const ID_ATTEMPTS = 5;
const TEMPLATE_KEYS = ['brand', 'email', 'sms_text', 'landing_page', 'success_page', 'flow_items'] as const;

function newFlowId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** The template an invite rendered with this flow uses. */
export function flowTemplateOf(row: FlowsTable): FlowTemplate {
  return parseJson<FlowTemplate>(row.template);
}

export function toFlowObject(row: FlowsTable): FlowObject {
  const template = flowTemplateOf(row);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    language: row.language,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    brand: template.brand ?? null,
    email: template.email ?? null,
    sms_text: template.sms_text ?? null,
    landing_page: template.landing_page ?? null,
    success_page: template.success_page ?? null,
    flow_items: template.flow_items ?? null,
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

function checkName(name: string | undefined): void {
  // Whitespace-only is blank, as a DRF CharField trims it.
  if (name !== undefined && name.trim() === '') throw AppError.field('name', 'This field may not be blank.');
}

/** A flow id from a path, as stored. */
export const flowIdOf = (raw: string): string => raw.toUpperCase();

export async function createFlow(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: CreateFlowRequest,
  recovery?: RecoveryPoint,
): Promise<FlowObject> {
  checkName(input.name);
  const now = deps.clock.now().toISOString();
  const base = {
    client_id: clientId,
    type: input.type,
    name: input.name,
    language: input.language ?? 'en',
    template: JSON.stringify(applyTemplate({}, input)),
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
    if (inserted) return toFlowObject(row);
  }
  throw new Error(`no free flow id after ${ID_ATTEMPTS} draws`);
}

export async function getFlow(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<FlowObject> {
  const row = await repo.findFlow(deps.db, clientId, id, { includeDeleted: false });
  if (!row) throw AppError.notFound();
  return toFlowObject(row);
}

export async function listFlows(deps: Pick<Deps, 'db' | 'config'>, clientId: string, query: FlowListQuery) {
  const request = readPage(query);
  const rows = await repo.listFlows(deps.db, clientId, request.page);
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/flows`, toFlowObject);
}

export async function updateFlow(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  id: string,
  input: UpdateFlowRequest,
): Promise<FlowObject> {
  checkName(input.name);
  const updated = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findFlowForUpdate(trx, clientId, id);
    if (!row) return undefined;
    const next: FlowsTable = {
      ...row,
      name: input.name ?? row.name,
      language: input.language ?? row.language,
      template: JSON.stringify(applyTemplate(flowTemplateOf(row), input)),
      updated_at: deps.clock.now().toISOString(),
    };
    await repo.updateFlow(trx, clientId, id, {
      name: next.name,
      language: next.language,
      template: next.template,
      updated_at: next.updated_at,
    });
    return next;
  });
  if (!updated) throw AppError.notFound();
  return toFlowObject(updated);
}

export async function deleteFlow(deps: Pick<Deps, 'db' | 'clock'>, clientId: string, id: string) {
  if (!(await repo.softDeleteFlow(deps.db, clientId, id, deps.clock.now().toISOString()))) {
    throw AppError.notFound();
  }
}
