import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_delivery_queue.ts';
import * as m0003 from './0003_link.ts';

/** Every migration, in order. New ones are appended, never edited once released. */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_delivery_queue': m0002,
  '0003_link': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
