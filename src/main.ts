import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { listKeys } from './auth/keys.service.ts';
import { closeDeps, createDeps } from './bootstrap.ts';
import {
  CONFIG_KEYS,
  type Config,
  ConfigError,
  ConfigSchema,
  isSecretSetting,
  loadConfig,
} from './config.ts';
import { setPasswordUrl } from './console/urls.ts';
import { DatabaseStartError, databaseWhere, migrate, openDb, waitForDatabase } from './db/client.ts';
import type { Deps } from './deps.ts';
import { JOB_KINDS } from './job-kinds.ts';
import { registerKeysCommands } from './keys.commands.ts';
import { registerLifecycleCommands } from './lifecycle.commands.ts';
import { firstAdminSetup } from './members/set-password.service.ts';
import { registerMembersCommands } from './members.commands.ts';
import { startWorkerMetrics } from './metrics/worker-server.ts';
import { clearedText, crashHandler } from './ops/crash.ts';
import { checkProduction } from './ops/production-check.ts';
import type { JobCatalog } from './queue/jobs.ts';
import { Worker } from './queue/runner.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Exit codes, one per reason a process cannot start, so a supervisor can tell them apart. */
const EXIT = {
  failure: 1,
  config: 2,
  listen: 3,
  unreachable: 4,
  unauthenticated: 5,
  missing: 6,
  unopenable: 7,
} as const;

class StartupFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** `SMTP_URL` → `--smtp-url <url>`: one flag per setting, made from the config schema. */
function flagFor(key: (typeof CONFIG_KEYS)[number]): Option {
  const schema = ConfigSchema.properties[key] as { type?: string; default?: unknown };
  const placeholder =
    schema.type === 'boolean'
      ? 'true|false'
      : /_URL$/.test(key)
        ? 'url'
        : schema.type === 'integer'
          ? 'n'
          : 'value';
  const why = isSecretSetting(key) ? '; prefer the environment, as flags show in process lists' : '';
  const fallback = schema.default === undefined ? '' : `, default ${String(schema.default)}`;
  return new Option(
    `--${key.toLowerCase().replaceAll('_', '-')} <${placeholder}>`,
    `${key}${fallback}${why}`,
  );
}

/** Adds a flag for every setting; each wins over the variable of the same name. */
function withFlags(cmd: Command): Command {
  for (const key of CONFIG_KEYS) cmd.addOption(flagFor(key));
  return cmd;
}

// The configuration in use, so an unexpected error's text can be cleared of its secrets.
let loaded: Config | null = null;

function configFrom(opts: Record<string, string | boolean | undefined>): Config {
  const overrides: Record<string, string | undefined> = {};
  for (const key of CONFIG_KEYS) {
    const value = opts[flagFor(key).attributeName()];
    overrides[key] = typeof value === 'string' ? value : undefined;
  }
  loaded = loadConfig(process.env, overrides);
  return loaded;
}

/** Where the start, stop and exit lines go: written at any level but silent, as an operator needs them. */
function lifecycleLog(deps: Deps): Deps['log'] {
  return deps.log.level === 'silent' ? deps.log : deps.log.child({}, { level: 'info' });
}

/** What a process runs with, for its first line. */
function startFields(deps: Deps): Record<string, unknown> {
  const { config, channels } = deps;
  const database = databaseWhere(config.DATABASE_URL);
  return {
    version: VERSION,
    mode: config.SANDBOX ? 'sandbox' : 'live',
    database: database.described,
    database_kind: database.kind,
    channels: { email: channels.email.name, sms: channels.sms.name },
  };
}

function startWorker(deps: Deps, jobs: JobCatalog = JOB_KINDS): Worker {
  const worker = new Worker(deps, jobs, {
    concurrency: deps.config.WORKER_CONCURRENCY,
    webhookConcurrency: deps.config.WEBHOOK_CONCURRENCY,
    pollMs: deps.config.WORKER_POLL_MS,
    leaseMs: deps.config.WORKER_LEASE_SECONDS * 1000,
  });
  worker.start();
  return worker;
}

/** The worker's metrics port; a port it cannot take is a startup failure like the API's. */
async function workerMetrics(deps: Deps, port: number) {
  try {
    return await startWorkerMetrics(deps, port);
  } catch (err) {
    await closeDeps(deps);
    throw new StartupFailure(EXIT.listen, (err as Error).message);
  }
}

/** From here on, an error that reaches no handler ends the process as one log line, exit 1. */
function exitOnCrash(deps: Deps): void {
  const handler = crashHandler(deps.log, (err) => failureOf(err).line, process.exit, EXIT.failure);
  process.on('uncaughtException', handler);
}

/** SIGTERM/SIGINT: stop taking work, let in-flight sends finish (bounded), then exit. */
function onShutdown(deps: Deps, steps: (() => Promise<void>)[]): void {
  const log = lifecycleLog(deps);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logUnlessUnwritable(() =>
      log.info(
        { signal, grace_seconds: deps.config.SHUTDOWN_GRACE_SECONDS },
        `${signal}: stopping; work under way gets up to ${deps.config.SHUTDOWN_GRACE_SECONDS} s`,
      ),
    );
    const failed = (err: unknown) =>
      logUnlessUnwritable(() => deps.log.error({ err }, 'shutdown step failed'));
    for (const step of steps) await step().catch(failed);
    await closeDeps(deps).catch(failed);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('exit', (code) =>
    logUnlessUnwritable(() => log.info({ code }, `invitekit exited with code ${code}`)),
  );
}

/** A log line on the way out: a log that cannot be written (its disk full) must not stop the exit. */
function logUnlessUnwritable(write: () => void): void {
  try {
    write();
  } catch {
    // The line is lost; what it would have said is not worth a stack trace instead.
  }
}

/** Why the server could not listen, as one line naming the setting to change. */
function listenFailure(err: unknown, config: Config): unknown {
  const code = (err as { code?: string } | null)?.code;
  const at = `port ${config.PORT} on ${config.HOST}`;
  if (code === 'EADDRINUSE')
    return new StartupFailure(
      EXIT.listen,
      `${at} is in use: stop what holds it or choose another PORT (--port)`,
    );
  if (code === 'EACCES')
    return new StartupFailure(
      EXIT.listen,
      `not allowed to listen on ${at}: choose a PORT (--port) above 1023`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupFailure(
      EXIT.listen,
      `cannot listen on ${at}: HOST (--host) is not an address of this machine`,
    );
  return err;
}

async function serve(opts: Record<string, string | boolean | undefined>): Promise<void> {
  const config = configFrom(opts);
  const deps = await createDeps(config);
  exitOnCrash(deps);
  checkProduction(deps);
  // Loaded here, not at the top: the HTTP stack costs a second that `keys` commands need not pay.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp(deps);
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    throw listenFailure(err, config);
  }
  const metrics =
    opts.worker === false || config.METRICS_PORT === undefined
      ? null
      : await workerMetrics(deps, config.METRICS_PORT);
  const worker = opts.worker === false ? null : startWorker(deps, metrics?.observeJobs(JOB_KINDS));
  const grace = config.SHUTDOWN_GRACE_SECONDS * 1000;
  onShutdown(deps, [() => app.close(), async () => worker?.stop(grace), async () => metrics?.close()]);
  const hasKey = (await listKeys(deps)).some((k) => k.revoked_at === null);
  const setup = await firstAdminSetup(deps);
  const keysHint = hasKey
    ? 'npx invitekit keys list'
    : 'none yet: npx invitekit keys create --name dev   (or set INVITEKIT_API_KEY_ID/_SECRET)';
  if (!process.stdout.isTTY) {
    const log = lifecycleLog(deps);
    const link = consoleSetupLink(config, setup);
    if (link) log.info(link.fields, link.message);
    log.info(
      {
        ...startFields(deps),
        role: 'serve',
        url: config.PUBLIC_URL,
        docs: `${config.PUBLIC_URL}/docs`,
        console: `${config.PUBLIC_URL}/console`,
        worker: worker ? worker.id : null,
        api_keys: keysHint,
      },
      `invitekit ${VERSION} is running at ${config.PUBLIC_URL}`,
    );
    return;
  }
  const lines = [
    '',
    `  invitekit ${VERSION} is running at ${config.PUBLIC_URL}`,
    `  API reference:  ${config.PUBLIC_URL}/docs   (OpenAPI: ${config.PUBLIC_URL}/openapi.json)`,
    `  Database:       ${databaseWhere(config.DATABASE_URL).described}`,
    `  Email:          ${deps.channels.email.name === 'capture' ? 'captured (see /outbox)' : 'SMTP'}` +
      `   SMS: ${deps.channels.sms.name === 'capture' ? 'captured (see /outbox)' : 'Twilio'}` +
      `   Worker: ${worker ? 'in this process' : 'off (--no-worker)'}`,
    config.SANDBOX
      ? '  Mode:           sandbox (test helpers under /v2/sandbox; SANDBOX=false turns them off)'
      : '  Mode:           live (no test helpers; SANDBOX=true turns them on)',
    hasKey ? `  API keys:       ${keysHint}` : `  No API key yet: ${keysHint.replace('none yet: ', '')}`,
    `  Console:        ${config.PUBLIC_URL}/console`,
    ...consoleSetupLines(config, setup),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** How to get into the Console while nobody can: the first admin's one-time link. */
function consoleSetupLines(config: Config, setup: Awaited<ReturnType<typeof firstAdminSetup>>): string[] {
  if (setup === null) return [];
  if (setup.kind === 'several_clients') {
    return ['  No member yet:  npx invitekit members create --email E --role admin --client ID'];
  }
  return [
    `  First admin:    ${setPasswordUrl(config.PUBLIC_URL, setup.token)}`,
    '                  (a one-time link to create the first admin, valid for 24 hours)',
  ];
}

/** The same, as a log line for when nobody watches a terminal. */
function consoleSetupLink(
  config: Config,
  setup: Awaited<ReturnType<typeof firstAdminSetup>>,
): { message: string; fields: Record<string, unknown> } | null {
  if (setup === null) return null;
  if (setup.kind === 'several_clients') {
    return {
      message: 'No member yet: npx invitekit members create --email E --role admin --client ID',
      fields: {},
    };
  }
  const url = setPasswordUrl(config.PUBLIC_URL, setup.token);
  return { message: `First admin: ${url}`, fields: { url, valid_hours: 24 } };
}

async function work(opts: Record<string, string | undefined>): Promise<void> {
  const deps = await createDeps(configFrom(opts));
  exitOnCrash(deps);
  checkProduction(deps);
  const port = deps.config.METRICS_PORT;
  const metrics = port === undefined ? null : await workerMetrics(deps, port);
  const worker = startWorker(deps, metrics?.observeJobs(JOB_KINDS));
  onShutdown(deps, [
    async () => worker.stop(deps.config.SHUTDOWN_GRACE_SECONDS * 1000),
    async () => metrics?.close(),
  ]);
  const where = databaseWhere(deps.config.DATABASE_URL).described;
  if (process.stdout.isTTY) {
    process.stdout.write(`invitekit ${VERSION} worker ${worker.id} running on ${where}\n`);
    return;
  }
  lifecycleLog(deps).info(
    { ...startFields(deps), role: 'worker', worker: worker.id },
    `invitekit ${VERSION} worker running on ${where}`,
  );
}

async function withDeps<T>(
  opts: Record<string, string | undefined>,
  run: (deps: Awaited<ReturnType<typeof createDeps>>) => Promise<T>,
) {
  const deps = await createDeps({ ...configFrom(opts), LOG_LEVEL: 'warn' });
  try {
    return await run(deps);
  } finally {
    await closeDeps(deps);
  }
}

const program = new Command('invitekit')
  .description('Self-hostable Invites API v2')
  .version(VERSION)
  .showHelpAfterError();

withFlags(
  program.command('serve').description('run the API, the pages and (unless --no-worker) the delivery worker'),
)
  .option('--no-worker', 'do not run the delivery worker in this process')
  .action(serve);

withFlags(program.command('worker').description('run only the delivery worker')).action(work);

withFlags(program.command('migrate').description('apply database migrations and exit')).action(
  async (opts) => {
    const config = configFrom(opts);
    await waitForDatabase(config.DATABASE_URL, config.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000);
    const db = openDb(config.DATABASE_URL);
    const applied = await migrate(db);
    await db.destroy();
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  },
);

const kit = { withFlags, configFrom, withDeps };
registerKeysCommands(program, kit);
registerMembersCommands(program, kit);
registerLifecycleCommands(program, kit);

/** The one line and exit code for why a command failed. */
function failureOf(err: unknown): { line: string; code: number } {
  if (err instanceof ConfigError) return { line: err.message, code: EXIT.config };
  if (err instanceof StartupFailure) return { line: err.message, code: err.exitCode };
  if (err instanceof DatabaseStartError) return { line: err.message, code: EXIT[err.problem] };
  return { line: clearedText(err, loaded), code: EXIT.failure };
}

program.parseAsync().catch((err: unknown) => {
  const { line, code } = failureOf(err);
  process.stderr.write(`invitekit: ${line}\n`);
  process.exit(code);
});
