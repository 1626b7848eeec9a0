import { type Command, Option } from 'commander';
import { setPasswordUrl } from './console/urls.ts';
import { databaseWhere } from './db/client.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { printable } from './lib/terminal.ts';
import type { CommandKit } from './lifecycle.commands.ts';
import {
  chooseClient,
  createMember,
  disableMember,
  listMembersWithGroups,
} from './members/members.service.ts';
import { ROLES } from './members/roles.ts';

/** The client a member command works in, or why there is none (printed, exit 1). */
async function clientFor(
  deps: Deps,
  clientId: string | undefined,
  createIfNone: boolean,
): Promise<{ id: string; name: string } | null> {
  const choice = await chooseClient(deps, clientId, { createIfNone });
  if (choice.kind === 'found') {
    if (choice.created) process.stdout.write(`Created client ${choice.client.id} (there was none).\n`);
    return choice.client;
  }
  const why = {
    unknown: `No client with id ${choice.kind === 'unknown' ? choice.clientId : ''}.`,
    none: 'There is no client yet, so no member either.',
    several: 'There are several clients: say which one with --client ID (see invitekit keys list).',
  };
  process.stderr.write(`${why[choice.kind]}\n`);
  process.exitCode = 1;
  return null;
}

/** A refusal of the input, one line per field, as the API would word it. */
function printRefusal(err: unknown): void {
  if (!(err instanceof AppError)) throw err;
  for (const [name, messages] of Object.entries(err.body)) {
    process.stderr.write(`${name}: ${Array.isArray(messages) ? messages.join(' ') : String(messages)}\n`);
  }
  process.exitCode = 1;
}

/** `members create`, `members list` and `members disable`. */
export function registerMembersCommands(program: Command, { withFlags, withDeps }: CommandKit): void {
  const members = program.command('members').description('manage the people who sign in to the Console');
  withFlags(members.command('create').description('add a member to a client'))
    .requiredOption('--email <email>', 'the address they sign in with')
    .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory())
    .option(
      '--password <password>',
      'their password (at least 12 characters); without it, a one-time link is printed',
    )
    .option('--name <name>', 'their name, as the Console shows it', '')
    .option('--client <id>', 'the client (default: the only one)')
    .action(async (opts) =>
      withDeps(opts, async (deps) => {
        const client = await clientFor(deps, opts.client, true);
        if (!client) return;
        try {
          const { member, setPasswordToken } = await createMember(deps, client.id, {
            email: opts.email,
            name: opts.name,
            role: opts.role,
            password: opts.password,
          });
          process.stdout.write(
            `Created ${member.role} ${member.email} in client ${client.id} (${client.name}).\n` +
              `Database: ${databaseWhere(deps.config.DATABASE_URL).described}\n` +
              (setPasswordToken
                ? `One-time link to set their password (valid 24 hours):\n  ${setPasswordUrl(deps.config.PUBLIC_URL, setPasswordToken)}\n`
                : `They sign in at ${deps.config.PUBLIC_URL}/console\n`),
          );
        } catch (err) {
          printRefusal(err);
        }
      }),
    );
  withFlags(
    members
      .command('list')
      .description('list members with their role, state and groups (never their passwords)'),
  )
    .option('--client <id>', 'only this client')
    .option('--json', 'print JSON')
    .action(async (opts) =>
      withDeps(opts, async (deps) => {
        const rows = await listMembersWithGroups(deps, opts.client);
        if (opts.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
        process.stdout.write(`Database: ${databaseWhere(deps.config.DATABASE_URL).described}\n`);
        if (rows.length === 0) {
          return void process.stdout.write(
            'No members. Add one: invitekit members create --email E --role admin\n',
          );
        }
        for (const m of rows) {
          const state = m.disabled_at ? `disabled ${m.disabled_at}` : m.has_password ? 'active' : 'invited';
          const name = m.name ? `  ${JSON.stringify(m.name)}` : '';
          const groups =
            m.groups.length > 0 ? `  groups: ${m.groups.map((g) => printable(g, ',')).join(', ')}` : '';
          process.stdout.write(
            `${m.email}${name}  ${m.role}  client=${m.client_id} (${printable(m.client_name)})  ${state}${groups}\n`,
          );
        }
      }),
    );
  withFlags(members.command('disable').description('stop a member signing in; their sessions end at once'))
    .requiredOption('--email <email>', "the member's address")
    .option('--client <id>', 'the client (default: the only one)')
    .action(async (opts) =>
      withDeps(opts, async (deps) => {
        const client = await clientFor(deps, opts.client, false);
        if (!client) return;
        const done = await disableMember(deps, client.id, opts.email);
        if (!done) {
          process.stderr.write(`No member with email ${opts.email} in client ${client.id}.\n`);
          process.exitCode = 1;
          return;
        }
        const sessions = `${done.sessionsEnded} session${done.sessionsEnded === 1 ? '' : 's'} ended`;
        process.stdout.write(
          `${done.alreadyDisabled ? 'Already disabled' : 'Disabled'}: ${done.member.email} in client ${client.id}; ${sessions}.\n` +
            `Database: ${databaseWhere(deps.config.DATABASE_URL).described}\n`,
        );
      }),
    );
}
