import type { WebhookObject } from '../../webhooks/webhooks.schema.ts';
import type { Shell } from '../shell.ts';
import { Stamp } from './keys.tsx';
import { Page } from './layout.tsx';

/** A subscription's state in a word, with when it began. */
export function HookStatus({ hook }: { hook: WebhookObject }) {
  if (hook.disabled_at) {
    return (
      <>
        <span class="status status-revoked">Disabled</span> <Stamp at={hook.disabled_at} />
      </>
    );
  }
  if (hook.failing_since) {
    return (
      <>
        <span class="status status-failing">Failing</span> since <Stamp at={hook.failing_since} />
      </>
    );
  }
  return <span class="status status-completed">Active</span>;
}

export const eventsText = (events: string[]) =>
  events.map((e) => (e === '*' ? 'All events (*)' : e)).join(', ');

/** The client's webhook subscriptions. */
export function WebhooksPage({ shell, hooks, max }: { shell: Shell; hooks: WebhookObject[]; max: number }) {
  return (
    <Page shell={shell} title="Webhooks">
      <div class="page-head">
        <h1>Webhooks</h1>
        {hooks.length < max && (
          <a class="btn" href="/console/webhooks/new">
            New subscription
          </a>
        )}
      </div>
      <p>
        Events are POSTed to each subscription's URL, signed with its secret. Open one to see its deliveries,
        retry them or send a test event.
        {hooks.length >= max && ` A client can have at most ${max} subscriptions; delete one to add another.`}
      </p>
      {hooks.length === 0 ? (
        <p class="empty">No webhook subscriptions yet.</p>
      ) : (
        <table class="list webhooks">
          <caption>Subscriptions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {hooks.map((hook) => (
              <tr key={hook.id}>
                <td data-label="Name">
                  <a href={`/console/webhooks/${hook.id}`}>{hook.name}</a>
                </td>
                <td data-label="URL">
                  <code>{hook.url}</code>
                </td>
                <td data-label="Events">{eventsText(hook.events)}</td>
                <td data-label="Status">
                  <HookStatus hook={hook} />
                </td>
                <td data-label="Created">
                  <Stamp at={hook.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
