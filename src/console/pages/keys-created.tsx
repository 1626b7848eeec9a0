import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

interface KeyCreatedProps {
  shell: Shell;
  name: string;
  created: { api_key_id: string; api_key_secret: string; client_id: string };
  publicUrl: string;
}

/** The one time a key's secret is shown: only its hash is kept. */
export function KeyCreatedPage({ shell, name, created: key, publicUrl }: KeyCreatedProps) {
  return (
    <Page shell={shell} title="API key created">
      <h1>Key “{name}” created</h1>
      <div class="alert secret-warning" role="alert">
        <p>
          <strong>Copy the secret now.</strong> It is shown only this once: invitekit keeps only a hash of it,
          so no one can show it to you again. If it is lost, create another key and revoke this one.
        </p>
      </div>
      <dl class="facts secret-facts">
        <dt>Key id (api_key_id)</dt>
        <dd>
          <code class="secret">{key.api_key_id}</code>
        </dd>
        <dt>Secret (api_key_secret)</dt>
        <dd>
          <code class="secret" id="api-key-secret">
            {key.api_key_secret}
          </code>
        </dd>
        <dt>Client id</dt>
        <dd>
          <code class="secret">{key.client_id}</code>
        </dd>
      </dl>
      <p>Use them as HTTP Basic credentials:</p>
      <pre class="secret-example">
        <code>{`curl -u ${key.api_key_id}:${key.api_key_secret} ${publicUrl}/v2/invites`}</code>
      </pre>
      <p>
        <a class="btn" href="/console/keys">
          I have copied it
        </a>
      </p>
    </Page>
  );
}
