import type { WebhookObject } from '../../webhooks/webhooks.schema.ts';
import type { Shell } from '../shell.ts';
import { CopyButton, CopyScript } from './copy-button.tsx';
import { Page } from './layout.tsx';

/** A subscription's signing secret, shown because the member asked for it; never cached. */
export function WebhookSecretPage({ shell, hook }: { shell: Shell; hook: WebhookObject }) {
  return (
    <Page shell={shell} title={`Signing secret of ${hook.name}`}>
      <p class="back">
        <a href={`/console/webhooks/${hook.id}`}>Back to the subscription</a>
      </p>
      <h1 class="hook-text">Signing secret of “{hook.name}”</h1>
      <p>
        Receivers check each body's X-Argyle-Signature (hex HMAC-SHA512) with it. Keep it where only the
        receiver can read it; it is hidden again on the subscription's page.
      </p>
      <div class="field hook-secret-field">
        <label for="hook-secret">Signing secret</label>
        {/* A text area, so that a long secret wraps on a phone instead of hiding its end. */}
        <textarea
          id="hook-secret"
          readOnly
          rows={2}
          value={hook.secret}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="hook-secret-hint"
        />
        <CopyButton target="hook-secret" label="Copy secret" />
        <p class="hint" id="hook-secret-hint">
          Select it and copy.
        </p>
        <CopyScript />
      </div>
    </Page>
  );
}
