/**
 * Why the run store could not open or write, as data: the app maps each code to one dialog
 * ("start a fresh database and keep the old file", "close the other Crawlboard", …), so the code
 * is the contract and the message says what to do next.
 */
export type StoreErrorCode = 'UNSUPPORTED_RUNTIME' | 'CORRUPT' | 'FOREIGN' | 'TOO_NEW' | 'LOCKED' | 'IO'

export class StoreError extends Error {
  readonly code: StoreErrorCode
  /** The database file concerned, when there is one. */
  readonly path: string | null

  constructor(code: StoreErrorCode, message: string, opts: { path?: string | null; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'StoreError'
    this.code = code
    this.path = opts.path ?? null
  }
}

/** SQLite primary result codes we act on (https://sqlite.org/rescode.html). */
const SQLITE_PERM = 3
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_READONLY = 8
const SQLITE_IOERR = 10
const SQLITE_CORRUPT = 11
const SQLITE_CANTOPEN = 14
const SQLITE_FULL = 13
const SQLITE_NOTADB = 26

/** The primary SQLite result code of a node:sqlite error (extended codes folded), or null. */
export function sqliteCode(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return null
  const code = error.errcode
  return typeof code === 'number' ? code & 0xff : null
}

/**
 * Turns whatever SQLite threw into a StoreError with advice. `doing` names the operation for the
 * message ("open", "write results"). A StoreError passes through unchanged.
 */
export function toStoreError(error: unknown, path: string, doing: string): StoreError {
  if (error instanceof StoreError) return error
  const detail = error instanceof Error ? error.message : String(error)
  const opts = { path, cause: error }
  switch (sqliteCode(error)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StoreError(
        'LOCKED',
        `Could not ${doing} ${path}: another Crawlboard window or the headless runner is using it (${detail}). Close the other one and try again.`,
        opts
      )
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return corruptError(path, detail, error)
    case SQLITE_FULL:
      return new StoreError(
        'IO',
        `Could not ${doing} ${path}: the disk is full. Free some space and try again.`,
        opts
      )
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return new StoreError(
        'IO',
        `Could not ${doing} ${path}: no permission or the folder is missing (${detail}). Check the data folder or pass another --db PATH.`,
        opts
      )
    case SQLITE_IOERR:
    case null:
    default:
      return new StoreError('IO', `Could not ${doing} ${path}: ${detail}.`, opts)
  }
}

export function corruptError(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'CORRUPT',
    `The run database ${path} is damaged (${detail}). Start a fresh database; the old file is kept next to it for recovery.`,
    { path, cause }
  )
}
