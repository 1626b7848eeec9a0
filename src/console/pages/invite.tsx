import { Fragment } from 'preact';
import type { MemberInviteDetail } from '../../invites/invites-console.service.ts';
import type { Shell } from '../shell.ts';
import { CopyButton, CopyScript } from './copy-button.tsx';
import { Form } from './form.tsx';
import { when } from './invites.tsx';
import { Page } from './layout.tsx';

interface InviteProps {
  shell: Shell;
  detail: MemberInviteDetail;
  /** The recipient's link, for members who may act on the invite; null for the others. */
  link: string | null;
  canAct: boolean;
}

/** One invite: its facts, actions, timeline, deliveries, and what the recipient gave. */
export function InvitePage({ shell, detail, link, canAct }: InviteProps) {
  const { invite } = detail;
  const base = `/console/invites/${invite.id}`;
  const title = invite.name || invite.email || invite.phoneNumber || invite.id;
  return (
    <Page shell={shell} title={`Invite ${invite.id}`}>
      <p>
        <a href="/console/invites">Back to invites</a>
      </p>
      <h1>{title}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class={`status status-${invite.status}`}>{invite.status}</span>
          {invite.expired && ' (expired)'}
        </dd>
        <dt>Invite id</dt>
        <dd>
          <code>{invite.id}</code>
        </dd>
        <dt>Email</dt>
        <dd>{invite.email ?? '—'}</dd>
        <dt>Phone number</dt>
        <dd>{invite.phoneNumber ?? '—'}</dd>
        <dt>External id</dt>
        <dd>{invite.externalId ?? '—'}</dd>
        <dt>Sender</dt>
        <dd>{invite.sender ?? 'API'}</dd>
        <dt>Sent</dt>
        <dd>
          <time dateTime={invite.invitedAt}>{when(invite.invitedAt)}</time>
        </dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={invite.updatedAt}>{when(invite.updatedAt)}</time>
        </dd>
        {invite.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>
              <time dateTime={invite.expiresAt}>{when(invite.expiresAt)}</time>
            </dd>
          </>
        )}
      </dl>
      {canAct && (
        <section aria-labelledby="actions-heading" class="invite-actions">
          <h2 id="actions-heading">Actions</h2>
          {link && (
            <div class="field copy-link">
              <label for="invite-link">Recipient’s link</label>
              <input id="invite-link" type="text" readOnly value={link} aria-describedby="invite-link-hint" />
              <CopyButton target="invite-link" label="Copy link" />
              <p class="hint" id="invite-link-hint">
                The recipient's link: select it and copy.
              </p>
              <CopyScript />
            </div>
          )}
          <div class="action-buttons">
            {invite.status !== 'revoked' && (
              <Form action={`${base}/resend`} csrf={shell.csrf}>
                <button type="submit" class="btn">
                  Re-send
                </button>
              </Form>
            )}
            {invite.status !== 'revoked' && invite.status !== 'completed' && (
              <Form action={`${base}/revoke`} csrf={shell.csrf}>
                <button type="submit" class="btn danger">
                  Revoke
                </button>
              </Form>
            )}
          </div>
        </section>
      )}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        {detail.timeline.length === 0 ? (
          <p class="empty">Nothing has happened yet.</p>
        ) : (
          <ol class="timeline">
            {detail.timeline.map((e, i) => (
              // Two entries may share a moment and a name; the list never reorders, so its order is the key.
              <li key={i}>
                <time dateTime={e.at}>{when(e.at)}</time> <strong>{e.what}</strong>
                {e.by && <span class="by"> by {e.by}</span>}
                {e.details.length > 0 && (
                  <ul class="details">
                    {e.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        {detail.deliveries.length === 0 ? (
          <p class="empty">No messages were sent.</p>
        ) : (
          <table class="list">
            <caption class="visually-hidden">Every message sent for this invite</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">What</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {detail.deliveries.map((d) => (
                <tr key={d.id}>
                  <td data-label="Channel">{d.method === 'sms' ? 'SMS' : 'Email'}</td>
                  <td data-label="What">{d.kind}</td>
                  <td data-label="To">{d.recipient}</td>
                  <td data-label="Status">
                    {d.status}
                    {d.detail && <span class="muted"> ({d.detail})</span>}
                    {d.lastError && <span class="muted"> {d.lastError}</span>}
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Updated">
                    <time dateTime={d.updatedAt}>{when(d.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {detail.personalData && (
        <>
          <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">Documents</h2>
            {detail.documents.length === 0 ? (
              <p class="empty">No documents.</p>
            ) : (
              <ul class="documents">
                {detail.documents.map((d) => (
                  <li key={d.id}>
                    <a href={`${base}/documents/${d.id}`} download>
                      {d.file_name}
                    </a>{' '}
                    <span class="muted">
                      {d.content_type}, {d.size.toLocaleString('en-US')} bytes
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="answers-heading">
            <h2 id="answers-heading">Answers</h2>
            {detail.responses.length === 0 ? (
              <p class="empty">No answers.</p>
            ) : (
              detail.responses.map((r) => (
                <dl class="facts" key={r.id}>
                  {Object.entries(r.answers).map(([q, a]) => (
                    <Fragment key={q}>
                      <dt>{q}</dt>
                      <dd>{a}</dd>
                    </Fragment>
                  ))}
                </dl>
              ))
            )}
          </section>
        </>
      )}
    </Page>
  );
}
