import type { OutboxMessage } from '../../outbox/outbox.schema.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, FieldErrorList } from './form.tsx';
import { when } from './invites.tsx';
import { Page } from './layout.tsx';

/** The filter form's fields as typed (or as a page's cursor carries them). */
export interface OutboxFormValues {
  channel: string;
  to: string;
  invite: string;
}

interface OutboxProps {
  shell: Shell;
  messages: OutboxMessage[];
  values: OutboxFormValues;
  /** Cursors of the older and newer pages, when there are such pages. */
  older: string | null;
  newer: string | null;
  errors?: FormErrors;
}

const BASE = '/console/outbox';
const LABELS = { channel: 'Channel', to: 'Recipient', invite: 'Invite id', cursor: 'Page' };
const SNIPPET = 120;

export const channelLabel = (m: Pick<OutboxMessage, 'channel'>) => (m.channel === 'sms' ? 'SMS' : 'Email');

const pageUrl = (cursor: string) => `${BASE}?cursor=${encodeURIComponent(cursor)}`;

/** What the list names a message by: an email's subject, the start of an SMS. */
function headline(m: OutboxMessage): string {
  if (m.channel === 'email') return m.subject || '(no subject)';
  return m.text.length > SNIPPET ? `${m.text.slice(0, SNIPPET)}…` : m.text;
}

/** Email and SMS captured instead of sent, newest first, with filters and pages. */
export function OutboxPage({ shell, messages, values, older, newer, errors }: OutboxProps) {
  const filtered = values.channel !== '' || values.to !== '' || values.invite !== '';
  return (
    <Page shell={shell} title="Outbox">
      <h1>Outbox</h1>
      <p class="muted">
        Email and SMS captured instead of sent, newest first: in sandbox mode nothing leaves this machine.
      </p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <form method="get" action={BASE} class="outbox-filters" aria-label="Filter messages">
        <ChannelSelect value={values.channel} errors={errors} />
        <Field
          name="to"
          label="Recipient"
          value={values.to}
          errors={errors}
          autocomplete="off"
          hint="An email address (any case) or a number as +12125555555."
        />
        <Field name="invite" label="Invite id" value={values.invite} errors={errors} autocomplete="off" />
        <div class="outbox-filter-actions">
          <button type="submit" class="btn">
            Filter
          </button>
          {filtered && (
            <a href={BASE} class="btn secondary">
              Show all
            </a>
          )}
        </div>
      </form>
      {messages.length === 0 ? (
        <p class="empty">
          {filtered
            ? 'No message matches these filters.'
            : 'No messages yet. Send an invite and it appears here.'}
        </p>
      ) : (
        <table class="list outbox">
          <caption>Captured messages, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">Channel</th>
              <th scope="col">To</th>
              <th scope="col">Invite</th>
              <th scope="col">Captured</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td data-label="Message">
                  <a href={`${BASE}/${m.id}`}>{headline(m)}</a>
                </td>
                <td data-label="Channel">
                  <span class={`channel-tag channel-${m.channel}`}>{channelLabel(m)}</span>
                </td>
                <td data-label="To">{m.to}</td>
                <td data-label="Invite">
                  {m.invite_id ? (
                    <a href={`/console/invites/${m.invite_id}`}>
                      Open invite<span class="visually-hidden"> of the message to {m.to}</span>
                    </a>
                  ) : (
                    <span class="muted">none</span>
                  )}
                </td>
                <td data-label="Captured">
                  <time dateTime={m.created_at}>{when(m.created_at)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" class="pager">
        {newer && (
          <a href={pageUrl(newer)} rel="prev">
            Newer
          </a>
        )}
        {older && (
          <a href={pageUrl(older)} rel="next">
            Older
          </a>
        )}
      </nav>
    </Page>
  );
}

function ChannelSelect({ value, errors }: { value: string; errors: FormErrors | undefined }) {
  const messages = errors?.channel ?? [];
  const errorId = messages.length > 0 ? 'field-channel-errors' : undefined;
  const option = (v: string, label: string) => (
    <option value={v} selected={value === v}>
      {label}
    </option>
  );
  return (
    <div class="field">
      <label for="field-channel">Channel</label>
      <select
        id="field-channel"
        name="channel"
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={errorId}
      >
        {option('', 'Email and SMS')}
        {option('email', 'Email')}
        {option('sms', 'SMS')}
      </select>
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}
