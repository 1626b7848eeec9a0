import type {
  ConsoleInvite,
  ConsoleInvitePage,
  ConsoleListQuery,
  TabCount,
} from '../../invites/invites-console.service.ts';
import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

interface Choice {
  id: string;
  name: string;
}

interface InvitesProps {
  shell: Shell;
  page: ConsoleInvitePage;
  tabs: TabCount[];
  query: ConsoleListQuery;
  choices: { members: Choice[]; groups: Choice[]; flows: Choice[] };
  /** False for roles that see invites without recipients' personal data. */
  personalData: boolean;
}

export const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

const TAB_LABELS: Record<string, string> = {
  all: 'All',
  sent: 'Sent',
  initiated: 'Initiated',
  attempted: 'Attempted',
  completed: 'Completed',
  revoked: 'Revoked',
};

/** The list's URL with `changes` applied to the query; a page cursor never survives a change. */
export function listUrl(base: string, query: ConsoleListQuery, changes: Partial<ConsoleListQuery>): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | undefined> = {
    ...query,
    after: undefined,
    before: undefined,
    ...changes,
  };
  for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}

const countText = (t: TabCount) =>
  t.capped ? `${t.count.toLocaleString('en-US')}+` : t.count.toLocaleString('en-US');

/** The invites the member may see: tabs by status, filters, search, pages, export. */
export function InvitesPage({ shell, page, tabs, query, choices, personalData }: InvitesProps) {
  const base = '/console/invites';
  const current = query.status ?? '';
  // Shut unless one of them narrows the list: on a phone the list starts on the first screen.
  const narrowed = [query.flow, query.sender, query.group, query.from, query.to].filter(Boolean).length;
  return (
    <Page shell={shell} title="Invites">
      <h1>Invites</h1>
      <nav aria-label="Invite status" class="tabs">
        <ul>
          {tabs.map((t) => {
            const key = t.status ?? '';
            return (
              <li key={key || 'all'}>
                <a
                  href={listUrl(base, query, { status: key || undefined })}
                  aria-current={key === current ? 'page' : undefined}
                >
                  {TAB_LABELS[key || 'all']} <span class="count">{countText(t)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <form method="get" action={base} class="filters" aria-label="Filter invites">
        {current && <input type="hidden" name="status" value={current} />}
        <div class="field">
          <label for="filter-q">Search</label>
          <input
            id="filter-q"
            name="q"
            type="search"
            value={query.q ?? ''}
            aria-describedby="filter-q-hint"
          />
          <p class="hint" id="filter-q-hint">
            {personalData
              ? 'The start of a name, email, phone number or external id, or an invite id.'
              : 'The start of an external id, or an invite id.'}
          </p>
        </div>
        <details class="more-filters" open={narrowed > 0}>
          <summary>More filters{narrowed > 0 && <span class="count"> ({narrowed} on)</span>}</summary>
          <div class="more-grid">
            <Select id="flow" label="Template" value={query.flow} choices={choices.flows} />
            <Select id="sender" label="Sender" value={query.sender} choices={choices.members} />
            <Select id="group" label="Group" value={query.group} choices={choices.groups} />
            <div class="field">
              <label for="filter-from">Sent from</label>
              <input id="filter-from" name="from" type="date" value={query.from ?? ''} />
            </div>
            <div class="field">
              <label for="filter-to">Sent until</label>
              <input id="filter-to" name="to" type="date" value={query.to ?? ''} />
            </div>
          </div>
        </details>
        <div class="filter-actions">
          <button type="submit" class="btn">
            Filter
          </button>
          <a href={listUrl(`${base}/export.csv`, query, {})} class="btn secondary" download>
            Export CSV
          </a>
        </div>
      </form>
      {page.invites.length === 0 ? (
        <p class="empty">No invites match.</p>
      ) : (
        <table class="list invites">
          <caption>Invites, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Recipient</th>
              <th scope="col">Status</th>
              <th scope="col">Channels</th>
              <th scope="col">Sender</th>
              <th scope="col">Sent</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {page.invites.map((invite) => (
              <Row key={invite.id} invite={invite} personalData={personalData} />
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" class="pager">
        {page.before && (
          <a href={listUrl(base, query, { before: page.before })} rel="prev">
            Newer
          </a>
        )}
        {page.after && (
          <a href={listUrl(base, query, { after: page.after })} rel="next">
            Older
          </a>
        )}
      </nav>
    </Page>
  );
}

function Select({
  id,
  label,
  value,
  choices,
}: {
  id: string;
  label: string;
  value: string | undefined;
  choices: Choice[];
}) {
  return (
    <div class="field">
      <label for={`filter-${id}`}>{label}</label>
      <select id={`filter-${id}`} name={id}>
        <option value="">Any</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id} selected={c.id === value}>
            {c.name || c.id}
          </option>
        ))}
      </select>
    </div>
  );
}

function Row({ invite, personalData }: { invite: ConsoleInvite; personalData: boolean }) {
  const address = personalData ? (invite.email ?? invite.phoneNumber ?? '') : '';
  return (
    <tr>
      <td data-label="Recipient">
        <a href={`/console/invites/${invite.id}`}>
          <strong>{invite.name || address || invite.externalId || invite.id}</strong>
        </a>
        {invite.name && address && (
          <>
            <br />
            <span class="muted">{address}</span>
          </>
        )}
      </td>
      <td data-label="Status">
        <span class={`status status-${invite.status}`}>{invite.status}</span>
      </td>
      <td data-label="Channels">
        {invite.channels.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          <ul class="channels">
            {invite.channels.map((c) => (
              <li key={c.method}>
                {c.method === 'sms' ? 'SMS' : 'Email'}: {c.status}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label="Sender">{invite.sender ?? <span class="muted">API</span>}</td>
      <td data-label="Sent">
        <time dateTime={invite.invitedAt}>{when(invite.invitedAt)}</time>
      </td>
      <td data-label="Updated">
        <time dateTime={invite.updatedAt}>{when(invite.updatedAt)}</time>
      </td>
    </tr>
  );
}
