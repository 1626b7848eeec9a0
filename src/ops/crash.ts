import { type Config, secretsOf } from '../config.ts';
import type { Deps } from '../deps.ts';

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/**
 * An error's text (its stack when it has one) with every credential of `config` replaced:
 * the user and password of any URL and the value of every secret setting.
 */
export function clearedText(err: unknown, config: Partial<Config> | null): string {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  let line = text.replace(URL_CREDENTIALS, '$1***@');
  for (const secret of config ? secretsOf(config) : []) line = line.replaceAll(secret, '[redacted]');
  return line;
}

/**
 * What ends a running server or worker when an error reaches no handler (an exception thrown
 * from a callback, a rejection nobody awaited): one fatal log line with the error's text,
 * cleared of credentials, then `exit(code)`. Node's own ending prints the raw stack, which
 * a log shipper cuts into lines and which may carry a password from a URL.
 */
export function crashHandler(
  log: Deps['log'],
  describe: (err: unknown) => string,
  exit: (code: number) => void,
  code: number,
): (err: unknown, origin: string) => void {
  let crashed = false;
  return (err, origin) => {
    // An error while the first is being reported must not report over it.
    if (crashed) return;
    crashed = true;
    const error = describe(err);
    const first = error.split('\n', 1)[0] ?? '';
    const message = `invitekit stopped: ${origin === 'unhandledRejection' ? 'a rejection' : 'an error'} nothing handled: ${first}`;
    let logged = false;
    if (log.isLevelEnabled('fatal')) {
      try {
        log.fatal({ origin, error }, message);
        logged = true;
      } catch {
        // Its file cannot be written (a full disk).
      }
    }
    // A silent log, or one that cannot be written: the same line goes to stderr.
    if (!logged) {
      const line = {
        level: 60,
        time: new Date().toISOString(),
        pid: process.pid,
        origin,
        error,
        msg: message,
      };
      process.stderr.write(`${JSON.stringify(line)}\n`);
    }
    exit(code);
  };
}
