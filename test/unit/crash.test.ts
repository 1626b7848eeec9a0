import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/bootstrap.ts';
import { loadConfig } from '../../src/config.ts';
import { clearedText, crashHandler } from '../../src/ops/crash.ts';

// The handler the processes install, with the logger and the secret-clearing they use; a real
// worker meeting such an error is in ops.crash.test.ts.
const SECRETS = {
  db: 'SeKrEt-dbpass-71c3',
  smtp: 'SeKrEt-smtp-2b8e4f',
  token: 'SeKrEt-usertoken-0a1b2c3d4e5f6a7b8c9d',
  metrics: 'SeKrEt-metrics-9e8d7c',
};
const config = loadConfig({
  DATABASE_URL: `postgres://invitekit:${SECRETS.db}@db.internal:5432/invitekit`,
  SMTP_URL: `smtp://mailer:${SECRETS.smtp}@smtp.internal:587`,
  USER_TOKEN_SECRET: SECRETS.token,
  METRICS_TOKEN: SECRETS.metrics,
  LOG_LEVEL: 'warn',
});

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
}

/** An error as a dependency might word it, carrying every credential. */
function leakyError(): Error {
  return new Error(
    `connect to ${config.DATABASE_URL} and ${config.SMTP_URL} failed; token ${SECRETS.token} metrics ${SECRETS.metrics}`,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('an error nothing handled, in a running process', () => {
  it('is one fatal JSON line without any credential, then exit 1, once', () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const handle = crashHandler(
      createLogger(config, sink(lines)),
      (err) => clearedText(err, config),
      (code) => exits.push(code),
      1,
    );
    handle(leakyError(), 'uncaughtException');
    // A second error while the process ends adds nothing.
    handle(new Error('and another'), 'unhandledRejection');

    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '');
    expect(line).toMatchObject({ level: 60, origin: 'uncaughtException' });
    expect(line.msg).toMatch(
      /^invitekit stopped: an error nothing handled: Error: connect to postgres:\/\/\*\*\*@db/,
    );
    // The stack stays in the line, as one field, for whoever debugs it.
    expect(line.error).toMatch(/\n {4}at /);
    expect(exits).toEqual([1]);
    for (const secret of Object.values(SECRETS)) expect(lines[0]).not.toContain(secret);
  });

  it('names a rejection as such', () => {
    const lines: string[] = [];
    const handle = crashHandler(createLogger(config, sink(lines)), String, () => {}, 1);
    handle(new Error('nobody awaited me'), 'unhandledRejection');
    expect(JSON.parse(lines[0] ?? '').msg).toBe(
      'invitekit stopped: a rejection nothing handled: Error: nobody awaited me',
    );
  });

  it('with LOG_LEVEL=silent, or a log that cannot be written, writes the same line on stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exits: number[] = [];
    const silent = createLogger({ ...config, LOG_LEVEL: 'silent' }, sink([]));
    crashHandler(
      silent,
      (err) => clearedText(err, config),
      (c) => exits.push(c),
      1,
    )(leakyError(), 'uncaughtException');
    // As pino's file destination fails on a full disk: the write throws.
    const broken = createLogger(config, {
      write() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    crashHandler(
      broken,
      (err) => clearedText(err, config),
      (c) => exits.push(c),
      1,
    )(leakyError(), 'uncaughtException');
    const written = stderr.mock.calls.map((c) => String(c[0]));
    expect(written).toHaveLength(2);
    for (const text of written) {
      expect(text.endsWith('\n') && text.indexOf('\n') === text.length - 1).toBe(true);
      expect(JSON.parse(text)).toMatchObject({
        level: 60,
        origin: 'uncaughtException',
        msg: expect.stringMatching(
          /^invitekit stopped: an error nothing handled: Error: connect to postgres:\/\/\*\*\*@/,
        ),
      });
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    }
    expect(exits).toEqual([1, 1]);
  });
});
