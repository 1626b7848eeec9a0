import { ROLE_LABELS } from '../../members/roles.ts';
import type { TeamMember } from '../../members/team.service.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';
import { groupNames, MemberStatusBadge } from './team-fields.tsx';

interface TeamProps {
  shell: Shell;
  members: TeamMember[];
  groups: { id: string; name: string; members: number }[];
  /** The new-group form as refused. */
  groupForm?: { name: string; errors: FormErrors };
}

/** The client's members and groups, with the way to invite a member and to add a group. */
export function TeamPage({ shell, members, groups, groupForm }: TeamProps) {
  return (
    <Page shell={shell} title="Team">
      <div class="page-head">
        <h1>Team</h1>
        <a class="btn" href="/console/team/invite">
          Invite a member
        </a>
      </div>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <table class="list team-members">
          <caption>Members, the first added first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Groups</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td data-label="Name">
                  <a href={`/console/team/members/${m.id}`}>{m.name || m.email}</a>
                  {m.id === shell.member?.id && <span class="muted"> (you)</span>}
                </td>
                <td data-label="Email">{m.email}</td>
                <td data-label="Role">{ROLE_LABELS[m.role]}</td>
                <td data-label="Groups">{groupNames(groups, m.groupIds).join(', ') || '—'}</td>
                <td data-label="Status">
                  <MemberStatusBadge status={m.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="groups-heading" class="team-groups">
        <h2 id="groups-heading">Groups</h2>
        {groups.length === 0 ? (
          <p class="empty">No groups yet.</p>
        ) : (
          <table class="list">
            <caption>Groups by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Members</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id}>
                  <td data-label="Name">
                    <a href={`/console/team/groups/${g.id}`}>{g.name}</a>
                  </td>
                  <td data-label="Members">{g.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3 id="new-group">New group</h3>
        <ErrorSummary errors={groupForm?.errors} labels={{ name: 'Group name' }} />
        <Form action="/console/team/groups" csrf={shell.csrf}>
          <Field
            name="name"
            label="Group name"
            value={groupForm?.name}
            errors={groupForm?.errors}
            hint="Up to 100 characters, unlike any other group’s name."
            required
          />
          <button type="submit" class="btn">
            Create group
          </button>
        </Form>
      </section>
    </Page>
  );
}
