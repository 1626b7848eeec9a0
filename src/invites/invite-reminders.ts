import type { InvitesTable } from '../db/tables.ts';
import { nextInWindow } from '../lib/send-window.ts';
import { queueJob } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import type { InviteSettings } from '../settings/invite-settings.service.ts';

const DAY_MS = 24 * 3600 * 1000;

/** When a reminder falls due `after_days` after `after`, moved into the send window. */
export function reminderTime(settings: Pick<InviteSettings, 'reminders'>, after: Date): Date {
  const due = new Date(after.getTime() + settings.reminders.after_days * DAY_MS);
  return nextInWindow(due, settings.reminders.send_window);
}

/**
 * Queues reminder number `n` of the invite as sent at `sentAt`, due `after_days` after
 * `after` (the send, or the reminder before it), when the settings have reminders on and
 * allow that many.
 */
export async function queueReminder(
  trx: JobTx,
  invite: Pick<InvitesTable, 'client_id' | 'id'>,
  settings: Pick<InviteSettings, 'reminders'>,
  sentAt: string,
  n: number,
  after: Date,
): Promise<void> {
  if (!settings.reminders.enabled || n > settings.reminders.max_count) return;
  const job = {
    client_id: invite.client_id,
    invite_id: invite.id,
    delivery_id: null,
    payload: { sentAt, n },
  };
  await queueJob(trx, 'invite.remind', job, reminderTime(settings, after).toISOString());
}
