import type { GroupChoice } from '../../members/groups.service.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';

interface GroupProps {
  shell: Shell;
  group: GroupChoice & { members: number };
  /** The name as typed, after a refusal. */
  name?: string;
  errors?: FormErrors;
}

/** One group: rename it, or delete it. */
export function TeamGroupPage({ shell, group, name, errors }: GroupProps) {
  const base = `/console/team/groups/${group.id}`;
  const count = `${group.members} member${group.members === 1 ? '' : 's'}`;
  return (
    <Page shell={shell} title={group.name}>
      <p class="back">
        <a href="/console/team">Team</a>
      </p>
      <h1 class="team-title">{group.name}</h1>
      <p>{count}.</p>
      <ErrorSummary errors={errors} labels={{ name: 'Name' }} />
      <section aria-labelledby="rename-heading">
        <h2 id="rename-heading">Rename</h2>
        <Form action={base} csrf={shell.csrf}>
          <div class="team-form">
            <Field name="name" label="Name" value={name ?? group.name} errors={errors} required />
            <button type="submit" class="btn">
              Rename group
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="delete-heading" class="team-actions">
        <h2 id="delete-heading">Delete</h2>
        <Form action={`${base}/delete`} csrf={shell.csrf}>
          <p>
            {group.members === 0
              ? 'No member is in it.'
              : `Its ${count} ${group.members === 1 ? 'leaves' : 'leave'} it.`}{' '}
            Invites already sent in it keep its id as their group, and members who saw them through this group
            no longer do.
          </p>
          <button type="submit" class="btn danger">
            Delete group
          </button>
        </Form>
      </section>
    </Page>
  );
}
