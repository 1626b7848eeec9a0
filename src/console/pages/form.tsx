import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../csrf.ts';
import type { FormErrors } from '../forms.ts';

interface FormProps {
  action: string;
  csrf: string;
  children: ComponentChildren;
}

/** A POST form with its CSRF token. */
export function Form({ action, csrf, children }: FormProps) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {children}
    </form>
  );
}

/** A field's id, its errors, and the id of their list when there are any. */
export function fieldOf(name: string, errors: FormErrors | undefined) {
  const id = `field-${name}`;
  const messages = errors?.[name] ?? [];
  return { id, messages, errorId: messages.length > 0 ? `${id}-errors` : undefined };
}

/** A field's errors under it, named by the field's aria-describedby; nothing when there are none. */
export function FieldErrorList({ id, messages }: { id: string | undefined; messages: readonly string[] }) {
  if (!id) return null;
  return (
    <ul class="field-errors" id={id}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'tel';
  value?: string;
  errors?: FormErrors;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
}

/** A labelled input with its hint and, after a refused POST, its errors beside it. */
export function Field({
  name,
  label,
  type = 'text',
  value,
  errors,
  autocomplete,
  hint,
  required,
}: FieldProps) {
  const { id, messages, errorId } = fieldOf(name, errors);
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        // Preact types each input type apart (for ARIA roles); these all take a text value.
        type={type as 'text'}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        aria-invalid={messages.length > 0 ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}

/**
 * What went wrong, above the form: the errors that belong to no field, and a link to each field
 * that has one, so a screen reader hears it all at once.
 */
export function ErrorSummary({ errors, labels }: { errors?: FormErrors; labels: Record<string, string> }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  const general = [...(errors.non_field_errors ?? []), ...(errors.detail ?? [])];
  const fields = Object.keys(errors).filter((k) => k !== 'non_field_errors' && k !== 'detail');
  return (
    <div class="alert" role="alert">
      {general.map((m) => (
        <p key={m}>{m}</p>
      ))}
      {fields.length > 0 && (
        <>
          <p>Check the form:</p>
          <ul>
            {fields.map((name) => (
              <li key={name}>
                <a href={`#field-${name}`}>
                  {labels[name] ?? name}: {errors[name]?.join(' ')}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
