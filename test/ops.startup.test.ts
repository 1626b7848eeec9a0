import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';
import { cliFor, startFailure } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-startup-'));
const { cli, serve, killAll } = cliFor(join(dir, 'startup.db'));
// Each case starts real processes, which take seconds each on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

const failure = startFailure;

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
    // A terminal may hand the banner over in pieces: read all of it once it has come.
    await expect.poll(() => onTerminal.seen()).toMatch(/ {2}Console: {8}http:\/\/localhost:\d+\/console/);
    expect(onTerminal.seen()).toMatch(/ {2}Database: {7}(SQLite|PostgreSQL) /);
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
