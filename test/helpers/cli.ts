import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CONFIG_KEYS } from '../../src/config.ts';
import { freePort } from './net.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The CLI must see only the configuration a test gives it, whatever the outer shell exports.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !(CONFIG_KEYS as string[]).includes(k)),
);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Server {
  url: string;
  banner: string;
  stop(): Promise<void>;
  /** Kills at once, as a crash or an OOM killer would. */
  kill(): Promise<void>;
  /** Everything it wrote so far, stdout and stderr. */
  seen(): string;
  /** Its JSON log lines so far (or, with `logFile`, those in the file). */
  logLines(): LogLine[];
  /** Its exit code once it has exited (null after a signal). */
  exited: Promise<number | null>;
}

export interface Process {
  pid: number;
  output: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** Kills at once, as a crash or an OOM killer would. */
  kill(): Promise<void>;
  seen(): string;
  logLines(): LogLine[];
  exited: Promise<number | null>;
}

export type LogLine = Record<string, unknown> & { level: number; time: string; msg: string };

/** The JSON lines in a process's output; anything else (a TTY banner, a stack) is left out. */
export function logLinesOf(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // A line cut short by a kill is not a line.
    }
  }
  return out;
}

export interface LaunchOptions {
  /** Sends stdout and stderr to this file, as a service manager would, instead of a pipe. */
  logFile?: string;
  /** Runs it on a pseudo-terminal (util-linux `script`), as a person at a shell would. */
  terminal?: boolean;
}

/**
 * Runs `node bin/invitekit.js` from the project root, as a user would, against one database:
 * a SQLite file path or a DATABASE_URL.
 */
export function cliFor(database: string) {
  const url = /^(sqlite:|postgres(ql)?:\/\/)/.test(database) ? database : `sqlite:${database}`;
  const baseEnv = { ...cleanEnv, DATABASE_URL: url, LOG_LEVEL: 'warn' };
  const running = new Set<ChildProcess>();
  const start = (args: string[], env: Record<string, string>) =>
    spawn(process.execPath, ['bin/invitekit.js', ...args], { cwd: ROOT, env: { ...baseEnv, ...env } });

  function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = start(args, env);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Runs a command that must succeed; its stdout. */
  async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
    const run = await cli(args, env);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    return run.stdout;
  }

  /** Starts a long-running command and resolves once its stdout shows `marker`. */
  async function launch(
    args: string[],
    marker: string,
    env: Record<string, string>,
    opts: LaunchOptions = {},
  ): Promise<Process> {
    let child: ChildProcess;
    if (opts.logFile) {
      const fd = openSync(opts.logFile, 'a');
      child = spawn(process.execPath, ['bin/invitekit.js', ...args], {
        cwd: ROOT,
        env: { ...baseEnv, ...env },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
    } else if (opts.terminal) {
      const command = [process.execPath, 'bin/invitekit.js', ...args].map((a) => `'${a}'`).join(' ');
      child = spawn('/usr/bin/script', ['-qefc', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...baseEnv, ...env },
      });
    } else child = start(args, env);
    running.add(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    const file = opts.logFile;
    const seen = () => (file ? readFileSync(file, 'utf8') : out + err);
    child.stderr?.on('data', (d) => (err += d));
    child.stdout?.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if ((file ? seen() : out).includes(marker)) {
          clearInterval(poll);
          resolve();
        }
      };
      const poll = setInterval(check, 50);
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearInterval(poll);
        reject(new Error(`${args.join(' ')} exited with ${code}: ${err}${file ? seen() : ''}`));
      });
    });
    const end = (signal: NodeJS.Signals) => async () => {
      child.kill(signal);
      await exited;
      running.delete(child);
    };
    return {
      pid: child.pid ?? 0,
      output: file ? seen() : out,
      stop: end('SIGTERM'),
      kill: end('SIGKILL'),
      seen,
      logLines: () => logLinesOf(seen()),
      exited,
    };
  }

  /** Starts `invitekit serve` (with `args`, e.g. --no-worker) on a free port, once it prints its banner. */
  async function serve(
    env: Record<string, string> = {},
    args: string[] = [],
    opts: LaunchOptions = {},
  ): Promise<Server> {
    const port = await freePort();
    const p = await launch(
      ['serve', ...args],
      'running at',
      { PORT: String(port), HOST: '127.0.0.1', ...env },
      opts,
    );
    return {
      url: `http://127.0.0.1:${port}`,
      banner: p.output,
      stop: p.stop,
      kill: p.kill,
      seen: p.seen,
      logLines: p.logLines,
      exited: p.exited,
    };
  }

  /** Starts `invitekit worker`, once it says it runs. */
  const worker = (env: Record<string, string> = {}, opts: LaunchOptions = {}) =>
    launch(['worker'], 'running on', env, opts);

  /** Kills servers a failed test left running. */
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
  };

  return { cli, ok, serve, worker, killAll };
}

/** A start that failed as a startup failure must: its exit code and its one line on stderr. */
export function startFailure(run: Run): { code: number | null; line: string } {
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stdout).not.toContain('running at');
  return { code: run.code, line: lines[0] ?? '' };
}
