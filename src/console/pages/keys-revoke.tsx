import type { ClientKey } from '../../auth/keys.service.ts';
import type { Shell } from '../shell.ts';
import { Form } from './form.tsx';
import { Stamp } from './keys.tsx';
import { Page } from './layout.tsx';

/** The step before a key stops working: which key, and what revoking it means. */
export function KeyRevokePage({ shell, apiKey }: { shell: Shell; apiKey: ClientKey }) {
  return (
    <Page shell={shell} title={`Revoke ${apiKey.name}`}>
      <h1>Revoke “{apiKey.name}”?</h1>
      <dl class="facts">
        <dt>Key id</dt>
        <dd>
          <code class="key-id">{apiKey.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <Stamp at={apiKey.created_at} />
        </dd>
      </dl>
      <p>
        Every request made with it is refused from now on; a program still using it stops working. A revoked
        key cannot be brought back.
      </p>
      <Form action={`/console/keys/${apiKey.id}/revoke`} csrf={shell.csrf}>
        <div class="confirm-actions">
          <button type="submit" class="btn danger">
            Revoke key
          </button>
          <a href="/console/keys">Cancel</a>
        </div>
      </Form>
    </Page>
  );
}
