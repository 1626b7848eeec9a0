import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { sendInvite } from '../src/invites/invites.service.ts';
import { freePort, startProcess } from './lib.ts';

/**
 * Starts bench/floor.ts: reading from `readDb` (the seeded file), writing into a fresh
 * file of its own whose one invite, sent through the real service, is the template every
 * floor send copies.
 */
export async function startFloor(
  dir: string,
  readDb: string,
): Promise<{ base: string; process: ChildProcess }> {
  const writeDb = join(dir, 'floor.db');
  const deps = await createDeps(loadConfig({ DATABASE_URL: `sqlite:${writeDb}`, LOG_LEVEL: 'warn' }));
  const key = await createKey(deps, { name: 'floor' });
  const template = await sendInvite(deps, key.client_id, {
    first_name: 'Bench',
    last_name: 'Mark',
    email: 'bench@example.com',
  });
  await closeDeps(deps);
  const port = await freePort();
  const child = await startProcess(
    ['--import', 'tsx', 'bench/floor.ts'],
    { PORT: String(port), READ_DB: readDb, WRITE_DB: writeDb, TEMPLATE_INVITE: template.id },
    'ready',
  );
  return { base: `http://127.0.0.1:${port}`, process: child };
}
