import type { FlowObject, FlowType } from '../../flows/flows.schema.ts';
import { CSRF_FIELD } from '../csrf.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import type { TemplatePreview } from '../templates.preview.ts';
import { CopyScript } from './copy-button.tsx';
import { ErrorSummary } from './form.tsx';
import { Page } from './layout.tsx';
import {
  Checkbox,
  ColorInput,
  type FormValues,
  Group,
  Select,
  TextArea,
  TextInput,
} from './template-fields.tsx';
import { TemplatePreviewPanel } from './template-preview.tsx';
import { ShareableCell } from './templates.tsx';

interface TemplateFormProps {
  shell: Shell;
  /** The saved flow being edited; none for a new one. */
  flow: FlowObject | null;
  values: FormValues;
  errors?: FormErrors;
  preview: TemplatePreview | null;
  isDefault: boolean;
}

const LABELS: Record<string, string> = {
  type: 'Type',
  name: 'Name',
  language: 'Language',
  'brand.color': 'Brand colour',
  'brand.logo': 'Logo URL',
  'email.subject': 'Subject',
  'email.sender': 'Sender',
  'email.header': 'Header',
  'email.subheader': 'Subheader',
  'email.reply_to': 'Reply-to emails',
  ...Object.fromEntries(
    ([1, 2, 3] as const).flatMap((i) => [
      [`email.body_text_icon_${i}`, `Row ${i} icon URL`],
      [`email.body_text_header_${i}`, `Row ${i} heading`],
      [`email.body_text_subheader_${i}`, `Row ${i} text`],
    ]),
  ),
  sms_text: 'SMS text',
  'landing_page.header': 'Landing page header',
  'landing_page.subheader': 'Landing page subheader',
  'landing_page.step_1': 'Step 1',
  'landing_page.step_2': 'Step 2',
  'landing_page.step_3': 'Step 3',
  'success_page.header': 'Success page header',
  'success_page.subheader': 'Success page subheader',
  'success_page.button_text': 'Button text',
  'success_page.button_url': 'Button URL',
  flow_items: 'Items',
  active: 'Active',
  notify_emails: 'Notify emails',
  allow_email_override: 'Allow ?email= to replace them',
};

const PLACEHOLDER_HINT = 'You may use [Name], [Company], [Sender] and [Link].';

/** A template's every field, with the preview of what the recipient gets beside it. */
export function TemplateFormPage({ shell, flow, values, errors, preview, isDefault }: TemplateFormProps) {
  const type: FlowType =
    flow?.type ?? (values.type === 'shareable_url' ? 'shareable_url' : 'email_sms_template');
  const action = flow ? `/console/templates/${flow.id}` : '/console/templates/new';
  const title = flow ? `Edit ${flow.name}` : 'New template';
  const f = (name: string) => ({ name, label: LABELS[name] ?? name, values, errors });
  return (
    <Page shell={shell} title={title}>
      <h1>{flow ? <>Edit “{flow.name}”</> : 'New template'}</h1>
      {flow && <TemplateActions shell={shell} flow={flow} isDefault={isDefault} />}
      <ErrorSummary errors={errors} labels={LABELS} />
      <div class="editor">
        <form
          method="post"
          action={action}
          class="template-form"
          hx-post="/console/templates/preview"
          hx-trigger="input changed delay:400ms"
          hx-target="#preview"
          hx-swap="innerHTML"
        >
          <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
          {flow ? (
            <input type="hidden" name="type" value={type} />
          ) : (
            <Select
              {...f('type')}
              hint="A Shareable URL sends nothing: each visitor of its address gets an invite of their own. It cannot change later."
              options={[
                ['email_sms_template', 'Email/SMS template'],
                ['shareable_url', 'Shareable URL'],
              ]}
            />
          )}
          <TextInput {...f('name')} hint="How the Console lists it." />
          <Select
            {...f('language')}
            hint="The language of the built-in texts the recipient sees."
            options={[
              ['en', 'English'],
              ['es', 'Spanish'],
            ]}
          />
          <Group legend="Branding">
            <ColorInput
              {...f('brand.color')}
              setName="brand.own_color"
              setLabel="Use its own brand colour (else the settings' colour)"
              fallback="#1a56db"
            />
            <TextInput {...f('brand.logo')} type="url" />
          </Group>
          {type === 'email_sms_template' && (
            <Group legend="Email">
              <TextInput {...f('email.subject')} hint={PLACEHOLDER_HINT} />
              <TextInput {...f('email.sender')} hint="The name the email is signed with." />
              <TextInput {...f('email.header')} />
              <TextArea {...f('email.subheader')} />
              <TextArea
                {...f('email.reply_to')}
                hint="Told by email when the recipient connects an account. One address a line."
              />
              {([1, 2, 3] as const).map((i) => (
                <div class="icon-row" key={i}>
                  <TextInput {...f(`email.body_text_icon_${i}`)} type="url" />
                  <TextInput {...f(`email.body_text_header_${i}`)} />
                  <TextArea {...f(`email.body_text_subheader_${i}`)} rows={2} />
                </div>
              ))}
            </Group>
          )}
          {type === 'email_sms_template' && (
            <Group legend="SMS">
              <TextArea {...f('sms_text')} hint="The link is added at the end when the text leaves it out." />
            </Group>
          )}
          <Group legend="Landing page">
            <TextInput {...f('landing_page.header')} />
            <TextArea {...f('landing_page.subheader')} />
            <TextInput {...f('landing_page.step_1')} />
            <TextInput {...f('landing_page.step_2')} />
            <TextInput {...f('landing_page.step_3')} />
          </Group>
          <Group legend="Success page">
            <TextInput {...f('success_page.header')} />
            <TextArea {...f('success_page.subheader')} />
            <TextInput {...f('success_page.button_text')} />
            <TextInput {...f('success_page.button_url')} type="url" />
          </Group>
          {type === 'shareable_url' && (
            <Group legend="Shareable URL">
              <Checkbox
                {...f('active')}
                hint="An inactive URL shows “No action needed” and makes no invite."
              />
              <TextArea
                {...f('notify_emails')}
                hint="Told when a visitor connects an account. One address a line."
              />
              <Checkbox {...f('allow_email_override')} />
            </Group>
          )}
          <TextArea {...f('flow_items')} hint="Direct-login items, one a line." />
          <div class="form-actions">
            <button type="submit" class="btn" name="_action" value="save">
              {flow ? 'Save template' : 'Create template'}
            </button>
            <button type="submit" class="btn secondary" name="_action" value="preview">
              Preview
            </button>
          </div>
        </form>
        <div id="preview" class="preview-column" aria-live="polite">
          {preview && <TemplatePreviewPanel preview={preview} />}
        </div>
      </div>
    </Page>
  );
}

function TemplateActions({ shell, flow, isDefault }: { shell: Shell; flow: FlowObject; isDefault: boolean }) {
  return (
    <div class="template-actions">
      {flow.type === 'shareable_url' && (
        <>
          <ShareableCell shell={shell} flow={flow} />
          <CopyScript />
        </>
      )}
      {flow.type === 'email_sms_template' &&
        (isDefault ? (
          <span class="status status-default">Default template</span>
        ) : (
          <form method="post" action={`/console/templates/${flow.id}/default`} class="inline">
            <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
            <button type="submit" class="link-action">
              Set as default
            </button>
          </form>
        ))}{' '}
      <a href={`/console/templates/${flow.id}/delete`}>Delete…</a>
    </div>
  );
}
