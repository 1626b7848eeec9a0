import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The integration suite runs twice: on SQLite files and on a PostgreSQL that the run starts
 * itself (test/global-setup.ts). Left out of `postgres`: tests that drive SQLite files
 * directly (the CLI, the crash test) and the browser test, whose subject is the pages.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Test files often wait on the database and on child processes: on a 2-core machine two run
    // side by side (vitest's default there is one; three measured slower, the CPU being full).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker keeps the modules it loaded from one test file to the next: each file starts its
    // own app on its own database, so nothing of one file's state reaches another, and loading
    // the app's module graph once per worker instead of once per file saves a fifth of the run.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        // The pure rules (rendering, state machines, cursors, rate-limit arithmetic): no
        // database, no processes; `npm run test:unit` runs them alone in a few seconds.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/**/*.postgres.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          // The API fuzz runs once (30 s, sqlite project): its subject is the HTTP surface.
          exclude: [
            'test/unit/**',
            // Faults only SQLite has: another process's write lock, a full file.
            'test/**/*.sqlite.test.ts',
            // The browser tests: their subject is the pages, which do not depend on the database.
            'test/**/*.e2e.test.ts',
            'test/cli.test.ts',
            // Startup failures and log lines of processes on a SQLite file (PostgreSQL's own are
            // in ops.startup.postgres), and log lines, which do not depend on the database.
            'test/ops.startup.test.ts',
            'test/ops.logs.test.ts',
            'test/delivery.crash.test.ts',
            'test/console.cli.test.ts',
            'test/fuzz.api.test.ts',
            'test/fuzz.pages.test.ts',
          ],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
