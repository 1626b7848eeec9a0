import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Every setting, its env var and its default. A CLI flag `--public-url` maps to
 * `PUBLIC_URL`; flags win over the environment.
 */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' })),
  DATABASE_URL: Type.String({
    pattern: '^(sqlite:.+|postgres(ql)?://.+)',
    default: 'sqlite:./data/invitekit.db',
    'x-expected': 'sqlite:<file path> or postgres://user:password@host:5432/database',
  }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
  /** How long a starting process waits for a PostgreSQL server that is not up yet. */
  DATABASE_CONNECT_TIMEOUT_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
  INVITEKIT_API_KEY_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  INVITEKIT_API_KEY_SECRET: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  USER_TOKEN_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  AUTH_CACHE_TTL_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  /** Connections the SMTP pool opens at most (a relay may cap them); `maxConnections` in SMTP_URL wins. */
  SMTP_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
  EMAIL_FROM: Type.String({
    pattern: '^([^<>@]*<[^\\s<>@]+@[^\\s<>@]+\\.[^\\s<>@]+>|[^\\s<>@]+@[^\\s<>@]+\\.[^\\s<>@]+)$',
    default: 'invitekit <invites@invitekit.localhost>',
    'x-expected': 'an address, or a name and <address> (e.g. Acme <invites@acme.example>)',
  }),
  TWILIO_ACCOUNT_SID: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_FROM: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_MESSAGING_SERVICE_SID: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_API_URL: Type.String({ pattern: '^https?://', default: 'https://api.twilio.com' }),
  SMS_RATE_PER_SECOND: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 1 }),
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 64 }),
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 8 }),
  WORKER_POLL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
  WORKER_LEASE_SECONDS: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
  SHUTDOWN_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 600, default: 10 }),
  /** Days the worker keeps what only grows (captured messages, attempts, ...); unset keeps it all. */
  RETENTION_DAYS: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 6000 }),
  AUTH_FAILURES_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 30 }),
  TRUST_PROXY: Type.Optional(
    Type.String({
      pattern: '^[0-9A-Za-z.:/]+(\\s*,\\s*[0-9A-Za-z.:/]+)*$',
      'x-expected': 'proxy addresses or CIDR ranges, comma-separated (e.g. 10.0.0.0/8, loopback)',
    }),
  ),
  /** Bearer token `/metrics` asks for (API and worker); unset leaves it open. */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  /** Port of the worker's own /metrics, /healthz and /readyz (on HOST); unset: none. */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  IDEMPOTENCY_LEASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  REQUEST_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
  WEBHOOKS_ALLOW_PRIVATE: Type.Boolean({ default: false, 'x-expected': 'true or false' }),
  WEBHOOK_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 120, default: 10 }),
  SANDBOX: Type.Optional(Type.Boolean({ 'x-expected': 'true or false' })),
});

type RawConfig = Static<typeof ConfigSchema>;
export type Config = Readonly<
  Omit<RawConfig, 'PUBLIC_URL' | 'SANDBOX'> & {
    PUBLIC_URL: string;
    /** The test helpers under /v2/sandbox: on by default while messages are captured (no SMTP, no Twilio). */
    SANDBOX: boolean;
  }
>;

export const CONFIG_KEYS = Object.keys(ConfigSchema.properties) as (keyof RawConfig)[];

const NUMERIC_KEYS = new Set(
  CONFIG_KEYS.filter((k) => ['integer', 'number'].includes(String(ConfigSchema.properties[k].type))),
);

const BOOLEAN_KEYS = new Set(
  CONFIG_KEYS.filter((k) => String(ConfigSchema.properties[k].type) === 'boolean'),
);
const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One line, so that a supervisor's log shows the whole reason.
    super(`invalid configuration: ${problems.join('; ')} (set in the environment or as --flags)`);
  }
}

/** Settings whose values are credentials: never echoed, and scrubbed from every log line. */
export const isSecretSetting = (key: string): boolean => /SECRET|TOKEN|PASSWORD/.test(key);

/** Settings that are URLs and may carry a user and password. */
const URL_SETTINGS = new Set(['DATABASE_URL', 'SMTP_URL', 'TWILIO_API_URL']);

/** A URL with its user and password replaced, for output. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

function shownValue(key: string, value: unknown): string {
  if (typeof value === 'string' && isSecretSetting(key)) return `a value of ${value.length} characters`;
  if (typeof value === 'string' && URL_SETTINGS.has(key)) return JSON.stringify(withoutCredentials(value));
  return JSON.stringify(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every credential the configuration holds: secret settings and the users and passwords in its URLs. */
export function secretsOf(config: Partial<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string' || value === '') continue;
    if (isSecretSetting(key)) found.push(value);
    else if (URL_SETTINGS.has(key)) {
      const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@:]*)(?::([^/?#@]*))?@/i.exec(value);
      const password = m?.[2];
      if (password) found.push(password, safeDecode(password));
    }
  }
  return [...new Set(found)].filter((s) => s.length >= 4);
}

/** Reads env (and flag overrides) once; throws ConfigError naming every bad key. */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Record<string, string | undefined> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = overrides[key] ?? env[key];
    if (value === undefined || value === '') continue;
    if (BOOLEAN_KEYS.has(key)) raw[key] = BOOLEANS[value.toLowerCase()] ?? value;
    else raw[key] = NUMERIC_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  const problems = [...Value.Errors(ConfigSchema, withDefaults)]
    // A union reports each branch too; one line per key is enough.
    .filter((e, i, all) => all.findIndex((o) => o.path === e.path) === i)
    .map((e) => {
      const key = e.path.replace(/^\//, '') as keyof RawConfig;
      const schema = ConfigSchema.properties[key] as
        | { anyOf?: { const: string }[]; 'x-expected'?: string }
        | undefined;
      const expected =
        schema?.['x-expected'] ??
        (schema?.anyOf ? `one of ${schema.anyOf.map((b) => b.const).join(', ')}` : e.message);
      return `${key}: expected ${expected.replace(/^Expected /, '')} (got ${shownValue(key, withDefaults[key])})`;
    });
  const cfg = withDefaults as RawConfig;
  if (Boolean(cfg.INVITEKIT_API_KEY_ID) !== Boolean(cfg.INVITEKIT_API_KEY_SECRET)) {
    problems.push('INVITEKIT_API_KEY_ID and INVITEKIT_API_KEY_SECRET must be set together');
  }
  const twilio = [
    cfg.TWILIO_ACCOUNT_SID,
    cfg.TWILIO_AUTH_TOKEN,
    cfg.TWILIO_FROM,
    cfg.TWILIO_MESSAGING_SERVICE_SID,
  ];
  if (
    twilio.some(Boolean) &&
    !(
      cfg.TWILIO_ACCOUNT_SID &&
      cfg.TWILIO_AUTH_TOKEN &&
      (cfg.TWILIO_FROM || cfg.TWILIO_MESSAGING_SERVICE_SID)
    )
  ) {
    problems.push(
      'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and one of TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID go together',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const publicUrl = (cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}`).replace(/\/+$/, '');
  const sandbox = cfg.SANDBOX ?? (!cfg.SMTP_URL && !cfg.TWILIO_ACCOUNT_SID);
  return Object.freeze({ ...cfg, PUBLIC_URL: publicUrl, SANDBOX: sandbox });
}

/** `sqlite:./data/x.db` → `./data/x.db` */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^sqlite:(\/\/)?/, '');
}
