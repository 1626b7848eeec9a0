import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';
import { freePort } from './helpers/net.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INVITES = 2000;
const CONCURRENCY = 16;
const KEY = { id: 'crash-test', secret: 'crash-test-secret-0123456789' };

const dir = mkdtempSync(join(tmpdir(), 'invitekit-crash-'));
const children = new Set<ChildProcess>();
let smtp: SmtpSink | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await smtp?.down();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `node bin/invitekit.js <args>` and resolves once it prints `ready`. */
async function start(args: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  // Only the configuration given here, whatever the outer shell exports.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !(CONFIG_KEYS as string[]).includes(k)),
  );
  const child = spawn(process.execPath, ['bin/invitekit.js', ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(ready)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${err}`)));
  });
  return child;
}

async function until(check: () => boolean, what: string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('loses no invite when a worker is killed mid-burst, and resends at most what it held', {
  timeout: 120_000,
}, async () => {
  smtp = await smtpSink({ delayMs: 5, parse: false });
  const file = join(dir, 'invitekit.db');
  const port = await freePort();
  const env = {
    DATABASE_URL: `sqlite:${file}`,
    SMTP_URL: smtp.url,
    INVITEKIT_API_KEY_ID: KEY.id,
    INVITEKIT_API_KEY_SECRET: KEY.secret,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    WORKER_POLL_MS: '50',
    // A dead worker's jobs go to the next one after this, instead of the default minute.
    WORKER_LEASE_SECONDS: '5',
  };
  const api = `http://127.0.0.1:${port}`;
  await start(['serve', '--no-worker'], { ...env, PORT: String(port), HOST: '127.0.0.1' }, 'running at');
  const first = await start(['worker'], env, 'running on');

  const auth = `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`;
  const deliveryIds: string[] = [];
  let next = 0;
  const post = async () => {
    while (next < INVITES) {
      const n = next++;
      const res = await fetch(`${api}/v2/invites`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ first_name: 'R', last_name: String(n), email: `r${n}@example.com` }),
      });
      const body = (await res.json()) as { deliveries: { id: string }[] };
      expect(res.status).toBe(200);
      deliveryIds.push(body.deliveries[0]!.id);
    }
  };
  const posting = Promise.all(Array.from({ length: 20 }, post));
  // Awaited below; a failed POST must not surface as an unhandled rejection first.
  posting.catch(() => {});

  await until(() => smtp!.byMessageId.size >= 300, 'the first few hundred messages');
  const exited = new Promise((r) => first.once('exit', r));
  first.kill('SIGKILL');
  await exited;
  const db = new Database(file, { readonly: true });
  const count = (where: string) =>
    (db.prepare(`select count(*) as n from jobs where ${where}`).get() as { n: number }).n;
  const heldAtKill = count("status = 'running'");
  expect(heldAtKill).toBeLessThanOrEqual(CONCURRENCY);
  // The kill left work behind for the next worker, or this proves nothing.
  expect(count("status != 'done'")).toBeGreaterThan(heldAtKill);

  await start(['worker'], env, 'running on');
  await posting;
  await until(() => count("status != 'done'") === 0 && count('1 = 1') === INVITES, 'every job done');
  db.close();

  expect(deliveryIds).toHaveLength(INVITES);
  const sent = smtp.byMessageId;
  const missing = deliveryIds.filter((id) => !sent.has(`<${id}@invitekit>`));
  expect(missing).toEqual([]);
  expect(sent.size).toBe(INVITES);
  const duplicates = [...sent.values()].reduce((sum, n) => sum + n - 1, 0);
  expect(duplicates).toBeLessThanOrEqual(heldAtKill);
});
