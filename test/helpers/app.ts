import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createKey } from '../../src/auth/keys.service.ts';
import { closeDeps, createDeps } from '../../src/bootstrap.ts';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { JOB_KINDS } from '../../src/job-kinds.ts';
import { type Clock, fixedClock } from '../../src/lib/clock.ts';
import { Worker } from '../../src/queue/runner.ts';
import { OpenApiChecker } from './openapi.ts';
import { createDatabase } from './postgres.ts';

export const PUBLIC_URL = 'http://invitekit.test';

export interface Credentials {
  api_key_id: string;
  api_key_secret: string;
  client_id: string;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, with no JSON encoding. */
  payload?: string;
  headers?: Record<string, string>;
  /** Credentials to use; `null` sends none. Defaults to the app's first key. */
  auth?: Credentials | null;
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  key: Credentials;
  clock: ReturnType<typeof fixedClock>;
  request<T = any>(method: string, url: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  newKey(opts?: { clientId?: string }): Promise<Credentials>;
  /** Runs the delivery worker until no job is due (the clock decides what is due). */
  drain(): Promise<void>;
  worker: Worker;
  close(): Promise<void>;
}

export function basic(key: Pick<Credentials, 'api_key_id' | 'api_key_secret'>): string {
  return `Basic ${Buffer.from(`${key.api_key_id}:${key.api_key_secret}`).toString('base64')}`;
}

/**
 * The PostgreSQL server of this run, when the suite runs for PostgreSQL (the `postgres`
 * project); none outside vitest (scripts/screenshots.ts).
 */
export function postgresAdminUrl(): string | undefined {
  if (!process.env.VITEST) return undefined;
  return inject('postgresAdminUrl') as string | undefined;
}

/**
 * A fresh database for one test file: a SQLite file, or a new database on the run's
 * PostgreSQL in the `postgres` project. `drop` deletes it.
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = postgresAdminUrl();
  if (adminUrl) return createDatabase(adminUrl);
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-test-'));
  return {
    url: `sqlite:${join(dir, 'test.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The real app on a fresh database, with one API key. Every response is checked
 * against the OpenAPI document the app serves.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { clock?: Clock } = {},
): Promise<TestApp> {
  const database = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    // Suites send thousands of requests inside one minute of their movable clock; the rate
    // limit has its own tests, which set it.
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  const clock = fixedClock(new Date('2026-01-15T12:00:00.000Z'));
  const deps = await createDeps(config, { clock: opts.clock ?? clock });
  const app = await buildApp(deps);
  await app.ready();
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const checker = new OpenApiChecker(doc);
  const key = await createKey(deps, { name: 'test' });
  const worker = new Worker(deps, JOB_KINDS, { concurrency: 8, pollMs: 1000 });

  return {
    app,
    deps,
    key,
    clock,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const auth = o.auth === undefined ? key : o.auth;
      if (auth) headers.authorization = basic(auth);
      let payload = o.payload;
      if (o.body !== undefined) {
        payload = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({ method: method as 'GET', url, headers, payload });
      const raw = res.body;
      const isJson = String(res.headers['content-type'] ?? '').includes('application/json');
      const body = isJson && raw ? JSON.parse(raw) : raw;
      if (url.startsWith('/v2/')) checker.check(method, url, res.statusCode, body);
      return { status: res.statusCode, body, headers: res.headers, raw };
    },
    newKey: (o = {}) => createKey(deps, { name: 'another', clientId: o.clientId }),
    worker,
    drain: () => worker.drain(),
    async close() {
      await worker.stop(5000);
      await app.close();
      await closeDeps(deps);
      await database.drop();
    },
  };
}

/** A valid send body; override any field. */
export function inviteBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    first_name: 'Sarah',
    last_name: 'Longfield',
    email: 'sarah@email.com',
    phone_number: '212-555-5555',
    ...over,
  };
}

/** Counts rows in the tables a send writes, to prove a rejected request changed nothing. */
export async function countRows(deps: Deps): Promise<Record<string, number>> {
  const tables = [
    'invites',
    'users',
    'deliveries',
    'outbox_messages',
    'invite_reply_to',
    'invite_templates',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await deps.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

/** A log destination that keeps each JSON line the app writes, for tests that read the log. */
export function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
}
