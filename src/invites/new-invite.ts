import type { DeliveriesTable, InviteReplyToTable, InvitesTable, UsersTable } from '../db/tables.ts';
import { addPublishedEvent, type EventWrites, eventWrites, writeEvents } from '../events/recorder.ts';
import { jobRow, queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import { insertUsers } from '../users/users.repo.ts';
import { userPayload } from '../users/users.service.ts';
import { insertDeliveries } from './deliveries.repo.ts';
import { insertInvites } from './invites.repo.ts';

const DAY_MS = 24 * 3600 * 1000;

/** When an invite sent (or re-sent) at `at` expires, if the settings have expiry on. */
export function expiryOf(
  settings: { expiry: { enabled: boolean; after_days: number } },
  at: string,
): string | null {
  if (!settings.expiry.enabled) return null;
  return new Date(Date.parse(at) + settings.expiry.after_days * DAY_MS).toISOString();
}

const expiryJob = (invite: Pick<InvitesTable, 'client_id' | 'id'>) => ({
  client_id: invite.client_id,
  invite_id: invite.id,
  delivery_id: null,
  payload: {},
});

/** Queues the job that expires the invite at `at` (a later re-send queues another). */
export function queueExpiry(trx: JobTx, invite: Pick<InvitesTable, 'client_id' | 'id'>, at: string) {
  return queueJob(trx, 'invite.expire', expiryJob(invite), at);
}

/**
 * The rows a change that makes invites writes, gathered so that each table takes one
 * statement (or a few, for many rows) however many invites the change makes.
 */
export interface InviteWrites {
  users: UsersTable[];
  invites: InvitesTable[];
  replyTo: InviteReplyToTable[];
  deliveries: DeliveriesTable[];
  /** Events, their webhooks, and every job of the change. */
  events: EventWrites;
}

export async function inviteWrites(trx: JobTx, clientId: string): Promise<InviteWrites> {
  return { users: [], invites: [], replyTo: [], deliveries: [], events: await eventWrites(trx, clientId) };
}

/**
 * Adds a new invite and the user it makes, as every way of making one does (a send, a
 * Shareable URL visit): the user and its `user.created` event, the invite with its reply_to
 * rows, and its expiry when it has one.
 */
export function addNewInvite(
  trx: JobTx,
  w: InviteWrites,
  row: InvitesTable,
  user: Pick<UsersTable, 'first_name' | 'last_name' | 'email' | 'phone_number'>,
  replyTo: string[],
): void {
  const at = row.created_at;
  w.users.push({
    client_id: row.client_id,
    id: row.user_id,
    external_id: row.external_id,
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    phone_number: user.phone_number,
    created_at: at,
    updated_at: at,
  });
  addPublishedEvent(
    w.events,
    {
      client_id: row.client_id,
      type: 'user.created',
      data: { user: row.user_id, invite: row.id },
      created_at: at,
    },
    userPayload(trx, row.client_id, row.user_id),
  );
  w.invites.push(row);
  for (const email of replyTo) {
    w.replyTo.push({
      client_id: row.client_id,
      email: email.toLowerCase(),
      created_at: at,
      invite_id: row.id,
    });
  }
  if (row.expires_at) w.events.jobs.push(jobRow('invite.expire', expiryJob(row), row.expires_at));
}

/** Writes what was gathered, in the caller's transaction; the events last, as their webhooks read the rest. */
export async function writeInviteRows(trx: JobTx, w: InviteWrites): Promise<void> {
  await insertUsers(trx, w.users);
  await insertInvites(trx, w.invites, w.replyTo);
  await insertDeliveries(trx, w.deliveries);
  await writeEvents(trx, w.events);
}

/** Writes one new invite and its user inside the caller's transaction (see `addNewInvite`). */
export async function insertNewInvite(
  trx: JobTx,
  row: InvitesTable,
  user: Pick<UsersTable, 'first_name' | 'last_name' | 'email' | 'phone_number'>,
  replyTo: string[],
): Promise<void> {
  const w = await inviteWrites(trx, row.client_id);
  addNewInvite(trx, w, row, user, replyTo);
  await writeInviteRows(trx, w);
}
