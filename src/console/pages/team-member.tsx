import type { GroupChoice } from '../../members/groups.service.ts';
import type { TeamMember } from '../../members/team.service.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Form } from './form.tsx';
import { Page } from './layout.tsx';
import { type AccessValues, GroupChecks, MemberStatusBadge, RoleSelect } from './team-fields.tsx';

interface MemberProps {
  shell: Shell;
  member: TeamMember;
  groups: readonly GroupChoice[];
  /** The form as posted, after a refusal; the member as saved otherwise. */
  values?: AccessValues;
  errors?: FormErrors;
}

/** One member: role and groups to change, and access to end, give back or send again. */
export function TeamMemberPage({ shell, member, groups, values, errors }: MemberProps) {
  const base = `/console/team/members/${member.id}`;
  const form = values ?? { role: member.role, groupIds: member.groupIds };
  const self = member.id === shell.member?.id;
  return (
    <Page shell={shell} title={member.name || member.email}>
      <p class="back">
        <a href="/console/team">Team</a>
      </p>
      <h1 class="team-title">{member.name || member.email}</h1>
      <dl class="facts team-facts">
        <dt>Email</dt>
        <dd>{member.email}</dd>
        <dt>Status</dt>
        <dd>
          <MemberStatusBadge status={member.status} />
        </dd>
      </dl>
      <ErrorSummary errors={errors} labels={{ role: 'Role', groups: 'Groups' }} />
      <section aria-labelledby="access-heading">
        <h2 id="access-heading">Role and groups</h2>
        <Form action={base} csrf={shell.csrf}>
          <div class="team-form">
            <RoleSelect value={form.role} errors={errors} />
            <GroupChecks groups={groups} checked={form.groupIds} errors={errors} />
            <button type="submit" class="btn">
              Save changes
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="sign-in-heading" class="team-actions">
        <h2 id="sign-in-heading">Signing in</h2>
        {member.status === 'invited' && (
          <Form action={`${base}/resend`} csrf={shell.csrf}>
            <p>They have not chosen a password yet.</p>
            <button type="submit" class="btn secondary">
              Send the link again
            </button>
          </Form>
        )}
        {member.status === 'disabled' ? (
          <Form action={`${base}/enable`} csrf={shell.csrf}>
            <p>They cannot sign in.</p>
            <button type="submit" class="btn">
              Enable
            </button>
          </Form>
        ) : self ? (
          <p>You cannot disable yourself.</p>
        ) : (
          <Form action={`${base}/disable`} csrf={shell.csrf}>
            <p>Disabling signs them out at once and stops them signing in; enable them to let them back.</p>
            <button type="submit" class="btn danger">
              Disable
            </button>
          </Form>
        )}
      </section>
    </Page>
  );
}
