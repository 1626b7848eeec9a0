import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { EmailChannel, SmsChannel } from './channels/channel.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { ShiftedClock } from './lib/client-time.ts';

/** What every service is handed; built once per process by bootstrap.ts. */
export interface Deps {
  config: Config;
  db: Db;
  log: Logger;
  /** Now, in the current client's time (sandbox test clocks); `real()` is the server's. */
  clock: ShiftedClock;
  /** HS256 key of user tokens: USER_TOKEN_SECRET, or one generated once and kept in the database. */
  userTokenKey: Uint8Array;
  channels: { email: EmailChannel; sms: SmsChannel };
  /** Spacing between SMS sends of one sender (from SMS_RATE_PER_SECOND). */
  smsIntervalMs: number;
  /** Tells an in-process worker that jobs were committed, so it need not wait for its next poll. */
  queueSignal: EventEmitter;
}
