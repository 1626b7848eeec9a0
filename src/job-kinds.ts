import { completedNoticeJob } from './delivery/completed-notice.job.ts';
import { remindInviteJob } from './delivery/remind-invite.job.ts';
import { sendDeliveryJob } from './delivery/send-delivery.job.ts';
import { expireInviteJob } from './invites/invite-expiry.job.ts';
import type { JobCatalog } from './queue/jobs.ts';
import { sendWebhookJob } from './webhooks/send-webhook.job.ts';

/** The worker's handler for each kind declared in queue/jobs.ts. */
export const JOB_KINDS: JobCatalog = {
  'delivery.send': sendDeliveryJob,
  'invite.completed_notice': completedNoticeJob,
  'invite.expire': expireInviteJob,
  'invite.remind': remindInviteJob,
  'webhook.send': sendWebhookJob,
};
