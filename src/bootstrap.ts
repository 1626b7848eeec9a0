// The composition root: opens the database and builds what every process shares.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type DestinationStream, type Logger, pino } from 'pino';
import { ensureKey } from './auth/keys.service.ts';
import { captureEmail, captureSms } from './channels/capture.ts';
import { smtpEmail } from './channels/smtp.ts';
import { twilioSms } from './channels/twilio.ts';
import { type Config, secretsOf } from './config.ts';
import { type Db, isPostgres, migrate, openDb, waitForDatabase } from './db/client.ts';
import { listenForJobs } from './db/pg-jobs-channel.ts';
import { getOrCreateSetting } from './db/settings.repo.ts';
import { signalCommits } from './db/sqlite-commits.ts';
import type { Deps } from './deps.ts';
import { shiftedClock } from './lib/client-time.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { maskValue } from './lib/redact.ts';
import { insertOutboxMessage } from './outbox/outbox.repo.ts';

function createChannels(config: Config, db: Db, clock: Clock): Deps['channels'] {
  // Captured messages go to the outbox table, in the worker's own statement.
  const store = (message: Parameters<typeof insertOutboxMessage>[1]) => insertOutboxMessage(db, message);
  const email = config.SMTP_URL
    ? smtpEmail(config.SMTP_URL, config.EMAIL_FROM, config.SMTP_POOL_SIZE)
    : captureEmail(store, clock, config.EMAIL_FROM);
  const sms =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? twilioSms({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          from: config.TWILIO_FROM ?? null,
          messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID ?? null,
          apiUrl: config.TWILIO_API_URL,
        })
      : captureSms(store, clock);
  return { email, sms };
}

/** Each credential as it may appear in a JSON line: as is, and with JSON's escapes. */
function secretForms(config: Partial<Config>): string[] {
  const forms = secretsOf(config).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  return [...new Set(forms)];
}

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"]+@/gi;

/**
 * JSON logs with ISO 8601 times, on stdout by default. Each line is written before the call
 * returns, so `tail -f` sees it at once and a killed process loses none it logged; the cost
 * on the retrieve benchmark is in README's Operations section. Request lines carry `reqId`.
 * Credentials, cookies and tokens are removed, the values of secret settings and any user
 * and password in a URL are replaced wherever they appear, and any email address or phone
 * number in a logged string is masked.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'> & Partial<Config>,
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  const secrets = secretForms(config);
  return pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.user_token',
          '*.api_key_secret',
          '*.password',
          '*.secret',
        ],
        remove: true,
      },
      serializers: { err: (err: Error) => maskValue(pino.stdSerializers.err(err)) },
      formatters: { log: (obj) => maskValue(obj) as Record<string, unknown> },
      hooks: {
        streamWrite(line) {
          let out = line.includes('://') ? line.replace(URL_CREDENTIALS, '$1***@') : line;
          for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, '[redacted]');
          return out;
        },
      },
    },
    destination,
  );
}

/** Opens the database, applies migrations and prepares what every process shares. */
export async function createDeps(
  config: Config,
  overrides: { clock?: Clock; log?: Deps['log'] } = {},
): Promise<Deps> {
  await waitForDatabase(config.DATABASE_URL, config.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000);
  const db = openDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  await migrate(db);
  const secret =
    config.USER_TOKEN_SECRET ??
    (await getOrCreateSetting(db, 'user_token_secret', () => randomBytes(32).toString('base64url')));
  // Sandbox mode may run a client's clock ahead of the server's (lib/client-time.ts).
  const clock = shiftedClock(overrides.clock ?? systemClock);
  const deps: Deps = {
    config,
    db,
    log: overrides.log ?? createLogger(config),
    clock,
    channels: createChannels(config, db, clock),
    smsIntervalMs: 1000 / config.SMS_RATE_PER_SECOND,
    queueSignal: new EventEmitter(),
    userTokenKey: new TextEncoder().encode(secret),
  };
  // A worker hears of jobs other processes queue at once, as it hears of its own.
  if (isPostgres(db)) listenForJobs(config.DATABASE_URL, deps.queueSignal, 'enqueued');
  else signalCommits(db, deps.queueSignal, 'enqueued');
  if (config.INVITEKIT_API_KEY_ID && config.INVITEKIT_API_KEY_SECRET) {
    const key = await ensureKey(deps, config.INVITEKIT_API_KEY_ID, config.INVITEKIT_API_KEY_SECRET);
    if (key === 'revoked') {
      deps.log.warn(
        { key: config.INVITEKIT_API_KEY_ID },
        'the API key INVITEKIT_API_KEY_ID names was revoked and stays revoked: set a new INVITEKIT_API_KEY_ID for a working key',
      );
    }
  }
  return deps;
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.channels.email.close();
  deps.log.flush();
  await deps.db.destroy();
}
