import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { Page } from './layout.tsx';

export function ForgotPasswordPage(props: { shell: Shell; email?: string; errors?: FormErrors }) {
  const { shell, email, errors } = props;
  return (
    <Page shell={shell} title="Forgot your password?">
      <h1>Forgot your password?</h1>
      <p>
        Type the email you sign in with. If it belongs to a member, we email a link to choose a new password.
      </p>
      <ErrorSummary errors={errors} labels={{ email: 'Email' }} />
      <Form action="/console/forgot-password" csrf={shell.csrf}>
        <Field
          name="email"
          label="Email"
          type="email"
          value={email}
          errors={errors}
          autocomplete="username"
          required
        />
        <button type="submit" class="btn wide">
          Email me a link
        </button>
      </Form>
      <p class="after-form">
        <a href="/console">Back to sign in</a>
      </p>
    </Page>
  );
}
