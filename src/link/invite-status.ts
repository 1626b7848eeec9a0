import type { Db } from '../db/client.ts';
import type { InvitesTable } from '../db/tables.ts';

/** The recipient's progress, in order. `revoked` stands outside it: nothing moves an invite out of it. */
export const PROGRESS = ['sent', 'initiated', 'attempted', 'completed'] as const;
export type Progress = (typeof PROGRESS)[number];
export type ForwardStatus = Exclude<Progress, 'sent'>;

/** The statuses an invite may move to `to` from: every earlier step, never `revoked` or a later one. */
export function movableFrom(to: ForwardStatus): Progress[] {
  return PROGRESS.slice(0, PROGRESS.indexOf(to));
}

/**
 * Moves the invite forward to `to` in one conditional UPDATE, so two concurrent requests
 * cannot both move it (and double-count). Returns the updated row, or undefined when the
 * invite was already there or beyond, or revoked.
 */
export async function advanceInvite(
  db: Db,
  invite: Pick<InvitesTable, 'client_id' | 'id'>,
  to: ForwardStatus,
  at: string,
): Promise<InvitesTable | undefined> {
  return db
    .updateTable('invites')
    .set({ status: to, updated_at: at })
    .where('client_id', '=', invite.client_id)
    .where('id', '=', invite.id)
    .where('status', 'in', movableFrom(to))
    .returningAll()
    .executeTakeFirst();
}
