import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, inviteBody, postgresAdminUrl } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';

const onPostgres = Boolean(postgresAdminUrl());
const dir = mkdtempSync(join(tmpdir(), 'invitekit-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = { id: 'backup-test-key', secret: 'backup-test-secret-0123456789' };
const auth = `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`;

describe('invitekit backup FILE', () => {
  it.runIf(!onPostgres)(
    'copies a running database during a write burst; the copy holds every invite answered before it began',
    async () => {
      const file = join(dir, 'live.db');
      const { cli, serve, killAll } = cliFor(file);
      const server = await serve({ INVITEKIT_API_KEY_ID: KEY.id, INVITEKIT_API_KEY_SECRET: KEY.secret });
      try {
        // Sends answered, each with whether its answer came before the backup started.
        const answered: { id: string; at: number }[] = [];
        let stop = false;
        const sender = async (n: number) => {
          for (let i = 0; !stop; i++) {
            const res = await fetch(`${server.url}/v2/invites`, {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/json' },
              body: JSON.stringify(inviteBody({ email: `burst-${n}-${i}@example.com` })),
            });
            expect(res.status).toBe(200);
            const body = (await res.json()) as { id: string };
            answered.push({ id: body.id, at: performance.now() });
          }
        };
        const senders = [0, 1, 2, 3].map(sender);
        while (answered.length < 100) await new Promise((r) => setTimeout(r, 20));

        const began = performance.now();
        const run = await cli(['backup', join(dir, 'copy.db')]);
        stop = true;
        await Promise.all(senders);

        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^Backed up .*live\.db to .*copy\.db \(\d+ pages\)\.\n$/);
        // Sends were under way when the copy began, and were answered.
        expect(answered.some((a) => a.at > began)).toBe(true);

        const copy = new Database(join(dir, 'copy.db'));
        try {
          expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
          const held = new Set(
            (copy.prepare('select id from invites').all() as { id: string }[]).map((r) => r.id),
          );
          const earlier = answeredBefore(answered, began);
          expect(earlier.length).toBeGreaterThanOrEqual(100);
          expect(earlier.filter((id) => !held.has(id))).toEqual([]);
          // Each invite came with its user and its deliveries' jobs: the copy is one moment's database.
          const orphans = copy
            .prepare(
              'select count(*) as n from invites i left join users u on u.id = i.user_id where u.id is null',
            )
            .get() as { n: number };
          expect(orphans.n).toBe(0);
        } finally {
          copy.close();
        }

        // The copy is a database invitekit serves: the restore the README describes.
        await server.stop();
        const restored = await cliFor(join(dir, 'copy.db')).serve({
          INVITEKIT_API_KEY_ID: KEY.id,
          INVITEKIT_API_KEY_SECRET: KEY.secret,
        });
        try {
          const first = answeredBefore(answered, began)[0];
          const res = await fetch(`${restored.url}/v2/invites/${first}`, {
            headers: { authorization: auth },
          });
          expect(res.status).toBe(200);
        } finally {
          await restored.stop();
        }
      } finally {
        killAll();
      }
    },
    120_000,
  );

  it('never overwrites a file, and says when there is no database', async () => {
    const missing = await cliFor(join(dir, 'nothing-here.db')).cli(['backup', join(dir, 'x.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^No SQLite database at .*nothing-here\.db \(DATABASE_URL\)\.\n$/);

    const existing = join(dir, 'taken.db');
    new Database(existing).close();
    const source = join(dir, 'source.db');
    new Database(source).close();
    const taken = await cliFor(source).cli(['backup', existing]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/taken\.db exists; name a new file/);
  }, 60_000);

  it.runIf(onPostgres)(
    'on PostgreSQL, says to use pg_dump in one line and fails',
    async () => {
      const database = await freshDatabase();
      try {
        const run = await cliFor(database.url).cli(['backup', join(dir, 'pg.db')]);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^[^\n]*pg_dump[^\n]*\n$/);
        const password = new URL(database.url).password;
        if (password) expect(run.stderr).not.toContain(password);
      } finally {
        await database.drop();
      }
    },
    60_000,
  );
});

/** The ids answered before `began`. */
function answeredBefore(answered: { id: string; at: number }[], began: number): string[] {
  return answered.filter((a) => a.at < began).map((a) => a.id);
}
