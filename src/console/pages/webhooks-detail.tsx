import type { WebhookDelivery, WebhookObject } from '../../webhooks/webhooks.schema.ts';
import type { DeliveryAttempt } from '../../webhooks/webhooks.service.ts';
import type { Shell } from '../shell.ts';
import { Form } from './form.tsx';
import { Stamp } from './keys.tsx';
import { Page } from './layout.tsx';
import { eventsText, HookStatus } from './webhooks.tsx';

interface WebhookProps {
  shell: Shell;
  hook: WebhookObject;
  deliveries: WebhookDelivery[];
  attempts: Map<string, DeliveryAttempt[]>;
  /** Console URLs of the log's other pages. */
  pages: { next: string | null; previous: string | null };
}

const STATUS_CLASS: Record<WebhookDelivery['status'], string> = {
  pending: 'status-sent',
  retrying: 'status-failing',
  succeeded: 'status-completed',
  failed: 'status-revoked',
};

const OUTCOMES: Record<string, string> = {
  sent: 'Delivered',
  retry: 'Failed, retried',
  failed: 'Failed',
  cancelled: 'Not sent',
};

/** Below this length even the last characters would give away too much of a secret. */
const HINT_MIN_LENGTH = 16;

/** What the page says of the secret without showing it: its last 4 characters, if it is long enough. */
function secretHint(secret: string): string {
  return secret.length >= HINT_MIN_LENGTH ? `It ends in …${secret.slice(-4)}.` : 'It is hidden.';
}

/** The start of the receiver's answer: enough to recognise it, never a whole page. */
const EXCERPT = 300;
const excerpt = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text);

function AttemptList({ attempts }: { attempts: DeliveryAttempt[] }) {
  if (attempts.length === 0) return <p class="muted">No attempt yet.</p>;
  return (
    <ol class="attempts">
      {attempts.map((a) => (
        <li key={a.at}>
          <Stamp at={a.at} seconds /> · {OUTCOMES[a.outcome] ?? a.outcome}
          {a.response_status !== null && ` · HTTP ${a.response_status}`}
          {a.error && a.error !== `HTTP ${a.response_status}` && (
            <span class="attempt-error"> · {a.error}</span>
          )}
        </li>
      ))}
    </ol>
  );
}

function DeliveryRow({
  shell,
  hook,
  delivery,
  attempts,
}: {
  shell: Shell;
  hook: WebhookObject;
  delivery: WebhookDelivery;
  attempts: DeliveryAttempt[];
}) {
  const retryable = delivery.status === 'failed' || delivery.status === 'retrying';
  return (
    <tr>
      <td data-label="Event">
        <code>{delivery.event}</code>
        <br />
        <Stamp at={delivery.created_at} />
      </td>
      <td data-label="Status">
        <span class={`status ${STATUS_CLASS[delivery.status]}`}>{delivery.status}</span>
        {delivery.next_attempt_at && (
          <span class="muted">
            {' '}
            next try <Stamp at={delivery.next_attempt_at} seconds />
          </span>
        )}
      </td>
      <td data-label="Attempts" class="delivery-attempts">
        <details>
          <summary>
            {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
          </summary>
          <AttemptList attempts={attempts} />
        </details>
      </td>
      <td data-label="Last answer" class="delivery-answer">
        {delivery.response_status !== null && <strong>HTTP {delivery.response_status}</strong>}
        {delivery.response_body && <pre class="answer">{excerpt(delivery.response_body)}</pre>}
        {delivery.error && delivery.error !== `HTTP ${delivery.response_status}` && (
          <p class="attempt-error">{delivery.error}</p>
        )}
        {delivery.response_status === null && !delivery.error && '—'}
      </td>
      <td data-label="Actions">
        {retryable && (
          <Form action={`/console/webhooks/${hook.id}/deliveries/${delivery.id}/retry`} csrf={shell.csrf}>
            <button type="submit" class="btn secondary small">
              Retry<span class="visually-hidden"> the {delivery.event} delivery</span>
            </button>
          </Form>
        )}
      </td>
    </tr>
  );
}

/** One subscription: its settings, its signing secret (hidden until asked for), a test event, and the delivery log. */
export function WebhookPage({ shell, hook, deliveries, attempts, pages }: WebhookProps) {
  return (
    <Page shell={shell} title={`Webhook ${hook.name}`}>
      <p class="back">
        <a href="/console/webhooks">All subscriptions</a>
      </p>
      <h1 class="hook-text">{hook.name}</h1>
      <dl class="facts hook-facts">
        <dt>URL</dt>
        <dd class="hook-text">
          <code>{hook.url}</code>
        </dd>
        <dt>Events</dt>
        <dd class="hook-text">{eventsText(hook.events)}</dd>
        <dt>Status</dt>
        <dd>
          <HookStatus hook={hook} />
          {hook.disabled_reason && <p class="hook-text">{hook.disabled_reason}</p>}
        </dd>
        <dt>Created</dt>
        <dd>
          <Stamp at={hook.created_at} />
        </dd>
        <dt>Last sent</dt>
        <dd>{hook.last_sent_at ? <Stamp at={hook.last_sent_at} /> : 'Never'}</dd>
        <dt>Id</dt>
        <dd>
          <code>{hook.id}</code>
        </dd>
      </dl>
      <section class="hook-secret" aria-labelledby="secret-heading">
        <h2 id="secret-heading">Signing secret</h2>
        <p class="hook-secret-text">
          Receivers check each body's X-Argyle-Signature (hex HMAC-SHA512) with it.{' '}
          <span class="secret-hint">{secretHint(hook.secret)}</span>
        </p>
        <Form action={`/console/webhooks/${hook.id}/secret`} csrf={shell.csrf}>
          <button type="submit" class="btn secondary">
            Reveal signing secret
          </button>
        </Form>
      </section>
      <div class="hook-actions">
        <Form action={`/console/webhooks/${hook.id}/test`} csrf={shell.csrf}>
          <button type="submit" class="btn">
            Send test event
          </button>
        </Form>
        <a class="btn danger" href={`/console/webhooks/${hook.id}/delete`}>
          Delete subscription
        </a>
      </div>
      <h2>Deliveries</h2>
      {deliveries.length === 0 ? (
        <p class="empty">No deliveries yet.</p>
      ) : (
        <table class="list deliveries">
          <caption>Deliveries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <DeliveryRow
                key={d.id}
                shell={shell}
                hook={hook}
                delivery={d}
                attempts={attempts.get(d.id) ?? []}
              />
            ))}
          </tbody>
        </table>
      )}
      {(pages.previous || pages.next) && (
        <nav class="pager" aria-label="Deliveries pages">
          {pages.previous && <a href={pages.previous}>Newer deliveries</a>}
          {pages.next && <a href={pages.next}>Older deliveries</a>}
        </nav>
      )}
    </Page>
  );
}
