import type { GroupChoice } from '../../members/groups.service.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';
import { GroupChecks, RoleSelect } from './team-fields.tsx';

export interface InviteValues {
  name: string;
  email: string;
  role: string;
  groupIds: readonly string[];
}

const LABELS = { name: 'Name', email: 'Email', role: 'Role', groups: 'Groups' };

/** A new member: they get an email with a link to choose their password. */
export function TeamInvitePage({
  shell,
  groups,
  values,
  errors,
}: {
  shell: Shell;
  groups: readonly GroupChoice[];
  values: InviteValues;
  errors?: FormErrors;
}) {
  return (
    <Page shell={shell} title="Invite a member">
      <p class="back">
        <a href="/console/team">Team</a>
      </p>
      <h1>Invite a member</h1>
      <p>They get an email with a link to choose their password. The link works once, within 24 hours.</p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form action="/console/team/invite" csrf={shell.csrf}>
        <div class="team-form">
          <Field name="name" label="Name" value={values.name} errors={errors} autocomplete="off" />
          <Field
            name="email"
            label="Email"
            type="email"
            value={values.email}
            errors={errors}
            autocomplete="off"
            required
          />
          <RoleSelect value={values.role} errors={errors} blank />
          <GroupChecks groups={groups} checked={values.groupIds} errors={errors} />
          <button type="submit" class="btn">
            Send invitation
          </button>
        </div>
      </Form>
    </Page>
  );
}
