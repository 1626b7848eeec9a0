import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';
import { postgresAdminUrl } from './helpers/app.ts';
import { cliFor, type Run } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';
import { createDatabase } from './helpers/postgres.ts';
import { tcpProxy } from './helpers/tcp-proxy.ts';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-startup-'));
const { cli, serve, killAll } = cliFor(join(dir, 'startup.db'));
const adminUrl = postgresAdminUrl();
// Each case starts real processes, which take seconds each on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A failed start: its exit code and its one line on stderr. */
function failure(run: Run): { code: number | null; line: string } {
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stdout).not.toContain('running at');
  return { code: run.code, line: lines[0] ?? '' };
}

describe('startup failures: one line naming the setting, and an exit code of their own', () => {
  it('a bad setting exits 2, naming it, without echoing a secret', async () => {
    const run = await cli(['serve'], { EMAIL_FROM: 'not-an-email', USER_TOKEN_SECRET: 'too-short-to-sign' });
    const { code, line } = failure(run);
    expect(code).toBe(2);
    expect(line).toMatch(/EMAIL_FROM: expected an address/);
    expect(line).toContain('USER_TOKEN_SECRET');
    expect(line).not.toContain('too-short-to-sign');
  });

  it('a port in use exits 3, naming PORT and --port', async () => {
    const port = await freePort();
    const holder = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    try {
      const { code, line } = failure(await cli(['serve'], { PORT: String(port), HOST: '127.0.0.1' }));
      expect(code).toBe(3);
      expect(line).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(line).toMatch(/PORT \(--port\)/);
    } finally {
      holder.close();
    }
  });

  it('a database that refuses connections exits 4 after DATABASE_CONNECT_TIMEOUT_SECONDS, naming the host but not the password', async () => {
    const port = await freePort();
    const url = `postgres://invitekit:pw-never-shown@127.0.0.1:${port}/invitekit`;
    const { code, line } = failure(
      await cli(['serve'], { DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_SECONDS: '1' }),
    );
    expect(code).toBe(4);
    expect(line).toContain(`127.0.0.1:${port}/invitekit`);
    expect(line).toContain('DATABASE_URL');
    expect(line).toContain('ECONNREFUSED');
    expect(line).not.toContain('pw-never-shown');
  });
});

describe('the banner', () => {
  it('on a terminal, serve prints the readable banner; otherwise the same facts as one JSON line', async () => {
    const onTerminal = await serve({}, [], { terminal: true });
    expect(onTerminal.banner).toMatch(/ {2}Database: {7}(SQLite|PostgreSQL) /);
    expect(onTerminal.banner).toMatch(/ {2}Console: {8}http:\/\/localhost:\d+\/console/);
    expect(onTerminal.logLines().filter((l) => /running at/.test(l.msg))).toEqual([]);
    await onTerminal.stop();

    const piped = await serve();
    expect(piped.banner).not.toContain('  Database:');
    const start = piped.logLines().filter((l) => /running at/.test(l.msg));
    expect(start).toHaveLength(1);
    expect(start[0]).toMatchObject({ role: 'serve', console: expect.stringMatching(/\/console$/) });
    await piped.stop();
  });
});

describe('flags and version', () => {
  it('every setting has its flag, named as the variable in kebab case', async () => {
    const help = await cli(['serve', '--help']);
    expect(help.code).toBe(0);
    for (const key of CONFIG_KEYS)
      expect(help.stdout).toContain(`--${key.toLowerCase().replaceAll('_', '-')} <`);
    // A flag reaches its setting: the bad value is reported under the variable's name.
    const { code, line } = failure(
      await cli(['keys', 'list', '--email-from', 'nobody', '--smtp-url', 'ftp://x']),
    );
    expect(code).toBe(2);
    expect(line).toContain('EMAIL_FROM');
    expect(line).toContain('SMTP_URL');
  });

  it('--version prints the version of the package', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});

// Only the postgres project has a server whose password and databases can be got wrong.
if (adminUrl) {
  describe('startup on PostgreSQL', () => {
    const admin = new URL(adminUrl);

    it('a wrong password exits 5 and a missing database exits 6, neither showing the password', async () => {
      const wrong = new URL(admin);
      wrong.password = 'not-the-password-123';
      const missing = new URL(admin);
      missing.pathname = '/invitekit_no_such_database';
      const [refused, absent] = await Promise.all([
        cli(['keys', 'list'], { DATABASE_URL: wrong.toString() }),
        cli(['serve'], { DATABASE_URL: missing.toString() }),
      ]);
      const a = failure(refused);
      expect(a.code).toBe(5);
      expect(a.line).toMatch(/refused the user or password.*DATABASE_URL/);
      expect(a.line).toContain(admin.host);
      expect(a.line).not.toContain('not-the-password-123');
      const b = failure(absent);
      expect(b.code).toBe(6);
      expect(b.line).toContain(`${admin.host}/invitekit_no_such_database does not exist`);
      expect(b.line).not.toContain(admin.password);
    });

    it('waits for a database that comes up after the process starts', async () => {
      const db = await createDatabase(adminUrl);
      const proxy = await tcpProxy({ host: admin.hostname, port: Number(admin.port) });
      await proxy.cut();
      const url = new URL(db.url);
      url.port = String(proxy.port);
      const starting = serve({ DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_SECONDS: '120' });
      // Long enough for the process to have tried and been refused at least once.
      await new Promise((r) => setTimeout(r, 3000));
      await proxy.restore();
      const server = await starting;
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await server.stop();
      await proxy.close();
      await db.drop();
    });
  });
}
