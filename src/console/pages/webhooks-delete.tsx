import type { WebhookObject } from '../../webhooks/webhooks.schema.ts';
import type { Shell } from '../shell.ts';
import { Form } from './form.tsx';
import { Page } from './layout.tsx';

/** The step before a subscription goes: what deleting it means, and the button that does it. */
export function WebhookDeletePage({ shell, hook }: { shell: Shell; hook: WebhookObject }) {
  return (
    <Page shell={shell} title={`Delete ${hook.name}`}>
      <h1 class="hook-text">Delete “{hook.name}”?</h1>
      <p class="hook-text">
        No more events are sent to <code>{hook.url}</code>. Its delivery log goes with it, and deliveries
        still waiting for a retry are not sent.
      </p>
      <Form action={`/console/webhooks/${hook.id}/delete`} csrf={shell.csrf}>
        <div class="confirm-actions">
          <button type="submit" class="btn danger">
            Delete subscription
          </button>
          <a href={`/console/webhooks/${hook.id}`}>Cancel</a>
        </div>
      </Form>
    </Page>
  );
}
