import { anyDeliveryOpened } from '../invites/deliveries.repo.ts';
import { queueDeliveries } from '../invites/deliveries.service.ts';
import { recordInviteEvent } from '../invites/invite-events.service.ts';
import { queueReminder } from '../invites/invite-reminders.ts';
import { isClosed } from '../invites/invite-status.ts';
import { findInvite, markReminded } from '../invites/invites.repo.ts';
import { nextInWindow } from '../lib/send-window.ts';
import type { JobHandler } from '../queue/jobs.ts';
import { transactAndWake } from '../queue/transact.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import { findSuppression } from './suppressions.repo.ts';

/**
 * Sends a reminder: new deliveries (kind `reminder`) over the invite's channels that are not
 * suppressed, an `invite.reminded` event (webhook `invites.reminded`), and the next reminder
 * queued while the settings allow more. It stands down when reminders were turned off, the
 * invite was re-sent (its own count runs), moved on from `sent`, was revoked or expired, or
 * a message of it was opened, and when every channel is suppressed. The settings are read
 * as they are now, so a change applies to reminders already queued.
 */
export const remindInviteJob: JobHandler<'invite.remind'> = {
  async run(deps, job) {
    const { sentAt, n } = job.payload;
    const invite = job.invite_id ? await findInvite(deps.db, job.client_id, job.invite_id) : undefined;
    if (!invite) return { kind: 'failed', error: 'invite no longer exists' };
    const settings = await loadInviteSettings(deps.db, job.client_id);
    const now = deps.clock.now();
    const stop = (reason: string) => ({ kind: 'cancelled' as const, reason });
    if (!settings.reminders.enabled) return stop('reminders are off');
    if (n > settings.reminders.max_count) return stop('no more reminders allowed');
    if (invite.invited_at !== sentAt) return stop('the invite was sent again since');
    if (invite.status !== 'sent') return stop(`the invite is ${invite.status}`);
    if (isClosed(invite, now)) return stop('the invite has expired');
    if (invite.reminder_count >= n) return stop('already sent');
    if (await anyDeliveryOpened(deps.db, job.client_id, invite.id)) return stop('the invite was opened');

    const opening = nextInWindow(now, settings.reminders.send_window);
    if (opening > now) return { kind: 'defer', until: opening, reason: 'outside the send window' };

    const open = async (channel: 'email' | 'sms', address: string | null) =>
      address && !(await findSuppression(deps.db, job.client_id, channel, address)) ? address : null;
    const contacts = {
      client_id: invite.client_id,
      id: invite.id,
      email: await open('email', invite.email),
      phone_e164: await open('sms', invite.phone_e164),
    };
    if (!contacts.email && !contacts.phone_e164) return stop('every channel is suppressed');

    const at = now.toISOString();
    const sent = await transactAndWake(deps, async (trx) => {
      if (!(await markReminded(trx, job.client_id, invite.id, sentAt, n, at))) return false;
      const queued = await queueDeliveries(trx, contacts, at, 'reminder');
      await recordInviteEvent(trx, deps.config, {
        client_id: job.client_id,
        invite_id: invite.id,
        type: 'invite.reminded',
        data: { reminder: n, deliveries: queued.map((d) => d.id) },
        created_at: at,
      });
      await queueReminder(trx, invite, settings, sentAt, n + 1, now);
      return true;
    });
    return sent ? { kind: 'done', response: `reminder ${n} queued` } : stop('already sent');
  },
};
