import type { InvitesTable, JobsTable } from '../db/tables.ts';
import { nextInWindow } from '../lib/send-window.ts';
import { jobRow, queueJobs } from '../queue/queue.repo.ts';
import type { JobTx } from '../queue/transact.ts';
import type { InviteSettings } from '../settings/invite-settings.service.ts';

const DAY_MS = 24 * 3600 * 1000;

/** When a reminder falls due `after_days` after `after`, moved into the send window. */
export function reminderTime(settings: Pick<InviteSettings, 'reminders'>, after: Date): Date {
  const due = new Date(after.getTime() + settings.reminders.after_days * DAY_MS);
  return nextInWindow(due, settings.reminders.send_window);
}

/**
 * The job of reminder number `n` of the invite as sent at `sentAt`, due `after_days` after
 * `after` (the send, or the reminder before it); none when the settings have reminders off
 * or allow fewer.
 */
export function reminderJob(
  invite: Pick<InvitesTable, 'client_id' | 'id'>,
  settings: Pick<InviteSettings, 'reminders'>,
  sentAt: string,
  n: number,
  after: Date,
): JobsTable | undefined {
  if (!settings.reminders.enabled || n > settings.reminders.max_count) return undefined;
  const job = {
    client_id: invite.client_id,
    invite_id: invite.id,
    delivery_id: null,
    payload: { sentAt, n },
  };
  return jobRow('invite.remind', job, reminderTime(settings, after).toISOString());
}

/** Queues reminder number `n` (see `reminderJob`), if there is one. */
export async function queueReminder(
  trx: JobTx,
  invite: Pick<InvitesTable, 'client_id' | 'id'>,
  settings: Pick<InviteSettings, 'reminders'>,
  sentAt: string,
  n: number,
  after: Date,
): Promise<void> {
  const job = reminderJob(invite, settings, sentAt, n, after);
  if (job) await queueJobs(trx, [job]);
}
