/**
 * Bounds on a group (see Group): the first member's answer waits for the last member's work.
 * A group normally ends sooner, at the event loop's next turn.
 */
export const GROUP_MAX_MEMBERS = 32;
export const GROUP_MAX_MS = 10;
/** Statements that write rows and may run inside a group's transaction. */
export const ROW_WRITE = /^\s*(insert|update|delete|replace|with)\b/i;

/**
 * Group commit on SQLite. Writes run in a transaction that several callers share: a caller's
 * transaction is a savepoint inside it, so a failing caller rolls back only its own work; a
 * caller that is done hands the writer on and waits for the shared COMMIT, which comes once the
 * event loop has taken its next turn (or at once when the group is big or old enough).
 * Committing is what a small write costs most: every page it touched goes to the WAL, and each
 * thousand WAL pages are copied back into the file and synced, inside the commit that crosses
 * them. Sends arriving together share that. No caller hears of its write before its COMMIT.
 */
export class Group {
  readonly openedAt = performance.now();
  /** Members whose writes are in the transaction (finished or not). */
  members = 0;
  /** Whether a commit is on its way. */
  scheduled = false;
  /** Finished members waiting for the COMMIT. */
  readonly waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
}

/** A lost group's members learn it from this, unless the cause is known. */
export class GroupRolledBackError extends Error {
  constructor() {
    super('the transaction was rolled back by SQLite (see the error of the write that failed)');
  }
}
