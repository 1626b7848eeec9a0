import type { Deps } from '../deps.ts';
import type { FieldErrors } from '../errors.ts';
import type { SendOrigin } from '../invites/invite-send.ts';
import { listMembers } from '../members/members.service.ts';
import type { SignedIn } from '../members/sessions.service.ts';

/** The recipient fields of a send, named and labelled as the API names them. */
export const RECIPIENT_FIELDS = [
  { name: 'first_name', label: 'First name', type: 'text', autocomplete: 'off' },
  { name: 'last_name', label: 'Last name', type: 'text', autocomplete: 'off' },
  // Text, not `email`: the browser's own check would stand in for the API's rules and messages.
  { name: 'email', label: 'Email', type: 'text', autocomplete: 'off' },
  { name: 'phone_number', label: 'Phone number', type: 'tel', autocomplete: 'off' },
  { name: 'external_id', label: 'External id', type: 'text', autocomplete: 'off' },
] as const;

export const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(RECIPIENT_FIELDS.map((f) => [f.name, f.label])),
  full_name: 'Full name',
  flow_id: 'Template',
  group_id: 'Group',
  cc: 'Cc',
};

/**
 * A send body from typed-in values: a blank optional field is left out, as a form that
 * leaves it empty means "none".
 */
export function sendBodyOf(values: Partial<Record<string, string>>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value.trim() !== '') body[name] = value;
  }
  return body;
}

/** A member of the client who may be Cc'd. */
export interface Teammate {
  id: string;
  name: string;
  email: string;
}

export async function teammatesOf(deps: Deps, member: SignedIn): Promise<Teammate[]> {
  const all = await listMembers(deps, member.clientId);
  return all.filter((m) => m.disabled_at === null).map((m) => ({ id: m.id, name: m.name, email: m.email }));
}

/**
 * The group a member's send belongs to: theirs when they are in one, the chosen one of theirs
 * when in several (an error when none or another is chosen), none when they are in none.
 */
export function groupOf(member: SignedIn, chosen: string, errors: FieldErrors): string | null {
  if (member.groupIds.length === 0) return null;
  if (member.groupIds.length === 1) return member.groupIds[0] ?? null;
  if (member.groupIds.includes(chosen)) return chosen;
  errors.group_id = ['Choose one of your groups.'];
  return null;
}

/** Who sends, with the teammates chosen for Cc (by id, so only the client's members can be). */
export function originOf(
  member: SignedIn,
  teammates: Teammate[],
  ccIds: string[],
  groupId: string | null,
): SendOrigin {
  const cc = teammates.filter((m) => ccIds.includes(m.id)).map((m) => m.email.toLowerCase());
  return { memberId: member.id, groupId, cc };
}

/** Every value of a repeated form field (checkboxes). */
export function values(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === 'string');
}
