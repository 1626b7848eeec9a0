import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, inviteBody } from './helpers/app.ts';
import { cliFor, type Server } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-cli-'));
const DB_FILE = join(dir, 'cli.db');
const { cli, ok, serve, killAll } = cliFor(DB_FILE);

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

type Key = { api_key_id: string; api_key_secret: string };
const api = (server: Server, key: Key, method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: basic(key), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

const ENV_KEY = 'ci-env-key';
const envKey = (secret: string) => ({ api_key_id: ENV_KEY, api_key_secret: secret });
const S1 = 'first-env-secret-0123';
const S2 = 'second-env-secret-4567';

describe('invitekit CLI', () => {
  let first: Server;
  let ci: Key;
  let other: Key;
  let sameClient: Key;
  let inviteId: string;

  it('serve on an empty database prints its URL, the docs and how to get a key', async () => {
    first = await serve();
    const base = first.url.replace('127.0.0.1', 'localhost');
    expect(first.banner).toContain(base);
    expect(first.banner).toContain(`${base}/docs`);
    expect(first.banner).toMatch(/invitekit keys create --name/);
    expect((await fetch(`${first.url}/docs`)).status).toBe(200);
    expect((await fetch(`${first.url}/v2/invites`)).status).toBe(401);
  });

  it('keys create --json prints the id, the secret, the client and the database, and the key works at once', async () => {
    const created = JSON.parse(await ok(['keys', 'create', '--name', 'ci', '--json']));
    expect(Object.keys(created).sort()).toEqual(['api_key_id', 'api_key_secret', 'client_id', 'database']);
    expect(created.database).toBe(`SQLite ${DB_FILE}`);
    expect(created.client_id).toMatch(/^[0-9a-f-]{36}$/);
    ci = { api_key_id: created.api_key_id, api_key_secret: created.api_key_secret };
    const res = await api(first, ci, 'POST', '/v2/invites', inviteBody());
    expect(res.status).toBe(200);
    inviteId = ((await res.json()) as { id: string }).id;
  });

  it('a second key is a second client; --client adds a key to an existing client', async () => {
    const [created, list] = await Promise.all([
      ok(['keys', 'create', '--name', 'other']),
      ok(['keys', 'list']),
    ]);
    const ciLine = list.split('\n').find((l) => l.startsWith(ci.api_key_id))!;
    expect(ciLine).toMatch(/ ci .*active/);
    expect(list).not.toContain(ci.api_key_secret);
    const clientId = /client=(\S+)/.exec(ciLine)![1]!;
    other = {
      api_key_id: /api_key_id:\s+(\S+)/.exec(created)![1]!,
      api_key_secret: /api_key_secret:\s+(\S+)/.exec(created)![1]!,
    };
    expect(created).toMatch(/shown only now/);

    const [added, unknown] = await Promise.all([
      ok(['keys', 'create', '--name', 'ci-2', '--client', clientId, '--json']),
      cli(['keys', 'create', '--name', 'x', '--client', '0e41254b-bed6-12cd-959d-63470f57c7f5']),
    ]);
    sameClient = JSON.parse(added);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('0e41254b-bed6-12cd-959d-63470f57c7f5');

    expect((await api(first, other, 'GET', `/v2/invites/${inviteId}`)).status).toBe(404);
    const theirs = (await (await api(first, other, 'GET', '/v2/invites')).json()) as any;
    expect(theirs.results).toEqual([]);
    expect((await api(first, sameClient, 'GET', `/v2/invites/${inviteId}`)).status).toBe(200);
    const ours = (await (await api(first, sameClient, 'GET', '/v2/invites')).json()) as any;
    expect(ours.results.map((i: { id: string }) => i.id)).toEqual([inviteId]);
  });

  it('keys revoke: the key is refused by a freshly started server', async () => {
    const [revoked, unknown] = await Promise.all([
      cli(['keys', 'revoke', ci.api_key_id]),
      cli(['keys', 'revoke', 'no-such-key']),
    ]);
    expect(revoked.code).toBe(0);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no-such-key');
    await first.stop();

    const [second, list] = await Promise.all([
      serve({ INVITEKIT_API_KEY_ID: ENV_KEY, INVITEKIT_API_KEY_SECRET: S1 }),
      ok(['keys', 'list']),
    ]);
    expect(list.split('\n').find((l) => l.startsWith(ci.api_key_id))).toMatch(/revoked/);
    const res = await api(second, ci, 'GET', '/v2/invites');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Invalid username/password.' });
    expect((await api(second, sameClient, 'GET', `/v2/invites/${inviteId}`)).status).toBe(200);

    // The key named by the environment exists from the start, for a client of its own.
    expect(second.banner).toMatch(/keys list/);
    expect((await api(second, envKey(S1), 'GET', `/v2/invites/${inviteId}`)).status).toBe(404);
    expect((await api(second, envKey(S1), 'POST', '/v2/invites', inviteBody())).status).toBe(200);
    await second.stop();
  });

  it('a changed INVITEKIT_API_KEY_SECRET replaces the old one for the same client', async () => {
    const third = await serve({ INVITEKIT_API_KEY_ID: ENV_KEY, INVITEKIT_API_KEY_SECRET: S2 });
    expect((await api(third, envKey(S1), 'GET', '/v2/invites')).status).toBe(401);
    const res = await api(third, envKey(S2), 'GET', '/v2/invites');
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).results).toHaveLength(1);
    await third.stop();
  });

  it('stores secrets only as scrypt hashes', () => {
    const db = new SQLite(DB_FILE, { readonly: true });
    const rows = db.prepare('select id, secret_hash from api_keys').all() as {
      id: string;
      secret_hash: string;
    }[];
    db.close();
    expect(rows.map((r) => r.id).sort()).toEqual(
      [ci.api_key_id, other.api_key_id, sameClient.api_key_id, ENV_KEY].sort(),
    );
    const secrets = [ci, other, sameClient].map((k) => k.api_key_secret).concat(S1, S2);
    for (const row of rows) expect(row.secret_hash).toMatch(/^scrypt\$/);
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      for (const secret of secrets) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });

  it('keys list prints a name with a line break quoted, on the key’s own line', async () => {
    const name = 'evil\nFAKEKEY  ci  client=x (default)  active';
    const made = JSON.parse(await ok(['keys', 'create', '--name', name, '--json']));
    const list = await ok(['keys', 'list']);
    expect(list).not.toMatch(/^FAKEKEY/m);
    const line = list.split('\n').find((l) => l.startsWith(made.api_key_id));
    expect(line).toContain(JSON.stringify(name));
  });

  it('refuses a bad configuration, naming every bad key', async () => {
    const [fromEnv, fromFlags] = await Promise.all([
      cli(['serve'], { PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' }),
      cli(['keys', 'list', '--port', 'abc', '--log-level', 'loud', '--database-url', 'mysql://x']),
    ]);
    for (const run of [fromEnv, fromFlags]) {
      expect(run.code).not.toBe(0);
      for (const key of ['PORT', 'LOG_LEVEL', 'DATABASE_URL']) expect(run.stderr).toContain(key);
      expect(run.stdout).not.toContain('running at');
    }
  });
});
