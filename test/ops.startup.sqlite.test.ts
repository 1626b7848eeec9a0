import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cliFor, startFailure } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-unopenable-'));
const { cli, killAll } = cliFor(join(dir, 'unused.db'));
// Each case starts real processes, which take seconds each on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('a SQLite file that cannot be opened', () => {
  it('under a path whose directory is a file: serve, worker and migrate exit 7 with one line naming DATABASE_URL', async () => {
    // A file where the database's directory should be: no user, root included, can create it.
    const notADirectory = join(dir, 'plain-file');
    writeFileSync(notADirectory, 'not a directory\n');
    const url = `sqlite:${join(notADirectory, 'invitekit.db')}`;
    for (const command of ['serve', 'worker', 'migrate']) {
      const { code, line } = startFailure(await cli([command], { DATABASE_URL: url }));
      expect(code, command).toBe(7);
      expect(line).toBe(
        `invitekit: cannot open the SQLite database ${join(notADirectory, 'invitekit.db')} (${notADirectory} is not a directory): ` +
          'point DATABASE_URL (--database-url) at a SQLite file in a directory this user can write, or make that directory writable',
      );
    }
  });

  it('a file that is not a SQLite database: exit 7, naming it', async () => {
    const notSqlite = join(dir, 'notes.txt');
    writeFileSync(notSqlite, 'These are somebody’s notes, not a database.\n'.repeat(200));
    const { code, line } = startFailure(await cli(['keys', 'list'], { DATABASE_URL: `sqlite:${notSqlite}` }));
    expect(code).toBe(7);
    expect(line).toContain(`cannot open the SQLite database ${notSqlite} (SQLITE_NOTADB)`);
    expect(line).toContain('DATABASE_URL (--database-url)');
  });
});
