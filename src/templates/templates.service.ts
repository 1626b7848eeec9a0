import type { InviteTemplatesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError, addFieldError, type FieldErrors } from '../errors.ts';
import { type RecoveryPoint, resourceName } from '../http/idempotency.ts';
import { newId } from '../lib/ids.ts';
import * as repo from './templates.repo.ts';
import type { InviteTemplate, InviteTemplateRequest } from './templates.schema.ts';

const REQUIRED_TEXT = [
  'name',
  'email_body',
  'sms_body',
  'header',
  'button',
  'subject',
  'sender',
  'company',
  'page_heading',
  'page_description',
  'page_button',
] as const;

export function toTemplateObject(row: InviteTemplatesTable): InviteTemplate {
  const data = JSON.parse(row.data) as InviteTemplateRequest;
  return {
    id: row.id,
    name: data.name,
    email_body: data.email_body,
    sms_body: data.sms_body,
    header: data.header,
    button: data.button,
    subject: data.subject,
    sender: data.sender,
    company: data.company,
    logo_url: data.logo_url,
    page_heading: data.page_heading,
    page_description: data.page_description,
    page_button: data.page_button,
    page_config: data.page_config
      ? { ...data.page_config, page_success_button: data.page_config.page_success_button ?? null }
      : null,
    reply_to: data.reply_to ?? null,
    flow_id: data.flow_id ?? null,
  };
}

export async function createTemplate(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: InviteTemplateRequest,
  recovery?: RecoveryPoint,
): Promise<InviteTemplate> {
  const errors: FieldErrors = {};
  // Whitespace-only text is blank (as a DRF CharField trims it): rendering would drop it for defaults.
  for (const key of REQUIRED_TEXT) {
    if (input[key].trim() === '') addFieldError(errors, [key], 'This field may not be blank.');
  }
  const pc = input.page_config;
  for (const key of ['page_success_heading', 'page_success_description'] as const) {
    if (pc && pc[key].trim() === '')
      addFieldError(errors, ['page_config', key], 'This field may not be blank.');
  }
  if (pc?.page_success_show_button && !pc.page_success_button?.trim()) {
    addFieldError(
      errors,
      ['page_config', 'page_success_button'],
      'This field is required when page_success_show_button is true.',
    );
  }
  if (Object.keys(errors).length > 0) throw AppError.fields(errors);
  const now = deps.clock.now().toISOString();
  const row: InviteTemplatesTable = {
    client_id: clientId,
    id: newId(),
    data: JSON.stringify(input),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertTemplate(trx, row);
    await recovery?.mark(trx, resourceName('template', row.id));
  });
  return toTemplateObject(row);
}

export async function getTemplate(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  id: string,
): Promise<InviteTemplate> {
  const row = await repo.findTemplate(deps.db, clientId, id, { includeDeleted: false });
  if (!row) throw AppError.notFound();
  return toTemplateObject(row);
}

export async function listTemplates(deps: Pick<Deps, 'db'>, clientId: string, limit: number) {
  return (await repo.listTemplates(deps.db, clientId, limit)).map(toTemplateObject);
}

export async function deleteTemplate(deps: Pick<Deps, 'db' | 'clock'>, clientId: string, id: string) {
  if (!(await repo.softDeleteTemplate(deps.db, clientId, id, deps.clock.now().toISOString()))) {
    throw AppError.notFound();
  }
}
