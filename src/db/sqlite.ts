import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { evictOldest } from '../lib/bounded.ts';
import { DatabaseBusyError, StorageFullError } from './sqlite-errors.ts';

/**
 * How long a statement waits for the write lock another process holds before its request
 * gives up. better-sqlite3 is synchronous, so SQLite's own busy_timeout would wait on the
 * event loop and stall every request; the wait is made here, asynchronously, instead.
 */
const LOCK_WAIT_MS = 5000;

/** How long one attempt may wait for the lock on the event loop (see configure). */
const SYNC_LOCK_WAIT_MS = 20;

/** Pauses between attempts at a lock: short at first, as a held lock is usually a short write. */
const BACKOFF_MS = [1, 2, 5, 10, 20, 50];

/**
 * Kysely prepares every statement anew on each call, and preparing costs more than running
 * a point lookup; reusing prepared statements by SQL text roughly halves query time.
 * Statements are only ever run to completion (all/run), so sharing them is safe.
 */
class Statements {
  private readonly cache = new Map<string, SQLite.Statement>();

  constructor(
    readonly db: SQLite.Database,
    private readonly max = 500,
  ) {}

  get(text: string): SQLite.Statement {
    let stmt = this.cache.get(text);
    if (stmt) return stmt;
    stmt = this.db.prepare(text);
    if (this.cache.size >= this.max) evictOldest(this.cache);
    this.cache.set(text, stmt);
    return stmt;
  }
}

function codeOf(err: unknown): string {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** True when the file system holding `file` has (almost) no room or no inodes left. */
function diskFull(file: string): boolean {
  try {
    const fs = statfsSync(dirname(file));
    return fs.bavail * fs.bsize < 1024 * 1024 || fs.ffree === 0;
  } catch {
    return false;
  }
}

/**
 * Runs `attempt` until it gets past the lock or `deadline` passes. A failed attempt changed
 * nothing: a statement outside a transaction, BEGIN IMMEDIATE and COMMIT can each be retried,
 * and the statements between them run under a lock already held.
 */
async function whenUnlocked<T>(attempt: () => T, deadline: number, file: string): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return attempt();
    } catch (err) {
      const code = codeOf(err);
      // SQLite reports a disk that ran out of space as SQLITE_FULL, and as an I/O error when
      // the write that failed was not one it checks for ENOSPC.
      if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskFull(file))) {
        throw new StorageFullError(err as Error);
      }
      if (!code.startsWith('SQLITE_BUSY')) throw err;
      const left = deadline - performance.now();
      if (left <= 0) throw new DatabaseBusyError(LOCK_WAIT_MS, err);
      await sleep(Math.min(BACKOFF_MS[i] ?? 50, left));
    }
  }
}

function run<R>(stmt: SQLite.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/**
 * This process's turn at the writing connection, first come first served. A wait ends at its
 * deadline: a request queued behind one that waits for another process's lock gives up with
 * it, instead of waiting its own full bound afterwards.
 */
class WriterTurns {
  private taken = false;
  private readonly queue: (() => void)[] = [];

  async take(deadline: number): Promise<void> {
    if (!this.taken) {
      this.taken = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const next = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          const at = this.queue.indexOf(next);
          if (at >= 0) this.queue.splice(at, 1);
          reject(new DatabaseBusyError(LOCK_WAIT_MS));
        },
        Math.max(0, deadline - performance.now()),
      );
      this.queue.push(next);
    });
  }

  give(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.taken = false;
  }
}

/**
 * Two connections to one file. The writer runs every transaction and every statement that
 * may write, one caller at a time. The reader runs the other statements outside
 * transactions: under WAL they need no lock, so a read never waits behind a write that is
 * itself waiting for another process.
 */
class Connections {
  readonly turns = new WriterTurns();

  constructor(
    readonly file: string,
    readonly writer: Statements,
    readonly reader: Statements,
  ) {}

  /** True when `sql` can run on the reader: it returns rows and writes nothing. */
  readsOnly(stmt: SQLite.Statement, sql: string): boolean {
    // A pragma changes its own connection's settings; those belong to the writer.
    return stmt.reader && stmt.readonly && !/^\s*pragma\b/i.test(sql);
  }

  attempt<R>(on: Statements, sql: string, parameters: readonly unknown[], deadline: number) {
    return whenUnlocked(() => run<R>(on.get(sql), parameters), deadline, this.file);
  }

  close(): void {
    if (this.reader.db.open) this.reader.db.close();
    if (this.writer.db.open) this.writer.db.close();
  }
}

/** What Kysely calls a connection: one caller's use of the pair, holding the writer once it needs it. */
class Connection implements DatabaseConnection {
  private writing = false;

  constructor(private readonly c: Connections) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    const deadline = performance.now() + LOCK_WAIT_MS;
    if (!this.writing) {
      const stmt = await whenUnlocked(() => this.c.writer.get(sql), deadline, this.c.file);
      if (this.c.readsOnly(stmt, sql)) return this.c.attempt<R>(this.c.reader, sql, parameters, deadline);
      await this.takeWriter(deadline);
    }
    return this.c.attempt<R>(this.c.writer, sql, parameters, deadline);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }

  /** BEGIN IMMEDIATE takes the write lock at once: later statements never meet a lock they cannot wait out. */
  async begin(): Promise<void> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    if (!this.writing) await this.takeWriter(deadline);
    await this.c.attempt(this.c.writer, 'begin immediate', [], deadline);
  }

  async commit(): Promise<void> {
    await this.c.attempt(this.c.writer, 'commit', [], performance.now() + LOCK_WAIT_MS);
  }

  /**
   * SQLite rolls the transaction back itself when a statement fails with some errors (a full
   * disk, an I/O error); a ROLLBACK then fails with "no transaction is active" and would hide
   * the error that mattered, so it is not sent.
   */
  rollback(): void {
    const db = this.c.writer.db;
    if (!db.inTransaction) return;
    try {
      this.c.writer.get('rollback').run();
    } catch (err) {
      if (db.inTransaction) throw err;
    }
  }

  release(): void {
    if (!this.writing) return;
    this.writing = false;
    try {
      // A transaction left open would swallow the next caller's statements.
      if (this.c.writer.db.inTransaction) this.c.writer.get('rollback').run();
    } finally {
      this.c.turns.give();
    }
  }

  private async takeWriter(deadline: number): Promise<void> {
    await this.c.turns.take(deadline);
    this.writing = true;
  }
}

const own = (connection: DatabaseConnection): Connection => {
  if (!(connection instanceof Connection)) throw new Error('not a connection of this driver');
  return connection;
};

class LockAwareSqliteDriver implements Driver {
  constructor(private readonly c: Connections) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this.c);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await own(connection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await own(connection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    own(connection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    own(connection).release();
  }

  async destroy(): Promise<void> {
    this.c.close();
  }
}

function configure(sqlite: SQLite.Database): void {
  // NORMAL sync keeps every commit across a process crash (only an OS crash or power loss
  // can drop the last transactions).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Point lookups over a large table touch pages all over the file: a 64 MiB page cache and
  // memory-mapped reads keep them off the read() syscall path.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 1073741824');
  // A lock is waited for in whenUnlocked, off the event loop, except for this short first
  // wait: when two of our own processes take turns at the file (API and worker), SQLite's own
  // handler gets the lock the moment it is free, where a timer wakes late. `npm run bench`
  // (delivery, `serve --no-worker` + `worker` on one file): 54 emails/s with no wait here,
  // about 100 with 15-50 ms; a foreign lock held for seconds blocks the loop at most this long
  // per attempt, and only for the one request at the writer.
  sqlite.pragma(`busy_timeout = ${SYNC_LOCK_WAIT_MS}`);
}

/** A Kysely dialect over a SQLite file whose lock waits leave the event loop free. */
export function sqliteDialect(file: string): Dialect {
  const writer = new SQLite(file);
  // Opening may meet another process converting the file to WAL or recovering it; the
  // process serves nothing yet, so SQLite's own wait is harmless here.
  writer.pragma('busy_timeout = 5000');
  // WAL lets readers run beside the writer.
  writer.pragma('journal_mode = WAL');
  configure(writer);
  // An in-memory database exists only on its own connection.
  const reader = file === ':memory:' ? writer : new SQLite(file);
  if (reader !== writer) {
    configure(reader);
    reader.pragma('query_only = ON');
  }
  const connections = new Connections(file, new Statements(writer), new Statements(reader));
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new LockAwareSqliteDriver(connections),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
