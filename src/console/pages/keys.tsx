import type { ClientKey } from '../../auth/keys.service.ts';
import { iso } from '../../lib/time.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, Field, Form } from './form.tsx';
import { when } from './invites.tsx';
import { Page } from './layout.tsx';

interface KeysProps {
  shell: Shell;
  clientId: string;
  keys: ClientKey[];
  /** After a refused create: what was typed and why. */
  name?: string;
  errors?: FormErrors;
}

const LABELS = { name: 'Name' };

/** A time as the Console writes it; to the second where attempts follow each other closely. */
export function Stamp({ at, seconds = false }: { at: string; seconds?: boolean }) {
  const value = iso(at);
  return (
    <time dateTime={value}>{seconds ? `${value.replace('T', ' ').slice(0, 19)} UTC` : when(value)}</time>
  );
}

/** The client's API keys (never their secrets), a form to make one, and revoking. */
export function KeysPage({ shell, clientId, keys, name, errors }: KeysProps) {
  return (
    <Page shell={shell} title="API keys">
      <h1>API keys</h1>
      <p>
        Programs call the API with a key's id and secret as HTTP Basic credentials. Every key here belongs to
        client <code class="key-id">{clientId}</code>.
      </p>
      {keys.length === 0 ? (
        <p class="empty">No API keys yet.</p>
      ) : (
        <table class="list keys">
          <caption>Keys, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key id (api_key_id)</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">{key.name}</td>
                <td data-label="Key id">
                  <code class="key-id">{key.id}</code>
                </td>
                <td data-label="Created">
                  <Stamp at={key.created_at} />
                </td>
                <td data-label="Status">
                  {key.revoked_at === null ? (
                    <span class="status status-completed">Active</span>
                  ) : (
                    <>
                      <span class="status status-revoked">Revoked</span> <Stamp at={key.revoked_at} />
                    </>
                  )}
                </td>
                <td data-label="Actions">
                  {key.revoked_at === null && (
                    <a href={`/console/keys/${key.id}/revoke`}>
                      Revoke<span class="visually-hidden"> {key.name}</span>
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="key-create" aria-labelledby="create-key">
        <h2 id="create-key">Create a key</h2>
        <ErrorSummary errors={errors} labels={LABELS} />
        <Form action="/console/keys" csrf={shell.csrf}>
          <Field
            name="name"
            label={LABELS.name}
            value={name}
            errors={errors}
            hint="What uses it, so you know which to revoke: “CRM sync”, “staging”."
            required
          />
          <button type="submit" class="btn">
            Create key
          </button>
        </Form>
      </section>
    </Page>
  );
}
