import type { FlowObject } from '../../flows/flows.schema.ts';
import { CSRF_FIELD } from '../csrf.ts';
import type { Shell } from '../shell.ts';
import { CopyButton, CopyScript } from './copy-button.tsx';
import { Page } from './layout.tsx';

const TYPE_LABELS = { email_sms_template: 'Email/SMS template', shareable_url: 'Shareable URL' } as const;
const LANGUAGE_LABELS: Record<string, string> = { en: 'English', es: 'Spanish' };

interface TemplatesProps {
  shell: Shell;
  flows: FlowObject[];
  defaultFlowId: string | null;
}

/** Every template of the client, with its default and its Shareable URLs' addresses. */
export function TemplatesPage({ shell, flows, defaultFlowId }: TemplatesProps) {
  return (
    <Page shell={shell} title="Templates">
      <div class="page-head">
        <h1>Templates</h1>
        <a class="btn" href="/console/templates/new">
          New template
        </a>
      </div>
      {flows.length === 0 ? (
        <p class="empty">No templates yet.</p>
      ) : (
        <table class="list templates">
          <caption>Templates, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Language</th>
              <th scope="col">Shareable URL</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((flow) => (
              <tr key={flow.id}>
                <td data-label="Name">
                  <a href={`/console/templates/${flow.id}`}>{flow.name}</a>
                  {flow.id === defaultFlowId && (
                    <>
                      {' '}
                      <span class="status status-default">Default</span>
                    </>
                  )}
                </td>
                <td data-label="Type">{TYPE_LABELS[flow.type]}</td>
                <td data-label="Language">{LANGUAGE_LABELS[flow.language] ?? flow.language}</td>
                <td data-label="Shareable URL">
                  {flow.type === 'shareable_url' ? <ShareableCell shell={shell} flow={flow} /> : '—'}
                </td>
                <td data-label="Actions">
                  {flow.type === 'email_sms_template' && flow.id !== defaultFlowId && (
                    <form method="post" action={`/console/templates/${flow.id}/default`} class="inline">
                      <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
                      <button type="submit" class="link-action">
                        Set as default<span class="visually-hidden"> for {flow.name}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {flows.some((f) => f.type === 'shareable_url') && <CopyScript />}
    </Page>
  );
}

/** The address to copy, whether it works, and the switch. */
export function ShareableCell({
  shell,
  flow,
}: {
  shell: Shell;
  flow: Extract<FlowObject, { type: 'shareable_url' }>;
}) {
  const id = `url-${flow.id}`;
  return (
    <div class="shareable">
      <label for={id} class="visually-hidden">
        Shareable URL of {flow.name}
      </label>
      <input id={id} class="copy-field" type="text" readonly value={flow.url} />
      <CopyButton target={id} label="Copy" context={`the shareable URL of ${flow.name}`} />
      <span class={`status ${flow.active ? 'status-completed' : 'status-revoked'}`}>
        {flow.active ? 'Active' : 'Inactive'}
      </span>{' '}
      <form method="post" action={`/console/templates/${flow.id}/active`} class="inline">
        <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
        <input type="hidden" name="active" value={flow.active ? 'false' : 'true'} />
        <button type="submit" class="link-action">
          {flow.active ? 'Deactivate' : 'Activate'}
          <span class="visually-hidden"> {flow.name}</span>
        </button>
      </form>
    </div>
  );
}
