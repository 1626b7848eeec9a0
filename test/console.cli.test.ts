import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFor, type Server } from './helpers/cli.ts';
import { csrfOf } from './helpers/console.ts';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-members-'));
const DB_FILE = join(dir, 'members.db');
const { cli, ok, serve, killAll } = cliFor(DB_FILE);

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser on a running server, with just enough of a cookie jar for the Console. */
function visitor(server: Server) {
  const jar = new Map<string, string>();
  async function send(path: string, form?: Record<string, string | string[]>) {
    const res = await fetch(`${server.url}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      // A field given several values repeats, as ticked checkboxes do.
      body: form
        ? new URLSearchParams(
            Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x])),
          ).toString()
        : undefined,
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }
  return {
    get: (path: string) => send(path),
    async submit(path: string, action: string, fields: Record<string, string | string[]>) {
      const page = await send(path);
      return send(action, { _csrf: csrfOf(page.html), ...fields });
    },
    async signedIn() {
      const page = await send('/console');
      return !page.html.includes('action="/console/sign-in"');
    },
  };
}

const linkIn = (text: string) => /(\/console\/set-password\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
const PASSWORD = 'a long enough password';

describe('the Console from the command line', () => {
  let server: Server;

  it('serve with no member prints a one-time link that makes the first admin', async () => {
    server = await serve();
    expect(server.banner).toContain('/console');
    expect(server.banner).toMatch(/First admin: +http:\/\/localhost:\d+\/console\/set-password\?token=/);
    // Without a terminal the banner is JSON lines; the start line names the database.
    expect(server.banner).toContain(`"database":"SQLite ${DB_FILE}"`);
    const link = linkIn(server.banner);

    const admin = visitor(server);
    const made = await admin.submit(link, link, {
      email: 'root@acme.example',
      name: 'Root',
      password: PASSWORD,
    });
    expect(made.status).toBe(303);
    expect(await admin.signedIn()).toBe(true);
    expect((await visitor(server).get(link)).status).toBe(410);

    const list = await ok(['members', 'list']);
    expect(list).toContain(`Database: SQLite ${DB_FILE}`);
    expect(list).toMatch(/root@acme\.example {2}"Root" {2}admin {2}client=\S+ \(default\) {2}active/);
  });

  it('members create with a password: the member signs in at once', async () => {
    const out = await ok([
      'members',
      'create',
      '--email',
      'ops@acme.example',
      '--role',
      'operations',
      '--password',
      PASSWORD,
    ]);
    expect(out).toMatch(/^Created operations ops@acme\.example in client \S+ \(default\)\./);
    expect(out).toContain(`Database: SQLite ${DB_FILE}`);
    expect(out).not.toContain(PASSWORD);
    const ops = visitor(server);
    expect(
      (await ops.submit('/console', '/console/sign-in', { email: 'ops@acme.example', password: PASSWORD }))
        .status,
    ).toBe(303);
    expect(await ops.signedIn()).toBe(true);
  });

  it('members create without a password prints a one-time link to set one', async () => {
    const out = await ok([
      'members',
      'create',
      '--email',
      'dev@acme.example',
      '--role',
      'developer',
      '--name',
      'Dev',
    ]);
    const link = linkIn(out);
    expect(link).not.toBe('');
    const dev = visitor(server);
    const page = await dev.get(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Set your password');
    expect((await dev.submit(link, link, { password: PASSWORD })).status).toBe(303);
    expect(await dev.signedIn()).toBe(true);
    expect(await ok(['members', 'list'])).toMatch(/dev@acme\.example {2}"Dev" {2}developer .* active/);
  });

  it('members list names each member’s groups, as the Team page sets them', async () => {
    const root = visitor(server);
    await root.submit('/console', '/console/sign-in', { email: 'root@acme.example', password: PASSWORD });
    // A name with a line break must not fake a line in the terminal.
    for (const name of ['Support <b>', 'Sales\nroot@acme.example  admin']) {
      expect((await root.submit('/console/team', '/console/team/groups', { name })).status).toBe(303);
    }
    const team = (await root.get('/console/team')).html;
    const groupIds = [...team.matchAll(/href="\/console\/team\/groups\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(groupIds).toHaveLength(2);
    const devId = /href="\/console\/team\/members\/([0-9a-f-]{36})">Dev</.exec(team)?.[1] ?? '';
    const page = `/console/team/members/${devId}`;
    expect((await root.submit(page, page, { role: 'developer', groups: groupIds })).status).toBe(303);

    const list = await ok(['members', 'list']);
    expect(list).toMatch(
      /dev@acme\.example {2}"Dev" {2}developer .* active {2}groups: "Sales\\nroot@acme\.example {2}admin", Support <b>\n/,
    );
    expect(list).not.toMatch(/^root@acme\.example {2}admin$/m);
    expect(list).toMatch(/root@acme\.example {2}"Root" {2}admin .* active\n/);
    const json = JSON.parse(await ok(['members', 'list', '--json'])) as { email: string; groups: string[] }[];
    expect(json.find((m) => m.email === 'dev@acme.example')?.groups).toEqual([
      'Sales\nroot@acme.example  admin',
      'Support <b>',
    ]);
    expect(json.find((m) => m.email === 'root@acme.example')?.groups).toEqual([]);
  });

  it('refuses what the Console would: a taken email in any case, a short password, an unknown role', async () => {
    const [taken, short, role] = await Promise.all([
      cli(['members', 'create', '--email', 'OPS@acme.example', '--role', 'full', '--password', PASSWORD]),
      cli(['members', 'create', '--email', 'new@acme.example', '--role', 'full', '--password', 'short']),
      cli(['members', 'create', '--email', 'new@acme.example', '--role', 'owner']),
    ]);
    expect([taken.code, short.code, role.code]).toEqual([1, 1, 1]);
    expect(taken.stderr).toContain('email: A member with this email already exists.');
    expect(short.stderr).toContain(
      'password: This password is too short. It must contain at least 12 characters.',
    );
    expect(role.stderr).toMatch(/--role.*owner/);
    expect(await ok(['members', 'list'])).not.toContain('new@acme.example');
  });

  it('members disable: the member is signed out at once and cannot sign in again', async () => {
    const ops = visitor(server);
    await ops.submit('/console', '/console/sign-in', { email: 'ops@acme.example', password: PASSWORD });
    expect(await ops.signedIn()).toBe(true);

    const out = await ok(['members', 'disable', '--email', 'Ops@acme.example']);
    expect(out).toMatch(/^Disabled: ops@acme\.example in client \S+; 2 sessions ended\./);
    expect(out).toContain(`Database: SQLite ${DB_FILE}`);
    expect(await ops.signedIn()).toBe(false);
    const again = await visitor(server).submit('/console', '/console/sign-in', {
      email: 'ops@acme.example',
      password: PASSWORD,
    });
    expect(again.status).toBe(400);
    expect(await ok(['members', 'list'])).toMatch(/ops@acme\.example {2}operations .* disabled /);

    const unknown = await cli(['members', 'disable', '--email', 'nobody@acme.example']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No member with email nobody@acme.example');
  });

  it('with several clients, --client says which: nothing is guessed', async () => {
    const other = JSON.parse(await ok(['keys', 'create', '--name', 'other', '--json']));
    const keys = await ok(['keys', 'list']);
    const clientId = new RegExp(`${other.api_key_id} +other +client=(\\S+)`).exec(keys)?.[1] ?? '';
    expect(clientId).not.toBe('');

    const guessed = await cli(['members', 'create', '--email', 'x@other.example', '--role', 'admin']);
    expect(guessed.code).toBe(1);
    expect(guessed.stderr).toContain('There are several clients: say which one with --client ID');
    const made = await ok([
      'members',
      'create',
      '--email',
      'x@other.example',
      '--role',
      'admin',
      '--client',
      clientId,
    ]);
    expect(made).toContain(`in client ${clientId} (other)`);
    const unknown = await cli([
      'members',
      'create',
      '--email',
      'y@other.example',
      '--role',
      'admin',
      '--client',
      'nope',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No client with id nope.');
    expect(await ok(['members', 'list', '--client', clientId])).toMatch(
      /^Database: .*\nx@other\.example {2}admin /,
    );
  });

  it('keeps passwords and links only as hashes, and a restart offers no setup link', async () => {
    await server.stop();
    const again = await serve();
    expect(again.banner).toContain('/console');
    expect(again.banner).not.toContain('set-password');
    await again.stop();

    const db = new SQLite(DB_FILE, { readonly: true });
    const hashes = db.prepare('select password_hash from members where password_hash is not null').all() as {
      password_hash: string;
    }[];
    const tokens = db.prepare('select id from member_tokens').all() as { id: string }[];
    db.close();
    expect(hashes.length).toBeGreaterThanOrEqual(3);
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^scrypt\$/);
    for (const { id } of tokens) expect(id).toMatch(/^[0-9a-f]{64}$/);
  });
});
