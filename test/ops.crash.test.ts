import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { freePort } from './helpers/net.ts';

// A real worker process on a loaded machine.
vi.setConfig({ testTimeout: 240_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRETS = {
  INVITEKIT_API_KEY_SECRET: 'SeKrEt-apikey-61d0f2a4c8',
  USER_TOKEN_SECRET: 'SeKrEt-usertoken-3e5a7c9b1d2f4a6c8e0b',
  TWILIO_AUTH_TOKEN: 'SeKrEt-twilio-8c0e2a4b6d',
  METRICS_TOKEN: 'SeKrEt-metrics-1f3b5d7a9c',
  SMTP_PASSWORD: 'SeKrEt-smtp-4a6c8e0b2d',
};

let t: TestApp;
let dir: string;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'invitekit-crash-'));
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an error nothing handles in a running worker', () => {
  it('its log file can grow no more: one JSON line on stderr without any credential, exit 1, no stack', async () => {
    const url = t.deps.config.DATABASE_URL;
    const dbPassword = decodeURIComponent(new URL(url.replace(/^sqlite:/, 'file:')).password);
    const secrets = [...Object.values(SECRETS), ...(dbPassword ? [dbPassword] : [])];
    const env = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !(CONFIG_KEYS as string[]).includes(k)),
      ),
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      WORKER_POLL_MS: '100',
      INVITEKIT_API_KEY_ID: 'ops-crash',
      INVITEKIT_API_KEY_SECRET: SECRETS.INVITEKIT_API_KEY_SECRET,
      USER_TOKEN_SECRET: SECRETS.USER_TOKEN_SECRET,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      TWILIO_ACCOUNT_SID: `AC${'0f'.repeat(16)}`,
      TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      // Nothing listens there: the send fails and is logged for a retry.
      SMTP_URL: `smtp://mailer:${SECRETS.SMTP_PASSWORD}@127.0.0.1:${await freePort()}`,
    };
    // stdout to a file, as a service manager would; stderr apart, as journald keeps it.
    const logFile = join(dir, 'worker.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, ['bin/invitekit.js', 'worker'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', fd, 'pipe'],
    });
    worker = child;
    closeSync(fd);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await expect.poll(() => readFileSync(logFile, 'utf8'), { timeout: 120_000 }).toContain('running on');

    // The disk under the log fills: the file can grow no more, and the next line's write fails.
    execFileSync('/usr/bin/prlimit', ['--pid', String(child.pid), `--fsize=${statSync(logFile).size}`]);
    const sent = await t.request('POST', '/v2/invites', { body: inviteBody() });
    expect(sent.status).toBe(200);

    expect(await exited).toBe(1);
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines, stderr).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '');
    expect(line).toMatchObject({
      level: 60,
      msg: expect.stringMatching(/^invitekit stopped: an? (error|rejection) nothing handled: Error: EFBIG/),
    });
    const output = stderr + readFileSync(logFile, 'utf8');
    for (const secret of secrets) {
      expect(output.includes(secret), secret).toBe(false);
      expect(output.includes(encodeURIComponent(secret)), secret).toBe(false);
    }
  });
});
