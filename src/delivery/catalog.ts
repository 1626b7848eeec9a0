import { SEND_WEBHOOK_JOB } from '../webhooks/events.ts';
import { sendWebhookJob } from '../webhooks/send-webhook.job.ts';
import { completedNoticeJob } from './completed-notice.job.ts';
import type { JobKind } from './jobs.ts';
import { sendDeliveryJob } from './send-delivery.job.ts';

/** Every kind of job the worker runs. */
export const JOB_KINDS: Record<string, JobKind> = {
  'delivery.send': sendDeliveryJob,
  'invite.completed_notice': completedNoticeJob,
  [SEND_WEBHOOK_JOB]: sendWebhookJob,
};
