import { Command } from 'commander';
import { createKey, listKeys, revokeKey } from './auth/keys.service.ts';
import { closeDeps, createDeps } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { migrate, openDb } from './db/client.ts';
import type { Deps } from './deps.ts';
import { JOB_KINDS } from './job-kinds.ts';
import { Worker } from './queue/runner.ts';

/** Flags shared by every command; each maps to the env var of the same name. */
const FLAGS: [flag: string, key: string, help: string][] = [
  ['--port <port>', 'PORT', 'port to listen on (PORT, default 8080)'],
  ['--host <host>', 'HOST', 'interface to listen on (HOST, default 0.0.0.0)'],
  ['--public-url <url>', 'PUBLIC_URL', 'base URL in invite links and pagination (PUBLIC_URL)'],
  [
    '--database-url <url>',
    'DATABASE_URL',
    'sqlite:<file> or postgres://… (DATABASE_URL, default sqlite:./data/invitekit.db)',
  ],
  ['--log-level <level>', 'LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (LOG_LEVEL)'],
];

function withFlags(cmd: Command): Command {
  for (const [flag, , help] of FLAGS) cmd.option(flag, help);
  return cmd;
}

function configFrom(opts: Record<string, string | boolean | undefined>): Config {
  const overrides: Record<string, string | undefined> = {};
  for (const [flag, key] of FLAGS) {
    const name = flag.slice(2, flag.indexOf(' ')).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = opts[name];
    overrides[key] = typeof value === 'string' ? value : undefined;
  }
  return loadConfig(process.env, overrides);
}

function startWorker(deps: Deps): Worker {
  const worker = new Worker(deps, JOB_KINDS, {
    concurrency: deps.config.WORKER_CONCURRENCY,
    webhookConcurrency: deps.config.WEBHOOK_CONCURRENCY,
    pollMs: deps.config.WORKER_POLL_MS,
    leaseMs: deps.config.WORKER_LEASE_SECONDS * 1000,
  });
  worker.start();
  return worker;
}

/** SIGTERM/SIGINT: stop taking work, let in-flight sends finish (bounded), then exit. */
function onShutdown(deps: Deps, steps: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const step of steps) await step().catch((err) => deps.log.error({ err }, 'shutdown step failed'));
    await closeDeps(deps);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function serve(opts: Record<string, string | boolean | undefined>): Promise<void> {
  const config = configFrom(opts);
  const deps = await createDeps(config);
  // Loaded here, not at the top: the HTTP stack costs a second that `keys` commands need not pay.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp(deps);
  await app.listen({ port: config.PORT, host: config.HOST });
  const worker = opts.worker === false ? null : startWorker(deps);
  const grace = config.SHUTDOWN_GRACE_SECONDS * 1000;
  onShutdown(deps, [() => app.close(), async () => worker?.stop(grace)]);
  const hasKey = (await listKeys(deps)).some((k) => k.revoked_at === null);
  const lines = [
    '',
    `  invitekit is running at ${config.PUBLIC_URL}`,
    `  API reference:  ${config.PUBLIC_URL}/docs   (OpenAPI: ${config.PUBLIC_URL}/openapi.json)`,
    `  Database:       ${config.DATABASE_URL}`,
    `  Email:          ${deps.channels.email.name === 'capture' ? 'captured (see /outbox)' : 'SMTP'}` +
      `   SMS: ${deps.channels.sms.name === 'capture' ? 'captured (see /outbox)' : 'Twilio'}` +
      `   Worker: ${worker ? 'in this process' : 'off (--no-worker)'}`,
    config.SANDBOX
      ? '  Mode:           sandbox (test helpers under /v2/sandbox; SANDBOX=false turns them off)'
      : '  Mode:           live (no test helpers; SANDBOX=true turns them on)',
    hasKey
      ? '  API keys:       npx invitekit keys list'
      : '  No API key yet: npx invitekit keys create --name dev   (or set INVITEKIT_API_KEY_ID/_SECRET)',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function work(opts: Record<string, string | undefined>): Promise<void> {
  const deps = await createDeps(configFrom(opts));
  const worker = startWorker(deps);
  onShutdown(deps, [async () => worker.stop(deps.config.SHUTDOWN_GRACE_SECONDS * 1000)]);
  process.stdout.write(`invitekit worker ${worker.id} running on ${deps.config.DATABASE_URL}\n`);
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

const program = new Command('invitekit').description('Self-hostable Invites API v2').showHelpAfterError();

withFlags(
  program.command('serve').description('run the API, the pages and (unless --no-worker) the delivery worker'),
)
  .option('--no-worker', 'do not run the delivery worker in this process')
  .action(serve);

withFlags(program.command('worker').description('run only the delivery worker')).action(work);

withFlags(program.command('migrate').description('apply database migrations and exit')).action(
  async (opts) => {
    const db = openDb(configFrom(opts).DATABASE_URL);
    const applied = await migrate(db);
    await db.destroy();
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  },
);

const keys = program.command('keys').description('manage API keys');
withFlags(keys.command('create').description('create an API key; its secret is shown once'))
  .requiredOption('--name <name>', 'a name for the key')
  .option('--client <id>', 'add the key to this existing client instead of a new one')
  .option('--json', 'print {"api_key_id", "api_key_secret"} as JSON')
  .action(async (opts) =>
    withDeps(opts, async (deps) => {
      const key = await createKey(deps, { name: opts.name, clientId: opts.client });
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ api_key_id: key.api_key_id, api_key_secret: key.api_key_secret })}\n`,
        );
      } else {
        process.stdout.write(
          `api_key_id:     ${key.api_key_id}\napi_key_secret: ${key.api_key_secret}\nclient:         ${key.client_id}\n` +
            'The secret is shown only now. Use them as HTTP Basic credentials:\n' +
            `  curl -u ${key.api_key_id}:${key.api_key_secret} ${deps.config.PUBLIC_URL}/v2/invites\n`,
        );
      }
    }),
  );
withFlags(keys.command('list').description('list API keys (never their secrets)'))
  .option('--json', 'print JSON')
  .action(async (opts) =>
    withDeps(opts, async (deps) => {
      const rows = await listKeys(deps);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
      if (rows.length === 0)
        return void process.stdout.write('No API keys. Create one: invitekit keys create --name dev\n');
      for (const k of rows) {
        const state = k.revoked_at ? `revoked ${k.revoked_at}` : 'active';
        process.stdout.write(`${k.id}  ${k.name}  client=${k.client_id} (${k.client_name})  ${state}\n`);
      }
    }),
  );
withFlags(keys.command('revoke').description('revoke an API key').argument('<id>', 'api_key_id')).action(
  async (id: string, opts) =>
    withDeps(opts, async (deps) => {
      if (!(await revokeKey(deps, id))) {
        process.stderr.write(`No active API key with id ${id}.\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `Revoked ${id}. Other processes stop accepting it within AUTH_CACHE_TTL_SECONDS.\n`,
      );
    }),
);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
