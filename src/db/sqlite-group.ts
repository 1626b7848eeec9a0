import { LOCK_WAIT_MS, type Place, type WriterTurns, waitInLine } from './sqlite-locks.ts';

/**
 * Bounds on a group: the first member's answer waits for the last member's work. Beyond them,
 * the members still waiting form the next group.
 */
const GROUP_MAX_MEMBERS = 32;
const GROUP_MAX_MS = 10;

/** What a group needs of the writing connection. */
export interface GroupWriter {
  turns: WriterTurns;
  /** BEGIN IMMEDIATE, waiting (asynchronously) for another process's lock until `deadline`. */
  begin(deadline: number): Promise<void>;
  commit(): Promise<void>;
  /** Ends the transaction if SQLite has not already. */
  rollback(): void;
  inTransaction(): boolean;
}

interface Group {
  readonly openedAt: number;
  members: number;
  /** Members done with their writes, waiting for the COMMIT. */
  readonly waiting: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Group commit on SQLite. Committing is what a small write costs most: every page it touched
 * goes to the WAL, and every thousand WAL pages are copied back into the file and synced,
 * inside the commit that crosses them. So callers that want to write in the same turn of the
 * event loop write in one transaction, one after the other, each in a savepoint of its own (a
 * failing caller rolls back only its own work), and share its COMMIT; none hears of its write
 * before that COMMIT.
 *
 * A group starts once the loop has taken its turn (setImmediate): by then every request whose
 * bytes arrived in it has reached its first write. (Node runs each request's promise chain to
 * its end before the next socket's callback, so callers never wait for the writer at the same
 * moment on their own.) The lock is held only while members write, never while requests are
 * parsed or answered, so other processes on the file get their turns as before.
 */
export class Groups {
  private readonly pending: Place[] = [];
  private scheduled = false;
  private current: Group | null = null;
  private running: Promise<void> | null = null;
  /** Called when the member writing now is done. */
  private left: (() => void) | null = null;

  constructor(private readonly writer: GroupWriter) {}

  /** Waits for this caller's place in a group: it then holds the writer, inside the group's transaction. */
  async enter(deadline: number): Promise<void> {
    const admitted = waitInLine(this.pending, deadline);
    this.schedule();
    await admitted;
  }

  /**
   * The member is done. With `wrote`, resolves once its writes are committed (or rejects with
   * why they were not); otherwise at once.
   */
  async leave(wrote: boolean): Promise<void> {
    const group = this.current;
    const left = this.left;
    this.left = null;
    if (!group || !this.writer.inTransaction()) {
      // Lost while this member wrote (SQLite rolled it back): so is this member's work.
      const err = new GroupRolledBackError();
      this.abandon(err);
      left?.();
      if (wrote) throw err;
      return;
    }
    if (!wrote) return left?.();
    const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
    left?.();
    return committed;
  }

  /** SQLite rolled the group's transaction back (a full disk): its members fail with `err`. */
  abandon(err: unknown): void {
    const group = this.current;
    if (!group) return;
    this.current = null;
    try {
      this.writer.rollback();
    } finally {
      for (const member of group.waiting) member.reject(err);
    }
  }

  /** Whether a group is writing now. */
  get open(): boolean {
    return this.current !== null;
  }

  /** Resolves once no group is running and none is waiting to. */
  async drain(): Promise<void> {
    while (this.running || this.pending.length > 0) {
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.pending.length > 0) this.schedule();
      });
    });
  }

  private async run(): Promise<void> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    try {
      await this.writer.turns.take(deadline);
    } catch {
      return; // each waiting member's own deadline answers it
    }
    try {
      await this.writer.begin(deadline);
    } catch (err) {
      // The lock stayed with another process: the members this group would have taken fail.
      for (const member of this.pending.splice(0, GROUP_MAX_MEMBERS)) member.refuse(err);
      this.writer.turns.give();
      return;
    }
    const group: Group = { openedAt: performance.now(), members: 0, waiting: [] };
    this.current = group;
    try {
      while (
        this.current === group &&
        group.members < GROUP_MAX_MEMBERS &&
        performance.now() - group.openedAt < GROUP_MAX_MS
      ) {
        const member = this.pending.shift();
        if (!member) break;
        group.members++;
        await new Promise<void>((resolve) => {
          this.left = resolve;
          member.admit();
        });
      }
      if (this.current === group) await this.commit(group);
    } finally {
      this.writer.turns.give();
    }
  }

  private async commit(group: Group): Promise<void> {
    try {
      await this.writer.commit();
    } catch (err) {
      this.abandon(err);
      return;
    }
    this.current = null;
    for (const member of group.waiting) member.resolve();
  }
}

/** A lost group's members learn it from this, unless the cause is known. */
export class GroupRolledBackError extends Error {
  constructor() {
    super('the transaction was rolled back by SQLite (see the error of the write that failed)');
  }
}
