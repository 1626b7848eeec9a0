import type { GroupChoice } from '../../members/groups.service.ts';
import { ROLE_LABELS, ROLES } from '../../members/roles.ts';
import type { MemberStatus } from '../../members/team.service.ts';
import type { FormErrors } from '../forms.ts';

/** What a member's form holds as posted: role and the ids of the groups ticked. */
export interface AccessValues {
  role: string;
  groupIds: readonly string[];
}

function Errors({ id, messages }: { id: string; messages: string[] }) {
  return (
    <ul class="field-errors" id={id}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/** The role to choose, each by the name the Console gives it. */
export function RoleSelect({
  value,
  errors,
  blank,
}: {
  value: string;
  errors?: FormErrors;
  /** Offer no role until one is chosen (a new member). */
  blank?: boolean;
}) {
  const messages = errors?.role ?? [];
  return (
    <div class="field">
      <label for="field-role">Role</label>
      <p class="hint" id="field-role-hint">
        What they may see and do in the Console.
      </p>
      <select
        id="field-role"
        name="role"
        aria-invalid={messages.length > 0 ? 'true' : undefined}
        aria-describedby={['field-role-hint', messages.length > 0 ? 'field-role-errors' : '']
          .filter(Boolean)
          .join(' ')}
      >
        {blank && (
          <option value="" selected={value === ''}>
            Choose a role
          </option>
        )}
        {ROLES.map((role) => (
          <option key={role} value={role} selected={value === role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
      {messages.length > 0 && <Errors id="field-role-errors" messages={messages} />}
    </div>
  );
}

/** A checkbox per group of the client; none to tick when it has none. */
export function GroupChecks({
  groups,
  checked,
  errors,
}: {
  groups: readonly GroupChoice[];
  checked: readonly string[];
  errors?: FormErrors;
}) {
  const messages = errors?.groups ?? [];
  if (groups.length === 0 && messages.length === 0) {
    return <p class="hint">No groups yet: create them on the Team page.</p>;
  }
  return (
    <fieldset
      class="team-checks"
      id="field-groups"
      aria-describedby={['field-groups-hint', messages.length > 0 ? 'field-groups-errors' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <legend>Groups</legend>
      <p class="hint" id="field-groups-hint">
        An invite they send carries their group; members who see their groups’ invites see those.
      </p>
      <ul>
        {groups.map((g) => (
          <li key={g.id}>
            <input
              type="checkbox"
              id={`group-${g.id}`}
              name="groups"
              value={g.id}
              checked={checked.includes(g.id)}
            />
            <label for={`group-${g.id}`}>{g.name}</label>
          </li>
        ))}
      </ul>
      {messages.length > 0 && <Errors id="field-groups-errors" messages={messages} />}
    </fieldset>
  );
}

const STATUS_LABELS: Record<MemberStatus, string> = {
  active: 'Active',
  invited: 'Invited',
  disabled: 'Disabled',
};
const STATUS_CLASSES: Record<MemberStatus, string> = {
  active: 'status-completed',
  invited: 'status-sent',
  disabled: 'status-revoked',
};

export function MemberStatusBadge({ status }: { status: MemberStatus }) {
  return <span class={`status ${STATUS_CLASSES[status]}`}>{STATUS_LABELS[status]}</span>;
}

/** Group names of these ids, in the client's order. */
export function groupNames(groups: readonly GroupChoice[], ids: readonly string[]): string[] {
  return groups.filter((g) => ids.includes(g.id)).map((g) => g.name);
}
