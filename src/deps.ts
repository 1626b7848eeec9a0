import { randomBytes } from 'node:crypto';
import { type Logger, pino } from 'pino';
import { AuthCache, ensureKey } from './auth/keys.service.ts';
import type { Config } from './config.ts';
import { type Db, migrate, openDb } from './db/client.ts';
import { getOrCreateSetting } from './db/settings.repo.ts';
import { type Clock, systemClock } from './lib/clock.ts';

export interface Deps {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  authCache: AuthCache;
  /** HS256 key of user tokens: USER_TOKEN_SECRET, or one generated once and kept in the database. */
  userTokenKey: Uint8Array;
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
  });
}

/** Opens the database, applies migrations and prepares what every process shares. */
export async function createDeps(
  config: Config,
  overrides: Partial<Pick<Deps, 'clock' | 'log'>> = {},
): Promise<Deps> {
  const db = openDb(config.DATABASE_URL);
  await migrate(db);
  const secret =
    config.USER_TOKEN_SECRET ??
    (await getOrCreateSetting(db, 'user_token_secret', () => randomBytes(32).toString('base64url')));
  const deps: Deps = {
    config,
    db,
    log: overrides.log ?? createLogger(config),
    clock: overrides.clock ?? systemClock,
    authCache: new AuthCache(config.AUTH_CACHE_TTL_SECONDS * 1000),
    userTokenKey: new TextEncoder().encode(secret),
  };
  if (config.INVITEKIT_API_KEY_ID && config.INVITEKIT_API_KEY_SECRET) {
    await ensureKey(deps, config.INVITEKIT_API_KEY_ID, config.INVITEKIT_API_KEY_SECRET);
  }
  return deps;
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.db.destroy();
}
