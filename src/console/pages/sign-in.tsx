import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';

const LABELS = { email: 'Email', password: 'Password' };

export function SignInPage(props: { shell: Shell; email?: string; next: string; errors?: FormErrors }) {
  const { shell, email, next, errors } = props;
  return (
    <Page shell={shell} title="Sign in">
      <h1>Sign in</h1>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form action="/console/sign-in" csrf={shell.csrf}>
        {next !== '/console' && <input type="hidden" name="next" value={next} />}
        <Field
          name="email"
          label={LABELS.email}
          type="email"
          value={email}
          errors={errors}
          autocomplete="username"
          required
        />
        <Field
          name="password"
          label={LABELS.password}
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="btn wide">
          Sign in
        </button>
      </Form>
      <p class="after-form">
        <a href="/console/forgot-password">Forgot your password?</a>
      </p>
    </Page>
  );
}
