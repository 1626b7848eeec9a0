import type { InvitesTable, UsersTable } from '../db/tables.ts';
import { publishEvent } from '../events/recorder.ts';
import { queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import { insertUser } from '../users/users.repo.ts';
import { userPayload } from '../users/users.service.ts';
import { insertInvite } from './invites.repo.ts';

const DAY_MS = 24 * 3600 * 1000;

/** When an invite sent (or re-sent) at `at` expires, if the settings have expiry on. */
export function expiryOf(
  settings: { expiry: { enabled: boolean; after_days: number } },
  at: string,
): string | null {
  if (!settings.expiry.enabled) return null;
  return new Date(Date.parse(at) + settings.expiry.after_days * DAY_MS).toISOString();
}

/** Queues the job that expires the invite at `at` (a later re-send queues another). */
export function queueExpiry(trx: JobTx, invite: Pick<InvitesTable, 'client_id' | 'id'>, at: string) {
  const job = { client_id: invite.client_id, invite_id: invite.id, delivery_id: null, payload: {} };
  return queueJob(trx, 'invite.expire', job, at);
}

/**
 * Writes a new invite and the user it makes, inside the caller's transaction, as every way of
 * making one does (a send, a Shareable URL visit): the user and its `user.created` event, the
 * invite with its reply_to rows, and its expiry when it has one.
 */
export async function insertNewInvite(
  trx: JobTx,
  row: InvitesTable,
  user: Pick<UsersTable, 'first_name' | 'last_name' | 'email' | 'phone_number'>,
  replyTo: string[],
): Promise<void> {
  const at = row.created_at;
  await insertUser(trx, {
    client_id: row.client_id,
    id: row.user_id,
    external_id: row.external_id,
    ...user,
    created_at: at,
    updated_at: at,
  });
  await publishEvent(
    trx,
    {
      client_id: row.client_id,
      type: 'user.created',
      data: { user: row.user_id, invite: row.id },
      created_at: at,
    },
    userPayload(trx, row.client_id, row.user_id),
  );
  const replyRows = replyTo.map((email) => ({
    client_id: row.client_id,
    email: email.toLowerCase(),
    created_at: at,
    invite_id: row.id,
  }));
  await insertInvite(trx, row, replyRows);
  if (row.expires_at) await queueExpiry(trx, row, row.expires_at);
}
