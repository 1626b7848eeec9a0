import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, FieldErrorList, Form } from './form.tsx';
import { Page } from './layout.tsx';

export interface WebhookFormValues {
  name: string;
  url: string;
  events: string[];
  secret: string;
}

interface WebhookFormProps {
  shell: Shell;
  values: WebhookFormValues;
  errors?: FormErrors;
  /** Every event a subscription may ask for. */
  events: readonly string[];
}

const LABELS = { name: 'Name', url: 'URL', events: 'Events', secret: 'Signing secret' };

/** The events' checkboxes, with the errors the API gave for the list or any of its items. */
function EventsField({ values, errors, events }: Omit<WebhookFormProps, 'shell'>) {
  const messages = Object.entries(errors ?? {})
    .filter(([key]) => key === 'events' || key.startsWith('events.'))
    .flatMap(([, m]) => m);
  const errorId = messages.length > 0 ? 'field-events-errors' : undefined;
  const box = (value: string, label: string) => (
    <li key={value}>
      <label class="event-choice">
        <input type="checkbox" name="events" value={value} checked={values.events.includes(value)} /> {label}
      </label>
    </li>
  );
  return (
    <fieldset
      class="field events-field"
      id="field-events"
      aria-describedby={['field-events-hint', errorId].filter(Boolean).join(' ')}
    >
      <legend>{LABELS.events}</legend>
      <p class="hint" id="field-events-hint">
        All events are every event but the test event, which is sent to any subscription on request.
      </p>
      <ul class="event-choices">
        {box('*', 'All events (*)')}
        {events.map((e) => box(e, e))}
      </ul>
      <FieldErrorList id={errorId} messages={messages} />
    </fieldset>
  );
}

/** A new subscription: where to send, which events, and optionally its signing secret. */
export function WebhookFormPage({ shell, values, errors, events }: WebhookFormProps) {
  return (
    <Page shell={shell} title="New webhook subscription">
      <h1>New webhook subscription</h1>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form action="/console/webhooks/new" csrf={shell.csrf}>
        <Field
          name="name"
          label={LABELS.name}
          value={values.name}
          errors={errors}
          hint="Sent as “name” in every delivery."
          required
        />
        <Field
          name="url"
          label={LABELS.url}
          value={values.url}
          errors={errors}
          hint="Where events are POSTed: a public http or https address."
          required
        />
        <EventsField values={values} errors={errors} events={events} />
        <Field
          name="secret"
          label={`${LABELS.secret} (optional)`}
          type="password"
          errors={errors}
          autocomplete="off"
          hint="The key of the X-Argyle-Signature HMAC. Leave it empty to have one generated."
        />
        <div class="confirm-actions">
          <button type="submit" class="btn">
            Create subscription
          </button>
          <a href="/console/webhooks">Cancel</a>
        </div>
      </Form>
    </Page>
  );
}
