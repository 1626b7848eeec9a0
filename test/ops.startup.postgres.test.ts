import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { postgresAdminUrl } from './helpers/app.ts';
import { cliFor, startFailure } from './helpers/cli.ts';
import { createDatabase } from './helpers/postgres.ts';
import { tcpProxy } from './helpers/tcp-proxy.ts';

/** Startup failures only a PostgreSQL server has: a wrong password, a missing database, one that starts late. */
const adminUrl = postgresAdminUrl() ?? '';
const dir = mkdtempSync(join(tmpdir(), 'invitekit-startup-pg-'));
const { cli, serve, killAll } = cliFor(join(dir, 'unused.db'));
vi.setConfig({ testTimeout: 180_000 });

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

const failure = startFailure;

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
