import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basic, freshDatabase, inviteBody } from './helpers/app.ts';
import { cliFor, type LogLine } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

// Several real processes, one after another, on a loaded machine.
vi.setConfig({ testTimeout: 300_000 });

const KEY_ID = 'ops-secrets';
const SECRETS = {
  INVITEKIT_API_KEY_SECRET: 'SeKrEt-apikey-5b1e0c7d9a',
  USER_TOKEN_SECRET: 'SeKrEt-usertoken-8f2d4c6b0a1e3d5f7a9c',
  TWILIO_AUTH_TOKEN: 'SeKrEt-twilio-3c5e7a9b1d',
  METRICS_TOKEN: 'SeKrEt-metrics-6a8c0e2f4b',
  SMTP_PASSWORD: 'SeKrEt-smtp-9d1f3b5c7e',
  TWILIO_URL_PASSWORD: 'SeKrEt-twapi-2e4a6c8d0f',
};

let database: Awaited<ReturnType<typeof freshDatabase>>;
let cli: ReturnType<typeof cliFor>;
let sink: SmtpSink;
let env: Record<string, string>;
/** Every secret in play, with the database's own password when it has one. */
let secrets: string[];

beforeAll(async () => {
  database = await freshDatabase();
  cli = cliFor(database.url);
  sink = await smtpSink();
  const deadPort = await freePort();
  env = {
    LOG_LEVEL: 'trace',
    INVITEKIT_API_KEY_ID: KEY_ID,
    INVITEKIT_API_KEY_SECRET: SECRETS.INVITEKIT_API_KEY_SECRET,
    USER_TOKEN_SECRET: SECRETS.USER_TOKEN_SECRET,
    METRICS_TOKEN: SECRETS.METRICS_TOKEN,
    SMTP_URL: `smtp://mailer:${SECRETS.SMTP_PASSWORD}@127.0.0.1:${sink.port}`,
    EMAIL_FROM: 'Acme <invites@acme.example>',
    TWILIO_ACCOUNT_SID: `AC${'0f'.repeat(16)}`,
    TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: `http://twilio:${SECRETS.TWILIO_URL_PASSWORD}@127.0.0.1:${deadPort}`,
    SANDBOX: 'true',
  };
  const dbPassword = decodeURIComponent(new URL(database.url.replace(/^sqlite:/, 'file:')).password);
  secrets = [...Object.values(SECRETS), ...(dbPassword ? [dbPassword] : [])];
});

afterAll(async () => {
  cli.killAll();
  await sink.down();
  await database.drop();
});

/** Waits for a log line that `match` accepts. */
async function waitFor(lines: () => LogLine[], match: (l: LogLine) => boolean): Promise<void> {
  const until = Date.now() + 120_000;
  while (!lines().some(match)) {
    if (Date.now() > until) throw new Error('the expected log line never came');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('no credential ever appears in output', () => {
  it('serve, worker, keys, members and a configuration error, run with every secret setting set', async () => {
    const outputs: Record<string, string> = {};
    const auth = {
      authorization: basic({ api_key_id: KEY_ID, api_key_secret: SECRETS.INVITEKIT_API_KEY_SECRET }),
    };

    const server = await cli.serve(env);
    const bodies: string[] = [];
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` },
      });
      bodies.push(await res.text());
    }
    const sent = await fetch(`${server.url}/v2/invites`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(inviteBody()),
    });
    expect(sent.status).toBe(200);
    bodies.push(await sent.text());
    const refused = await fetch(`${server.url}/v2/invites`, {
      headers: {
        authorization: basic({ api_key_id: KEY_ID, api_key_secret: `${SECRETS.INVITEKIT_API_KEY_SECRET}x` }),
      },
    });
    expect(refused.status).toBe(401);
    bodies.push(await refused.text());
    // Both channels fail: the SMTP server will not take the login, the Twilio URL is dead.
    await waitFor(server.logLines, (l) => l.kind === 'delivery.send' && l.channel === 'smtp');
    await waitFor(server.logLines, (l) => l.kind === 'delivery.send' && l.channel === 'twilio');
    await server.stop();
    outputs.serve = server.seen();
    outputs.bodies = bodies.join('\n');

    const worker = await cli.worker(env);
    await worker.stop();
    outputs.worker = worker.seen();

    // Members first, while the key from the environment's client is the only client.
    for (const args of [
      ['members', 'create', '--email', 'root@acme.example', '--role', 'admin'],
      ['members', 'list'],
      ['keys', 'create', '--name', 'ops'],
      ['keys', 'create', '--name', 'ops-json', '--json'],
      ['keys', 'list'],
    ]) {
      const run = await cli.cli(args, env);
      outputs[args.join(' ')] = run.stdout + run.stderr;
    }

    // Bad values of secret settings, and an unreachable database with a password in its URL.
    const bad = await cli.cli(['serve'], {
      ...env,
      USER_TOKEN_SECRET: 'SeKrEt-short-1a2b',
      INVITEKIT_API_KEY_SECRET: 'SeKrEt-tiny',
    });
    expect(bad.code).toBe(2);
    outputs['bad config'] = bad.stdout + bad.stderr;
    const unreachable = await cli.cli(['keys', 'list'], {
      ...env,
      DATABASE_URL: `postgres://invitekit:SeKrEt-dbpass-4d6f@127.0.0.1:${await freePort()}/invitekit`,
      DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
    });
    expect(unreachable.code).toBe(4);
    outputs.unreachable = unreachable.stdout + unreachable.stderr;

    const all = [...secrets, 'SeKrEt-short-1a2b', 'SeKrEt-tiny', 'SeKrEt-dbpass-4d6f'];
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(0);
      for (const secret of all) {
        expect(text.includes(secret), `${secret} in the output of ${name}`).toBe(false);
        expect(text.includes(encodeURIComponent(secret)), `${secret} in the output of ${name}`).toBe(false);
      }
    }
    // The output is still useful: it names what it ran on.
    expect(outputs.serve).toContain('running at');
    expect(outputs['keys create --name ops']).toMatch(/database: +(SQLite|PostgreSQL)/);
  });
});
