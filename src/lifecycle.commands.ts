import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { type Config, sqlitePath } from './config.ts';
import { databaseWhere } from './db/client.ts';
import { releaseAddress, suppressedAddresses } from './delivery/suppressions.ts';
import type { Deps } from './deps.ts';

/** Where a command writes: its result on `out`, why it failed on `err`. */
interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Copies the SQLite database to `file` while it runs, through SQLite's online backup API. The
 * rest is copied in one step, which reads one snapshot: a write committed meanwhile (WAL lets
 * writers go on) is either wholly in the copy or not at all. Returns the exit code.
 */
async function backupCommand(config: Config, file: string, io: Output = stdio): Promise<number> {
  if (databaseWhere(config.DATABASE_URL).kind === 'postgresql') {
    io.err(
      'invitekit backup copies a SQLite database; for PostgreSQL use pg_dump (see the README: Backups).\n',
    );
    return 1;
  }
  const source = resolve(sqlitePath(config.DATABASE_URL));
  const target = resolve(file);
  if (!existsSync(source)) {
    io.err(`No SQLite database at ${source} (DATABASE_URL).\n`);
    return 1;
  }
  if (existsSync(target)) {
    io.err(`${target} exists; name a new file (a backup never overwrites one).\n`);
    return 1;
  }
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const { totalPages } = await db.backup(target, { progress: () => 2 ** 31 - 1 });
    io.out(`Backed up ${source} to ${target} (${totalPages} pages).\n`);
    return 0;
  } catch (err) {
    io.err(`Backup of ${source} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    db.close();
  }
}

/** Prints the suppressed addresses, of one client or of all. */
async function listSuppressionsCommand(
  deps: Pick<Deps, 'db'>,
  opts: { client?: string; json?: boolean },
  io: Output = stdio,
): Promise<number> {
  const rows = await suppressedAddresses(deps, opts.client);
  if (opts.json) {
    io.out(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  if (rows.length === 0) io.out('No suppressed addresses.\n');
  for (const r of rows)
    io.out(`${r.address}  ${r.channel}  client=${r.client_id}  ${r.created_at}  ${r.reason}\n`);
  return 0;
}

/** Lets messages go to the address again, in one client or in all. */
async function releaseSuppressionCommand(
  deps: Pick<Deps, 'db'>,
  address: string,
  opts: { client?: string },
  io: Output = stdio,
): Promise<number> {
  const released = await releaseAddress(deps, opts.client, address);
  if (released === 0) {
    io.err(`${address} is not suppressed${opts.client ? ` in client ${opts.client}` : ''}.\n`);
    return 1;
  }
  io.out(`Released ${address}${released > 1 ? ` in ${released} clients` : ''}: messages go to it again.\n`);
  return 0;
}

type Opts = Record<string, string | undefined>;

/** What main.ts builds every command with, so these read their settings as every other does. */
export interface CommandKit {
  /** Adds a flag for every setting. */
  withFlags: (cmd: Command) => Command;
  /** The settings, each flag winning over its variable. */
  configFrom: (opts: Opts) => Config;
  /** Runs with the dependencies of those settings, closed after. */
  withDeps: <T>(opts: Opts, run: (deps: Deps) => Promise<T>) => Promise<T>;
}

/** `backup FILE`, `suppressions list` and `suppressions release ADDRESS`. */
export function registerLifecycleCommands(
  program: Command,
  { withFlags, configFrom, withDeps }: CommandKit,
): void {
  withFlags(
    program
      .command('backup')
      .description('copy the running SQLite database to FILE (for PostgreSQL: pg_dump)')
      .argument('<file>', 'a new file to write the copy to'),
  ).action(async (file: string, opts: Opts) => {
    process.exitCode = await backupCommand(configFrom(opts), file);
  });

  const suppressions = program
    .command('suppressions')
    .description('addresses no message goes to: hard bounces and STOP replies');
  withFlags(suppressions.command('list').description('list suppressed addresses'))
    .option('--client <id>', 'only this client')
    .option('--json', 'print JSON')
    .action(async (opts: Opts & { json?: boolean }) => {
      process.exitCode = await withDeps(opts, (deps) => listSuppressionsCommand(deps, opts));
    });
  withFlags(
    suppressions
      .command('release')
      .description('let messages go to an address again')
      .argument('<address>', 'the email address or E.164 number'),
  )
    .option('--client <id>', 'only in this client (default: every client)')
    .action(async (address: string, opts: Opts) => {
      process.exitCode = await withDeps(opts, (deps) => releaseSuppressionCommand(deps, address, opts));
    });
}
