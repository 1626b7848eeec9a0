import type { FlowObject } from '../../flows/flows.schema.ts';
import { CSRF_FIELD } from '../csrf.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary } from './form.tsx';
import { Page } from './layout.tsx';
import { Checkbox, ColorInput, type FormValues, Group, Select, TextInput } from './template-fields.tsx';

interface SettingsProps {
  shell: Shell;
  values: FormValues;
  errors?: FormErrors;
  /** The Email/SMS templates a send may default to. */
  templates: FlowObject[];
  timeZones: readonly string[];
}

const LABELS: Record<string, string> = {
  company_name: 'Company name',
  sender: 'Sender',
  'brand.color': 'Brand colour',
  'brand.logo': 'Logo URL',
  default_flow_id: 'Default template',
  require_external_id: 'Require an external id on every invite',
  'reminders.enabled': 'Send reminders',
  'reminders.after_days': 'Days before a reminder',
  'reminders.max_count': 'Reminders at most',
  'reminders.send_window.start': 'Not before',
  'reminders.send_window.end': 'Not after',
  'reminders.send_window.timezone': 'Time zone',
  'expiry.enabled': 'Expire unfinished invites',
  'expiry.after_days': 'Days before an invite expires',
};

/** How this client sends invites: what the recipient sees by default, reminders and expiry. */
export function SettingsPage({ shell, values, errors, templates, timeZones }: SettingsProps) {
  const f = (name: string) => ({ name, label: LABELS[name] ?? name, values, errors });
  return (
    <Page shell={shell} title="Settings">
      <h1>Settings</h1>
      <ErrorSummary errors={errors} labels={LABELS} />
      <form method="post" action="/console/settings" class="settings-form">
        <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
        <Group legend="Company">
          <TextInput {...f('company_name')} hint="Shown to recipients; the built-in texts name it." />
          <TextInput {...f('sender')} hint="The name emails are signed with." />
        </Group>
        <Group legend="Branding defaults">
          <ColorInput
            {...f('brand.color')}
            setName="brand.own_color"
            setLabel="Use a brand colour (else the built-in blue)"
            fallback="#1a56db"
          />
          <TextInput {...f('brand.logo')} type="url" />
        </Group>
        <Group legend="Sending">
          <Select
            {...f('default_flow_id')}
            hint="The template of invites sent without one."
            options={[['', 'None (built-in texts)'], ...templates.map((t) => [t.id, t.name] as const)]}
          />
          <Checkbox {...f('require_external_id')} />
        </Group>
        <Group legend="Reminders">
          <Checkbox {...f('reminders.enabled')} />
          <TextInput
            {...f('reminders.after_days')}
            type="number"
            min={1}
            max={30}
            hint="Also the days between reminders."
          />
          <TextInput {...f('reminders.max_count')} type="number" min={1} max={10} />
          <TextInput {...f('reminders.send_window.start')} type="time" />
          <TextInput {...f('reminders.send_window.end')} type="time" />
          <Select {...f('reminders.send_window.timezone')} options={timeZones.map((z) => [z, z] as const)} />
        </Group>
        <Group legend="Expiry">
          <Checkbox {...f('expiry.enabled')} />
          <TextInput {...f('expiry.after_days')} type="number" min={1} max={365} />
        </Group>
        <button type="submit" class="btn">
          Save settings
        </button>
      </form>
    </Page>
  );
}
