import type { GroupChoice } from '../../members/groups.service.ts';
import type { FormErrors } from '../forms.ts';
import { FIELD_LABELS, RECIPIENT_FIELDS, type Teammate } from '../send-input.ts';
import type { SendPreview } from '../send-preview.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, FieldErrorList, Form, fieldOf } from './form.tsx';
import { Page } from './layout.tsx';
import { SendPreviews } from './send-previews.tsx';

export interface SendForm {
  values: Partial<Record<string, string>>;
  flowId: string;
  groupId: string;
  /** Ids of the teammates Cc'd. */
  cc: string[];
}

interface SendProps {
  shell: Shell;
  flows: { id: string; name: string }[];
  defaultFlowId: string | null;
  teammates: Teammate[];
  /** The member's groups: an invite is sent in one of them. */
  groups: readonly GroupChoice[];
  form: SendForm;
  errors?: FormErrors;
  preview?: SendPreview;
}

/** One invite: the recipient, the template, who is Cc'd; previews before it goes. */
export function SendPage({
  shell,
  flows,
  defaultFlowId,
  teammates,
  groups,
  form,
  errors,
  preview,
}: SendProps) {
  const selfId = shell.member?.id;
  return (
    <Page shell={shell} title="Send invite">
      <h1>Send invite</h1>
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      <Form action="/console/send" csrf={shell.csrf}>
        <div class="send-grid">
          <fieldset class="send-fields">
            <legend>Recipient</legend>
            {RECIPIENT_FIELDS.map((f) => (
              <Field
                key={f.name}
                name={f.name}
                label={f.label}
                type={f.type}
                autocomplete={f.autocomplete}
                value={form.values[f.name] ?? ''}
                errors={errors}
              />
            ))}
          </fieldset>
          <fieldset class="send-fields">
            <legend>Template and copies</legend>
            <Select
              name="flow_id"
              label="Template"
              errors={errors}
              value={form.flowId}
              options={[
                { value: '', label: defaultFlowId ? 'The default template' : 'Built-in text' },
                ...flows.map((f) => ({
                  value: f.id,
                  label: f.id === defaultFlowId ? `${f.name} (default)` : f.name,
                })),
              ]}
            />
            {groups.length > 1 && (
              <Select
                name="group_id"
                label="Group"
                errors={errors}
                value={form.groupId}
                options={[
                  { value: '', label: 'Choose a group' },
                  ...groups.map((g) => ({ value: g.id, label: g.name })),
                ]}
              />
            )}
            <fieldset class="cc">
              <legend>Cc</legend>
              <p class="hint">Copied members are told when the invite is completed.</p>
              {teammates.map((m) => (
                <div class="check" key={m.id}>
                  <input
                    type="checkbox"
                    id={`cc-${m.id}`}
                    name="cc"
                    value={m.id}
                    checked={form.cc.includes(m.id)}
                  />
                  <label for={`cc-${m.id}`}>
                    {m.id === selfId ? `You (${m.email})` : m.name ? `${m.name} (${m.email})` : m.email}
                  </label>
                </div>
              ))}
            </fieldset>
          </fieldset>
        </div>
        <div class="send-actions">
          <button class="btn secondary" type="submit" name="action" value="preview">
            Preview
          </button>
          <button class="btn" type="submit" name="action" value="send">
            Send invite
          </button>
        </div>
      </Form>
      {preview && <SendPreviews preview={preview} />}
    </Page>
  );
}

interface SelectProps {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  errors?: FormErrors;
}

function Select({ name, label, value, options, errors }: SelectProps) {
  const { id, messages, errorId } = fieldOf(name, errors);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={errorId ? 'true' : undefined} aria-describedby={errorId}>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}
