import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basic, freshDatabase, inviteBody } from './helpers/app.ts';
import { cliFor, type LogLine, logLinesOf, type Server } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

// Real processes on a loaded machine: starting one takes seconds, and a retry waits 10 s.
vi.setConfig({ testTimeout: 240_000 });

const KEY = { api_key_id: 'ops-logs', api_key_secret: 'ops-logs-secret-0123456789' };
const RECIPIENT = 'sarah.longfield@recipient.example';
const REFUSED = 'nobody-here@recipient.example';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const dir = mkdtempSync(join(tmpdir(), 'invitekit-ops-logs-'));
let database: Awaited<ReturnType<typeof freshDatabase>>;
let cli: ReturnType<typeof cliFor>;
let sink: SmtpSink;

beforeAll(async () => {
  database = await freshDatabase();
  cli = cliFor(database.url);
  sink = await smtpSink({
    rcpt: (address) => (address === REFUSED ? { code: 550, message: 'no such mailbox here' } : undefined),
  });
});

afterAll(async () => {
  cli.killAll();
  await sink.down();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  LOG_LEVEL: 'info',
  SMTP_URL: sink.url,
  EMAIL_FROM: 'Acme Invites <invites@acme.example>',
  INVITEKIT_API_KEY_ID: KEY.api_key_id,
  INVITEKIT_API_KEY_SECRET: KEY.api_key_secret,
  WEBHOOKS_ALLOW_PRIVATE: 'true',
});

const call = (server: Server, method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: basic(KEY), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

/** Waits, checking often, for a log line that `match` accepts; fails with the lines seen. */
async function lineMatching(lines: () => LogLine[], match: (l: LogLine) => boolean, ms = 120_000) {
  const until = Date.now() + ms;
  for (;;) {
    const found = lines().find(match);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no such line in:\n${JSON.stringify(lines(), null, 1)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('logs an operator can follow', () => {
  it('one line per send attempt: the retry while SMTP is down at warn, the send once it is up at info, a refusal at error; webhook attempts too; start, SIGTERM and exit', async () => {
    const server = await cli.serve(env());
    const start = server.logLines().find((l) => /running at/.test(l.msg));
    expect(start).toMatchObject({
      level: 30,
      mode: 'live',
      database_kind: database.url.startsWith('sqlite:') ? 'sqlite' : 'postgresql',
      channels: { email: 'smtp', sms: 'capture' },
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(start?.time).toMatch(ISO);

    // A receiver that is not there: its attempt fails, and is retried.
    const hookPort = await freePort();
    const hook = await call(server, 'POST', '/v2/webhooks', {
      name: 'crm',
      url: `http://127.0.0.1:${hookPort}/hook`,
      events: ['invites.sent'],
    });
    expect(hook.status).toBe(200);

    await sink.down();
    const sent = await call(
      server,
      'POST',
      '/v2/invites',
      inviteBody({ email: RECIPIENT, phone_number: '' }),
    );
    expect(sent.status).toBe(200);
    const invite = (await sent.json()) as { id: string };
    const mine = (l: LogLine) => l.kind === 'delivery.send' && l.invite === invite.id;

    const retry = await lineMatching(server.logLines, (l) => mine(l) && l.outcome === 'retry');
    expect(retry).toMatchObject({
      level: 40,
      attempt: 1,
      channel: 'smtp',
      job: expect.any(String),
      delivery: expect.any(String),
      error: expect.stringMatching(/ECONNREFUSED|connect/i),
      next_attempt_at: expect.stringMatching(ISO),
      duration_ms: expect.any(Number),
    });

    await sink.up();
    const done = await lineMatching(server.logLines, (l) => mine(l) && l.outcome === 'sent');
    expect(done).toMatchObject({
      level: 30,
      attempt: 2,
      channel: 'smtp',
      job: retry.job,
      delivery: retry.delivery,
      response: expect.stringMatching(/^250/),
      error: null,
    });
    expect(sink.rcpts).toContain(RECIPIENT);

    const refusedInvite = (await (
      await call(server, 'POST', '/v2/invites', inviteBody({ email: REFUSED, phone_number: '' }))
    ).json()) as { id: string };
    const gaveUp = await lineMatching(
      server.logLines,
      (l) => l.kind === 'delivery.send' && l.invite === refusedInvite.id && l.outcome === 'failed',
    );
    expect(gaveUp).toMatchObject({
      level: 50,
      attempt: 1,
      channel: 'smtp',
      error: expect.stringMatching(/550/),
    });

    const webhook = await lineMatching(
      server.logLines,
      (l) => l.kind === 'webhook.send' && l.outcome === 'retry',
    );
    expect(webhook).toMatchObject({
      level: 40,
      attempt: 1,
      delivery: expect.any(String),
      error: expect.any(String),
    });

    await server.stop();
    const all = server.logLines();
    expect(all.find((l) => l.signal === 'SIGTERM')).toMatchObject({ level: 30 });
    expect(all.at(-1)).toMatchObject({ level: 30, code: 0, msg: expect.stringMatching(/exited/) });
    for (const line of all) expect(line.time).toMatch(ISO);
    // Recipients' addresses never appear in full.
    expect(server.seen()).not.toContain(RECIPIENT);
    expect(server.seen()).not.toContain(REFUSED);
  });

  it('lines reach the file at once, and SIGKILL during a burst of sends loses no written line and no acknowledged invite', async () => {
    const logFile = join(dir, 'serve.log');
    const server = await cli.serve({ ...env(), SMTP_URL: '' }, ['--no-worker'], { logFile });
    const requestLines = () => logLinesOf(readFileSync(logFile, 'utf8')).filter((l) => l.msg === 'request');
    const idsIn = (lines: LogLine[]) => new Set(lines.map((l) => String(l.reqId)));
    const invites: string[] = [];
    const answer = async () => {
      const res = await call(server, 'POST', '/v2/invites', inviteBody({ phone_number: '' }));
      expect(res.status).toBe(200);
      invites.push(((await res.json()) as { id: string }).id);
      return String(res.headers.get('x-request-id'));
    };

    // A quiet server: once the answers are in, their lines are in the file, with no more traffic.
    const answered = await Promise.all(Array.from({ length: 20 }, answer));
    await lineMatching(requestLines, () => answered.every((id) => idsIn(requestLines()).has(id)), 30_000);

    // A burst on four connections, killed mid-way. A request's line is written just after its
    // answer goes out, so each connection's last answer may lack one; every earlier one has it.
    const perConnection: string[][] = [[], [], [], []];
    let total = 0;
    let killing: Promise<void> | null = null;
    let readerSaw = '';
    await Promise.all(
      perConnection.map(async (ids) => {
        while (!killing) {
          const id = await answer().catch(() => null);
          if (id === null || killing) break;
          ids.push(id);
          if (++total === 60) {
            readerSaw = readFileSync(logFile, 'utf8');
            killing = server.kill();
          }
        }
      }),
    );
    await killing;
    expect(await server.exited).toBeNull();

    const after = readFileSync(logFile, 'utf8');
    expect(after.startsWith(readerSaw)).toBe(true);
    const written = idsIn(requestLines());
    for (const ids of perConnection) {
      for (const id of ids.slice(0, -1)) expect(written.has(id), id).toBe(true);
    }
    // Nothing acknowledged is lost either: a new server has every invite it answered for.
    const again = await cli.serve({ ...env(), SMTP_URL: '' }, ['--no-worker']);
    for (const id of invites) expect((await call(again, 'GET', `/v2/invites/${id}`)).status, id).toBe(200);
    await again.stop();
    // Every line is whole: no line was cut by the kill.
    for (const line of after.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
