import type { ComponentChildren } from 'preact';
import type { FormErrors } from '../forms.ts';
import { FieldErrorList } from './form.tsx';

/** A form's values by field name, as posted (dotted names follow the API's nesting). */
export type FormValues = Record<string, string>;

interface Common {
  name: string;
  label: string;
  values: FormValues;
  errors?: FormErrors;
  hint?: string;
}

const idOf = (name: string) => `field-${name}`;

/** The messages for a field, including those the API gave for one of its list's items. */
function messagesOf(errors: FormErrors | undefined, name: string): string[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, messages]) => messages);
}

/** Label, hint, the control and its errors, wired together for assistive technology. */
function Wrapped(
  props: Common & { control: (aria: Record<string, string | undefined>) => ComponentChildren },
) {
  const { name, label, errors, hint, control } = props;
  const id = idOf(name);
  const messages = messagesOf(errors, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length > 0 ? `${id}-errors` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {control({
        id,
        'aria-invalid': errorId ? 'true' : undefined,
        'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
      })}
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}

export function TextInput(
  props: Common & { type?: 'text' | 'url' | 'number' | 'time' | 'email'; min?: number; max?: number },
) {
  const { name, values, type = 'text', min, max } = props;
  return (
    <Wrapped
      {...props}
      control={(aria) => (
        <input {...aria} name={name} type={type as 'text'} value={values[name] ?? ''} min={min} max={max} />
      )}
    />
  );
}

export function TextArea(props: Common & { rows?: number }) {
  const { name, values, rows = 3 } = props;
  return (
    <Wrapped
      {...props}
      control={(aria) => (
        <textarea {...aria} name={name} rows={rows}>
          {values[name] ?? ''}
        </textarea>
      )}
    />
  );
}

export function Select(props: Common & { options: readonly (readonly [value: string, label: string])[] }) {
  const { name, values, options } = props;
  return (
    <Wrapped
      {...props}
      control={(aria) => (
        <select {...aria} name={name}>
          {options.map(([value, label]) => (
            <option key={value} value={value} selected={values[name] === value}>
              {label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A colour picker; a colour input always posts a value, so the checkbox says whether it is set. */
export function ColorInput(props: Common & { setName: string; setLabel: string; fallback: string }) {
  const { name, values, setName, setLabel, fallback } = props;
  return (
    <div class="color-row">
      <Checkbox name={setName} label={setLabel} values={values} />
      <Wrapped
        {...props}
        control={(aria) => <input {...aria} name={name} type="color" value={values[name] || fallback} />}
      />
    </div>
  );
}

export function Checkbox({ name, label, values, errors, hint }: Common) {
  const id = idOf(name);
  const messages = messagesOf(errors, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length > 0 ? `${id}-errors` : undefined;
  return (
    <div class="field check">
      <input
        id={id}
        name={name}
        type="checkbox"
        value="on"
        checked={values[name] === 'on'}
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}

/** A group of fields under a heading. */
export function Group({ legend, children }: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class="group">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
