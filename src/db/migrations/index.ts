import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_delivery_queue.ts';
import * as m0003 from './0003_link.ts';
import * as m0004 from './0004_webhooks.ts';
import * as m0006 from './0006_hardening.ts';
import * as m0007 from './0007_job_lanes.ts';
import * as m0008 from './0008_idempotency_recovery.ts';
import * as m0009 from './0009_documents_by_user.ts';
import * as m0010 from './0010_flows.ts';
import * as m0011 from './0011_invite_expiry.ts';
import * as m0012 from './0012_reminders.ts';
import * as m0013 from './0013_shareable.ts';
import * as m0014 from './0014_sandbox_clocks.ts';
import * as m0015 from './0015_invite_documents.ts';
import * as m0016 from './0016_members.ts';
import * as m0017 from './0017_invite_sender.ts';
import * as m0018 from './0018_console_invites.ts';
import * as m0019 from './0019_retention_indexes.ts';

/** Every migration, in order. New ones are appended, never edited once released. */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_delivery_queue': m0002,
  '0003_link': m0003,
  '0004_webhooks': m0004,
  '0006_hardening': m0006,
  '0007_job_lanes': m0007,
  '0008_idempotency_recovery': m0008,
  '0009_documents_by_user': m0009,
  '0010_flows': m0010,
  '0011_invite_expiry': m0011,
  '0012_reminders': m0012,
  '0013_shareable': m0013,
  '0014_sandbox_clocks': m0014,
  '0015_invite_documents': m0015,
  '0016_members': m0016,
  '0017_invite_sender': m0017,
  '0018_console_invites': m0018,
  '0019_retention_indexes': m0019,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
