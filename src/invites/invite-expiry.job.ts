import type { JobHandler } from '../queue/jobs.ts';
import { transactAndWake } from '../queue/transact.ts';
import { recordInviteEvent } from './invite-events.service.ts';
import { markExpired } from './invites.repo.ts';

/**
 * Expires an invite whose time has come: its URL then shows the expired page and Link
 * refuses it, and an `invite.expired` event (webhook `invites.expired`) says when. An invite
 * completed, revoked or re-sent since (which moved its time) is left as it is.
 */
export const expireInviteJob: JobHandler<'invite.expire'> = {
  async run(deps, job) {
    const inviteId = job.invite_id;
    if (!inviteId) return { kind: 'failed', error: 'job names no invite' };
    const at = deps.clock.now().toISOString();
    const expired = await transactAndWake(deps, async (trx) => {
      if (!(await markExpired(trx, job.client_id, inviteId, at))) return false;
      await recordInviteEvent(trx, deps.config, {
        client_id: job.client_id,
        invite_id: inviteId,
        type: 'invite.expired',
        created_at: at,
      });
      return true;
    });
    return { kind: 'done', response: expired ? 'expired' : 'nothing to expire' };
  },
};
