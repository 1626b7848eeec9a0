import type { InviteObject } from '../../invites/invites.schema.ts';
import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

interface InvitesProps {
  shell: Shell;
  invites: InviteObject[];
  /** False for roles that see invites without recipients' personal data. */
  personalData: boolean;
  /** True when the member sees only some of the client's invites. */
  restricted: boolean;
}

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/** The newest invites the member may see. */
export function InvitesPage({ shell, invites, personalData, restricted }: InvitesProps) {
  return (
    <Page shell={shell} title="Invites">
      <h1>Invites</h1>
      {restricted && <p class="muted">Showing the invites you were copied on.</p>}
      {invites.length === 0 ? (
        <p class="empty">No invites yet.</p>
      ) : (
        <table class="list">
          <caption>The {invites.length} newest invites, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Recipient</th>
              <th scope="col">Status</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {invites.map((invite) => (
              <tr key={invite.id}>
                <td data-label="Recipient">
                  {personalData ? (
                    <Recipient invite={invite} />
                  ) : (
                    <span class="muted">Hidden for your role</span>
                  )}
                </td>
                <td data-label="Status">
                  <span class={`status status-${invite.status}`}>{invite.status}</span>
                </td>
                <td data-label="Sent">
                  <time dateTime={invite.invited_at}>{when(invite.invited_at)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

function Recipient({ invite }: { invite: InviteObject }) {
  const name = `${invite.first_name} ${invite.last_name}`.trim();
  const address = invite.email ?? invite.phone_number ?? '';
  return (
    <>
      <strong>{name || address}</strong>
      {name && address && (
        <>
          <br />
          <span class="muted">{address}</span>
        </>
      )}
    </>
  );
}
