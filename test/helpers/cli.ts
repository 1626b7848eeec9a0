import { type ChildProcess, spawn } from 'node:child_process';
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
}

export interface Process {
  pid: number;
  output: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** Kills at once, as a crash or an OOM killer would. */
  kill(): Promise<void>;
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
  async function launch(args: string[], marker: string, env: Record<string, string>): Promise<Process> {
    const child = start(args, env);
    running.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes(marker)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`)));
    });
    const end = (signal: NodeJS.Signals) => async () => {
      child.kill(signal);
      await exited;
      running.delete(child);
    };
    return { pid: child.pid!, output: out, stop: end('SIGTERM'), kill: end('SIGKILL') };
  }

  /** Starts `invitekit serve` (with `args`, e.g. --no-worker) on a free port, once it prints its banner. */
  async function serve(env: Record<string, string> = {}, args: string[] = []): Promise<Server> {
    const port = await freePort();
    const p = await launch(['serve', ...args], 'running at', {
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    });
    return { url: `http://127.0.0.1:${port}`, banner: p.output, stop: p.stop, kill: p.kill };
  }

  /** Starts `invitekit worker`, once it says it runs. */
  const worker = (env: Record<string, string> = {}) => launch(['worker'], 'running on', env);

  /** Kills servers a failed test left running. */
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
  };

  return { cli, ok, serve, worker, killAll };
}
