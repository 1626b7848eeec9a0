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
import { GROUP_MAX_MEMBERS, GROUP_MAX_MS, Group, GroupRolledBackError, ROW_WRITE } from './sqlite-group.ts';
import { LOCK_WAIT_MS, WriterTurns, whenUnlocked } from './sqlite-locks.ts';

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

  /** The transaction open on the writer that finished callers' writes wait in, if any. */
  group: Group | null = null;

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

  async attempt<R>(on: Statements, sql: string, parameters: readonly unknown[], deadline: number) {
    try {
      return await whenUnlocked(() => run<R>(on.get(sql), parameters), deadline, this.file);
    } catch (err) {
      // A write SQLite answered by rolling the whole transaction back (a full disk): the
      // group's other members fail with the same error.
      if (on === this.writer && this.group && !this.writer.db.inTransaction) this.abandonGroup(err);
      throw err;
    }
  }

  /** The group's transaction, opened unless it already is. */
  async openGroup(deadline: number): Promise<Group> {
    if (!this.group) {
      await this.attempt(this.writer, 'begin immediate', [], deadline);
      this.group = new Group();
    }
    return this.group;
  }

  /**
   * Whether the member ending now may leave its commit to the group: it is still small and
   * young (the first member's answer waits for the last member's work).
   */
  mayWait(group: Group): boolean {
    return group.members < GROUP_MAX_MEMBERS && performance.now() - group.openedAt < GROUP_MAX_MS;
  }

  /**
   * The group commits once the event loop has taken its next turn: by then every request whose
   * bytes arrived in this turn has run its writes into the group. (Node runs each request's
   * promise chain to its end before the next socket's callback, so callers never wait for the
   * writer at the same moment; waiting for a queue would find none.)
   */
  scheduleCommit(group: Group): void {
    if (group.scheduled) return;
    group.scheduled = true;
    setImmediate(() => void this.commitWhenFree(group));
  }

  private async commitWhenFree(group: Group): Promise<void> {
    try {
      await this.turns.take(performance.now() + LOCK_WAIT_MS);
    } catch {
      // The writer stayed busy all along: its holder will end the group, or this tries again.
      group.scheduled = false;
      if (this.group === group) this.scheduleCommit(group);
      return;
    }
    try {
      if (this.group === group) await this.commitGroup();
    } catch {
      // Each member waiting for it was told.
    } finally {
      this.turns.give();
    }
  }

  /** Commits the group: every member's writes become durable and each waiting member gets its answer. */
  async commitGroup(): Promise<void> {
    const group = this.group;
    if (!group) return;
    try {
      await this.attempt(this.writer, 'commit', [], performance.now() + LOCK_WAIT_MS);
    } catch (err) {
      this.abandonGroup(err);
      throw err;
    }
    this.group = null;
    for (const member of group.waiting) member.resolve();
  }

  /** The group's transaction is lost (rolled back): each member waiting for it is told so. */
  abandonGroup(err: unknown): void {
    const group = this.group;
    this.group = null;
    try {
      if (this.writer.db.inTransaction) this.writer.get('rollback').run();
    } finally {
      for (const member of group?.waiting ?? []) member.reject(err);
    }
  }

  async close(): Promise<void> {
    if (this.group && this.writer.db.open) await this.commitGroup();
    if (this.reader.db.open) this.reader.db.close();
    if (this.writer.db.open) this.writer.db.close();
  }
}

/** What Kysely calls a connection: one caller's use of the pair, holding the writer once it needs it. */
class Connection implements DatabaseConnection {
  private writing = false;
  /** In a group: as a transaction (a savepoint) or as single writes outside one. */
  private member: 'transaction' | 'writes' | null = null;

  constructor(private readonly c: Connections) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    const deadline = performance.now() + LOCK_WAIT_MS;
    if (!this.writing) {
      const stmt = await whenUnlocked(() => this.c.writer.get(sql), deadline, this.c.file);
      if (this.c.readsOnly(stmt, sql)) return this.c.attempt<R>(this.c.reader, sql, parameters, deadline);
      await this.takeWriter(deadline);
      if (ROW_WRITE.test(sql)) {
        // A row write outside a transaction shares a group too: a statement fails or
        // succeeds whole on its own.
        const group = await this.c.openGroup(deadline);
        group.members++;
        this.member = 'writes';
      } else {
        // Anything else (a pragma, DDL) may need to run outside a transaction.
        await this.c.commitGroup();
      }
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
    const group = await this.c.openGroup(deadline);
    this.c.writer.get('savepoint member').run();
    group.members++;
    this.member = 'transaction';
  }

  async commit(): Promise<void> {
    this.c.writer.get('release member').run();
    this.member = null;
    await this.finish(true);
  }

  /**
   * Undoes this caller's savepoint only. SQLite rolls the whole transaction back itself when a
   * statement fails with some errors (a full disk, an I/O error); the group is then lost, and
   * a ROLLBACK would fail with "no transaction is active" and hide the error that mattered.
   */
  async rollback(): Promise<void> {
    if (this.member !== 'transaction') return;
    this.member = null;
    const db = this.c.writer.db;
    if (db.inTransaction) {
      try {
        this.c.writer.get('rollback to member').run();
        this.c.writer.get('release member').run();
      } catch (err) {
        if (db.inTransaction) throw err;
      }
    }
    // This caller's own answer is its error; the group's fate is told to its other members.
    await this.finish(false).catch(() => {});
  }

  async release(): Promise<void> {
    if (!this.writing) return;
    try {
      if (this.member === 'transaction') await this.rollback();
      else if (this.member === 'writes') {
        this.member = null;
        await this.finish(true);
      } else if (this.c.writer.db.inTransaction && !this.c.group) {
        // A transaction left open would swallow the next caller's statements.
        this.c.writer.get('rollback').run();
      }
    } finally {
      if (this.writing) this.giveWriter();
    }
  }

  /**
   * A member's end, holding the writer: hand the writer on and wait for the group's COMMIT,
   * or commit the group now when it is big or old enough. `wrote`: this member's writes are in it.
   */
  private async finish(wrote: boolean): Promise<void> {
    const group = this.c.group;
    if (!group) return;
    if (!this.c.writer.db.inTransaction) {
      const err = new GroupRolledBackError();
      this.c.abandonGroup(err);
      if (wrote) throw err;
      return;
    }
    if (!this.c.mayWait(group)) return this.c.commitGroup();
    this.c.scheduleCommit(group);
    if (!wrote) return this.giveWriter();
    const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
    this.giveWriter();
    return committed;
  }

  private async takeWriter(deadline: number): Promise<void> {
    await this.c.turns.take(deadline);
    this.writing = true;
  }

  private giveWriter(): void {
    this.writing = false;
    this.c.turns.give();
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
