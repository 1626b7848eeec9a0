import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../src/db/migrations/index.ts';
import { postgresAdminUrl } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';
import { createDatabase } from './helpers/postgres.ts';

// The advisory lock Kysely's Migrator takes on PostgreSQL (kysely/dialect/postgres/postgres-adapter).
const MIGRATION_LOCK = '3853314791062309107';

let database: Awaited<ReturnType<typeof createDatabase>>;
let client: pg.Client;
beforeAll(async () => {
  database = await createDatabase(postgresAdminUrl()!);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const waitingForLock = async () =>
  Number(
    (
      await client.query(
        `select count(*) from pg_locks l join pg_stat_activity a using (pid)
          where l.locktype = 'advisory' and not l.granted and a.datname = current_database()`,
      )
    ).rows[0].count,
  );

describe('invitekit migrate on PostgreSQL', () => {
  it('lets three processes migrate one new database at once: one applies, the others wait and find it done', async () => {
    const { cli } = cliFor(database.url);
    // Holding the migration lock makes the three reach it together, whatever their start-up times.
    await client.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    const runs = [cli(['migrate']), cli(['migrate']), cli(['migrate'])];
    let exited = 0;
    for (const run of runs) void run.then(() => exited++);
    while (exited === 0 && (await waitingForLock()) < 3) await new Promise((r) => setTimeout(r, 50));
    expect(exited, 'a migrate exited before reaching the lock').toBe(0);
    await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    const done = await Promise.all(runs);

    for (const run of done) expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    const names = Object.keys(await migrationProvider.getMigrations());
    const outputs = done.map((r) => r.stdout.trim()).sort();
    expect(outputs).toEqual([
      `Applied: ${names.join(', ')}`,
      'Database is up to date.',
      'Database is up to date.',
    ]);
    const applied = await client.query('select name from kysely_migration order by name');
    expect(applied.rows.map((r) => r.name)).toEqual(names);
    const invites = await client.query(`select count(*) from pg_class where relname = 'invites'`);
    expect(Number(invites.rows[0].count)).toBe(1);
  });
});
