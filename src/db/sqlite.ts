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
import { Groups } from './sqlite-group.ts';
import { LOCK_WAIT_MS, WriterTurns, whenUnlocked } from './sqlite-locks.ts';

/** Statements that write rows, and so may share a group's transaction. */
const ROW_WRITE = /^\s*(insert|update|delete|replace|with)\b/i;

/** How long one attempt may wait for the lock on the event loop (see configure). */
const SYNC_LOCK_WAIT_MS = 20;

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

function run<R>(stmt: SQLite.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/**
 * Two connections to one file. The writer runs every transaction and every statement that
 * may write, one caller at a time. The reader runs the other statements outside
 * transactions: under WAL they need no lock, so a read never waits behind a write that is
 * itself waiting for another process.
 */
class Connections {
  readonly turns = new WriterTurns();

  readonly groups: Groups;

  constructor(
    readonly file: string,
    readonly writer: Statements,
    readonly reader: Statements,
  ) {
    this.groups = new Groups({
      turns: this.turns,
      begin: async (deadline) => {
        await this.attempt(writer, 'begin immediate', [], deadline);
      },
      commit: async () => {
        await this.attempt(writer, 'commit', [], performance.now() + LOCK_WAIT_MS);
      },
      rollback: () => {
        if (writer.db.inTransaction) writer.get('rollback').run();
      },
      inTransaction: () => writer.db.inTransaction,
    });
  }

  /** True when `sql` can run on the reader: it returns rows and writes nothing. */
  readsOnly(stmt: SQLite.Statement, sql: string): boolean {
    // A pragma changes its own connection's settings; those belong to the writer.
    return stmt.reader && stmt.readonly && !/^\s*pragma\b/i.test(sql);
  }

  async attempt<R>(on: Statements, sql: string, parameters: readonly unknown[], deadline: number) {
    try {
      return await whenUnlocked(() => run<R>(on.get(sql), parameters), deadline, this.file);
    } catch (err) {
      // A write SQLite answered by rolling the whole transaction back (a full disk): the
      // group's other members fail with the same error.
      if (on === this.writer && this.groups.open && !this.writer.db.inTransaction) this.groups.abandon(err);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.groups.drain();
    if (this.reader.db.open) this.reader.db.close();
    if (this.writer.db.open) this.writer.db.close();
  }
}

/**
 * What Kysely calls a connection: one caller's use of the pair. Its writes run in a group (see
 * sqlite-group.ts), which holds the writer for it; a statement that writes no rows (a pragma,
 * DDL outside a transaction) takes the writer alone.
 */
class Connection implements DatabaseConnection {
  /** Holding the writer: as a member of a group, or alone. */
  private writing = false;
  private inGroup = false;
  /** Inside this caller's own transaction (a savepoint). */
  private inTransaction = false;

  constructor(private readonly c: Connections) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    const deadline = performance.now() + LOCK_WAIT_MS;
    if (!this.writing) {
      const stmt = await whenUnlocked(() => this.c.writer.get(sql), deadline, this.c.file);
      if (this.c.readsOnly(stmt, sql)) return this.c.attempt<R>(this.c.reader, sql, parameters, deadline);
      // A row write succeeds or fails whole on its own, so it can share a group; anything else
      // may need to run outside a transaction.
      if (ROW_WRITE.test(sql)) await this.enterGroup(deadline);
      else await this.takeWriter(deadline);
    }
    return this.c.attempt<R>(this.c.writer, sql, parameters, deadline);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }

  /**
   * A savepoint inside the group's transaction, which BEGIN IMMEDIATE opened: later
   * statements never meet a lock they cannot wait out.
   */
  async begin(): Promise<void> {
    if (!this.writing) await this.enterGroup(performance.now() + LOCK_WAIT_MS);
    this.c.writer.get('savepoint member').run();
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    this.c.writer.get('release member').run();
    this.inTransaction = false;
    await this.leave(true);
  }

  /**
   * Undoes this caller's savepoint only. SQLite rolls the whole transaction back itself when a
   * statement fails with some errors (a full disk, an I/O error); the group is then lost, and
   * a ROLLBACK would fail with "no transaction is active" and hide the error that mattered.
   */
  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    const db = this.c.writer.db;
    if (db.inTransaction) {
      try {
        this.c.writer.get('rollback to member').run();
        this.c.writer.get('release member').run();
      } catch (err) {
        if (db.inTransaction) throw err;
      }
    }
    // This caller's answer is its own error; a lost group's other members are told by it.
    await this.leave(false).catch(() => {});
  }

  async release(): Promise<void> {
    if (!this.writing) return;
    if (this.inTransaction) return this.rollback();
    if (this.inGroup) return this.leave(true);
    // Alone: a transaction left open would swallow the next caller's statements.
    try {
      if (this.c.writer.db.inTransaction) this.c.writer.get('rollback').run();
    } finally {
      this.writing = false;
      this.c.turns.give();
    }
  }

  private async enterGroup(deadline: number): Promise<void> {
    await this.c.groups.enter(deadline);
    this.inGroup = true;
    this.writing = true;
  }

  private async leave(wrote: boolean): Promise<void> {
    if (!this.inGroup) return;
    this.inGroup = false;
    this.writing = false;
    await this.c.groups.leave(wrote);
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
    await own(connection).rollback();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await own(connection).release();
  }

  async destroy(): Promise<void> {
    await this.c.close();
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

/** The writer and the reader of a SQLite file, each with the settings the app runs on. */
export function openConnections(file: string): { writer: SQLite.Database; reader: SQLite.Database } {
  const writer = new SQLite(file);
  // Opening may meet another process converting the file to WAL or recovering it; the
  // process serves nothing yet, so SQLite's own wait is harmless here.
  writer.pragma('busy_timeout = 5000');
  // WAL lets readers run beside the writer.
  writer.pragma('journal_mode = WAL');
  configure(writer);
  // Each write in a shared commit runs in its own savepoint (sqlite-group.ts), and SQLite
  // keeps a savepoint's page copies in a statement journal that spills to a temporary file
  // past 64 KiB: one send's rows and indexes pass that, and the file made the invite's INSERT
  // about four times slower (98 µs against 23). In memory it never touches the disk. The
  // reader, which runs the large sorts (lists, exports), keeps its temporary files on disk;
  // the writer's own sorts (a migration's CREATE INDEX) take memory the size of the index.
  // An in-memory database has one connection, and all of it is in memory anyway.
  writer.pragma('temp_store = MEMORY');
  // An in-memory database exists only on its own connection.
  const reader = file === ':memory:' ? writer : new SQLite(file);
  if (reader !== writer) {
    configure(reader);
    reader.pragma('query_only = ON');
  }
  return { writer, reader };
}

/** A Kysely dialect over a SQLite file whose lock waits leave the event loop free. */
export function sqliteDialect(file: string): Dialect {
  const { writer, reader } = openConnections(file);
  const connections = new Connections(file, new Statements(writer), new Statements(reader));
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new LockAwareSqliteDriver(connections),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
