/**
 * A statement that could not get the database's write lock in the time allowed: another
 * process held it, or this process's writes ahead of it waited for one that did.
 */
export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';

  constructor(waitedMs: number, cause?: unknown) {
    super(`database is locked: no write lock within ${waitedMs} ms`, { cause });
    this.name = 'DatabaseBusyError';
  }
}

/** A write the database could not store because its disk (or its size limit) is full. */
export class StorageFullError extends Error {
  readonly code: string;

  constructor(cause: Error & { code?: unknown }) {
    super('database storage is full', { cause });
    this.name = 'StorageFullError';
    this.code = typeof cause.code === 'string' ? cause.code : 'SQLITE_FULL';
  }
}
