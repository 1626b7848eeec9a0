import { MIN_PASSWORD_LENGTH } from '../../members/password.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';

const LABELS = { email: 'Email', name: 'Name', password: 'Password' };
const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, and not your email address.`;

interface SetPasswordProps {
  shell: Shell;
  /** Where the form posts: the page's own URL, with its token. */
  action: string;
  errors?: FormErrors;
}

/** The first admin's setup: who they are, and a password. */
export function FirstAdminPage(
  props: SetPasswordProps & { clientName: string; email?: string; name?: string },
) {
  const { shell, action, errors, clientName, email, name } = props;
  return (
    <Page shell={shell} title="Create the first admin">
      <h1>Create the first admin</h1>
      <p>
        This link makes the first admin of <strong>{clientName}</strong>, who can then add the rest of the
        team. It works once.
      </p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form action={action} csrf={shell.csrf}>
        <Field
          name="email"
          label={LABELS.email}
          type="email"
          value={email}
          errors={errors}
          autocomplete="username"
          required
        />
        <Field name="name" label={LABELS.name} value={name} errors={errors} autocomplete="name" required />
        <NewPasswordField errors={errors} />
        <button type="submit" class="btn wide">
          Create admin and sign in
        </button>
      </Form>
    </Page>
  );
}

/** The password being chosen, with the rule it must meet. */
function NewPasswordField({ errors }: { errors: SetPasswordProps['errors'] }) {
  return (
    <Field
      name="password"
      label={LABELS.password}
      type="password"
      errors={errors}
      hint={PASSWORD_HINT}
      autocomplete="new-password"
      required
    />
  );
}

/** An invited member's first password, or a new one after a reset. */
export function NewPasswordPage(props: SetPasswordProps & { email: string; reset: boolean }) {
  const { shell, action, errors, email, reset } = props;
  const title = reset ? 'Choose a new password' : 'Set your password';
  return (
    <Page shell={shell} title={title}>
      <h1>{title}</h1>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{email}</dd>
      </dl>
      {reset && <p>Every browser signed in as you is signed out when you save it.</p>}
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form action={action} csrf={shell.csrf}>
        {/* Lets a password manager file the new password under the right account. */}
        <input type="hidden" name="username" value={email} autocomplete="username" />
        <NewPasswordField errors={errors} />
        <button type="submit" class="btn wide">
          Save password and sign in
        </button>
      </Form>
    </Page>
  );
}
