import type { Command } from 'commander';
import { createKey, listKeys, revokeKey } from './auth/keys.service.ts';
import { databaseWhere } from './db/client.ts';
import { printable } from './lib/terminal.ts';
import type { CommandKit } from './lifecycle.commands.ts';

/** `keys create`, `keys list` and `keys revoke ID`. */
export function registerKeysCommands(program: Command, { withFlags, withDeps }: CommandKit): void {
  const keys = program.command('keys').description('manage API keys');
  withFlags(keys.command('create').description('create an API key; its secret is shown once'))
    .requiredOption('--name <name>', 'a name for the key')
    .option('--client <id>', 'add the key to this existing client instead of a new one')
    .option('--json', 'print {"api_key_id", "api_key_secret", "client_id", "database"} as JSON')
    .action(async (opts) =>
      withDeps(opts, async (deps) => {
        const key = await createKey(deps, { name: opts.name, clientId: opts.client });
        // A key in the wrong database works nowhere: say which one it went to.
        const database = databaseWhere(deps.config.DATABASE_URL).described;
        if (opts.json) {
          const { api_key_id, api_key_secret, client_id } = key;
          process.stdout.write(`${JSON.stringify({ api_key_id, api_key_secret, client_id, database })}\n`);
        } else {
          process.stdout.write(
            `api_key_id:     ${key.api_key_id}\napi_key_secret: ${key.api_key_secret}\nclient:         ${key.client_id}\n` +
              `database:       ${database}\n` +
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
          process.stdout.write(
            `${k.id}  ${printable(k.name)}  client=${k.client_id} (${printable(k.client_name)})  ${state}\n`,
          );
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
}
