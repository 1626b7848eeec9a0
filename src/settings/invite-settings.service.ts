import type { Db } from '../db/client.ts';
import { parseJson } from '../db/json.ts';
import type { Deps } from '../deps.ts';
import { AppError, addFieldError, type FieldErrors } from '../errors.ts';
import { findFlow } from '../flows/flows.repo.ts';
import { iso } from '../lib/time.ts';
import * as repo from './invite-settings.repo.ts';
import type { InviteSettingsObject, UpdateInviteSettingsRequest } from './invite-settings.schema.ts';

export type InviteSettings = Omit<InviteSettingsObject, 'updated_at'>;

const DEFAULTS: InviteSettings = {
  company_name: null,
  sender: null,
  brand: { color: null, logo: null },
  default_flow_id: null,
  require_external_id: false,
  reminders: {
    enabled: false,
    after_days: 3,
    max_count: 2,
    send_window: { start: '09:00', end: '18:00', timezone: 'America/New_York' },
  },
  expiry: { enabled: false, after_days: 30 },
};

type Tree = { [key: string]: unknown };
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `change` laid over `base`, object by object: a key given replaces, `null` removes it (so
 * its default shows through), an object merges with the one below it.
 */
function overlay(base: Tree, change: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else if (isTree(value)) out[key] = overlay(isTree(out[key]) ? out[key] : {}, value);
    else out[key] = value;
  }
  return out;
}

/** Defaults under what the client set; a nullable key the client never set is null. */
function withDefaults(stored: Tree): InviteSettings {
  return overlay(DEFAULTS as unknown as Tree, stored) as unknown as InviteSettings;
}

/** The IANA name as Intl spells it, or null when it names no zone. */
function canonicalZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

async function readStored(db: Db, clientId: string): Promise<{ data: Tree; updatedAt: string | null }> {
  const row = await repo.findInviteSettings(db, clientId);
  return row ? { data: parseJson<Tree>(row.data), updatedAt: row.updated_at } : { data: {}, updatedAt: null };
}

async function present(db: Db, clientId: string, stored: Tree): Promise<InviteSettings> {
  const settings = withDefaults(stored);
  // A default flow deleted since is no default: invites fall back as if none were set.
  if (
    settings.default_flow_id !== null &&
    !(await findFlow(db, clientId, settings.default_flow_id, { includeDeleted: false }))
  ) {
    settings.default_flow_id = null;
  }
  return settings;
}

/** The client's invite settings, defaults applied. */
export async function loadInviteSettings(db: Db, clientId: string): Promise<InviteSettings> {
  const { data } = await readStored(db, clientId);
  return present(db, clientId, data);
}

export async function getInviteSettings(
  deps: Pick<Deps, 'db'>,
  clientId: string,
): Promise<InviteSettingsObject> {
  const { data, updatedAt } = await readStored(deps.db, clientId);
  const settings = await present(deps.db, clientId, data);
  return { ...settings, updated_at: updatedAt === null ? null : iso(updatedAt) };
}

export async function updateInviteSettings(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: UpdateInviteSettingsRequest,
): Promise<InviteSettingsObject> {
  const change: Tree = { ...input };
  const window = input.reminders?.send_window;
  if (window?.timezone !== undefined) {
    const zone = canonicalZone(window.timezone);
    if (zone === null) {
      throw AppError.fields({
        reminders: { send_window: { timezone: [`"${window.timezone}" is not a valid time zone.`] } },
      });
    }
    change.reminders = { ...input.reminders, send_window: { ...window, timezone: zone } };
  }
  if (typeof input.default_flow_id === 'string') change.default_flow_id = input.default_flow_id.toUpperCase();

  const saved = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findInviteSettingsForUpdate(trx, clientId);
    const stored = row ? parseJson<Tree>(row.data) : {};
    const next = overlay(stored, change);
    const errors = await problemsOf(trx, clientId, withDefaults(next), change);
    if (Object.keys(errors).length > 0) throw AppError.fields(errors);
    const updatedAt = deps.clock.now().toISOString();
    await repo.saveInviteSettings(trx, {
      client_id: clientId,
      data: JSON.stringify(next),
      updated_at: updatedAt,
    });
    return { next, updatedAt };
  });
  const settings = await present(deps.db, clientId, saved.next);
  return { ...settings, updated_at: iso(saved.updatedAt) };
}

/** What is wrong with the settings a change would leave. */
async function problemsOf(
  db: Db,
  clientId: string,
  settings: InviteSettings,
  change: Tree,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const { start, end } = settings.reminders.send_window;
  // HH:MM compares as text; a window that wraps midnight is not supported.
  if (start >= end) {
    addFieldError(errors, ['reminders', 'send_window', 'end'], 'Ensure the window ends after it starts.');
  }
  const flowId = change.default_flow_id;
  // Only an Email/SMS template renders sends: a Shareable URL is as unknown here as a missing flow.
  if (
    typeof flowId === 'string' &&
    (await findFlow(db, clientId, flowId, { includeDeleted: false }))?.type !== 'email_sms_template'
  ) {
    addFieldError(errors, ['default_flow_id'], `Invalid pk "${flowId}" - object does not exist.`);
  }
  return errors;
}
