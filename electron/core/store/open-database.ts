import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs'
import type { DatabaseSync } from 'node:sqlite'
import { pathToFileURL } from 'node:url'
import { APPLICATION_ID, MIGRATIONS, REQUIRED_TABLES, type Migration } from './schema.ts'
import { requireSqlite, type SqliteModule } from './sqlite-runtime.ts'
import { corruptError, StoreError, toStoreError } from './store-error.ts'

/**
 * Opening the one database file without ever harming a file that is not ours. An existing file is
 * first read through a read-only connection (a read-only connection never writes the main file) and
 * classified; only a healthy Crawlboard database, or an empty one, is then opened read-write and
 * migrated. Everything else is a StoreError and the file stays byte-for-byte as it was.
 */

export interface OpenDatabaseOptions {
  readonly readonly?: boolean
  /**
   * PRAGMA quick_check on an existing file before use: always ('quick', the default: ~1 s per
   * 500 MB), only when the last session did not close cleanly, i.e. a -wal file is left
   * ('auto'), or never ('none').
   */
  readonly check?: 'quick' | 'auto' | 'none'
  /** Page cache per connection, KiB. */
  readonly cacheSizeKib?: number
  /** How long a statement waits for another connection's lock before LOCKED. */
  readonly busyTimeoutMs?: number
  /** The migrations to apply; tests pass their own to exercise upgrades. */
  readonly migrations?: readonly Migration[]
}

const SQLITE_MAGIC = 'SQLite format 3\0'
/** How long a write waits for another connection (the headless runner, a second window). */
const BUSY_TIMEOUT_MS = 5_000
export const DEFAULT_CACHE_SIZE_KIB = 65_536
/**
 * Checkpoint the WAL every ~40 MB rather than SQLite's default 4 MB: a batch of results dirties
 * index pages all over the file, and a rarer checkpoint writes each such page (and fsyncs) once
 * for many batches instead of once per few batches.
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000
/** After a checkpoint, the WAL file is truncated back to this size. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): DatabaseSync {
  const sqlite = requireSqlite()
  const migrations = opts.migrations ?? MIGRATIONS
  const latest = migrations.length
  const size = fileSize(path)
  if (size === null && opts.readonly) {
    throw new StoreError('IO', `There is no run database at ${path}. Check the --db PATH.`, { path })
  }
  if (size !== null && size > 0) {
    assertSqliteHeader(path, size)
    const found = inspect(sqlite, path, latest, opts)
    if (opts.readonly && found.version < latest) {
      throw new StoreError(
        'IO',
        `The run database ${path} is from an older Crawlboard (schema ${found.version}, now ${latest}): open it once with the app to upgrade it.`,
        { path }
      )
    }
  }
  let db: DatabaseSync | null = null
  try {
    db = new sqlite.DatabaseSync(path, { readOnly: opts.readonly === true })
    configure(db, opts, path === MEMORY_DATABASE)
    if (!opts.readonly) migrate(db, migrations)
    return db
  } catch (error) {
    db?.close()
    throw toStoreError(error, path, 'open')
  }
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new StoreError('IO', `Could not read ${path}: ${(error as Error).message}.`, { path, cause: error })
  }
}

/** The 16-byte SQLite header, read with plain fs: random bytes are refused before SQLite sees them. */
function assertSqliteHeader(path: string, size: number): void {
  const head = Buffer.alloc(16)
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    readSync(fd, head, 0, 16, 0)
  } catch (error) {
    throw new StoreError('IO', `Could not read ${path}: ${(error as Error).message}.`, { path, cause: error })
  } finally {
    if (fd !== null) closeSync(fd)
  }
  if (size < 100 || head.toString('latin1') !== SQLITE_MAGIC) {
    throw corruptError(path, 'not a SQLite database file')
  }
}

interface Inspection {
  readonly version: number
}

function inspect(sqlite: SqliteModule, path: string, latest: number, opts: OpenDatabaseOptions): Inspection {
  let db: DatabaseSync | null = null
  try {
    // Without a -wal file, `immutable` reads the file as it is and creates no -wal/-shm next to
    // it: a file that turns out not to be ours gains no companions. With one (a crash, or another
    // process has it open), its WAL content is part of the database and must be read.
    const url = pathToFileURL(path)
    url.searchParams.set('immutable', '1')
    db = new sqlite.DatabaseSync(existsSync(`${path}-wal`) ? path : url, { readOnly: true })
    db.exec(`PRAGMA busy_timeout = ${busyTimeout(opts)}`)
    const appId = pragmaNumber(db, 'application_id')
    const version = pragmaNumber(db, 'user_version')
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
      )
      .all()
      .map((row) => String(row['name']))
    if (appId !== APPLICATION_ID && !(appId === 0 && version === 0 && tables.length === 0)) {
      throw new StoreError(
        'FOREIGN',
        `${path} is a SQLite database of another application${tables.length > 0 ? ` (tables: ${tables.slice(0, 5).join(', ')})` : ''}; Crawlboard will not change it. Choose another file, or start a fresh database and keep this one.`,
        { path }
      )
    }
    if (version > latest) {
      throw new StoreError(
        'TOO_NEW',
        `The run database ${path} was written by a newer Crawlboard (schema ${version}, this version knows ${latest}). Update Crawlboard to open it.`,
        { path }
      )
    }
    const check = opts.check ?? 'quick'
    if (check === 'quick' || (check === 'auto' && existsSync(`${path}-wal`))) {
      const problems = db
        .prepare('PRAGMA quick_check(5)')
        .all()
        .map((row) => String(Object.values(row)[0]))
      if (problems.length !== 1 || problems[0] !== 'ok') throw corruptError(path, problems.join('; '))
    }
    if (version > 0) {
      const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t))
      if (missing.length > 0) throw corruptError(path, `missing tables: ${missing.join(', ')}`)
    }
    return { version }
  } catch (error) {
    throw toStoreError(error, path, 'open')
  } finally {
    db?.close()
  }
}

const busyTimeout = (opts: OpenDatabaseOptions): number =>
  Math.max(0, Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS))

function pragmaNumber(db: DatabaseSync, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).get()
  return Number(row?.[name] ?? 0)
}

/** Settings of every connection, reading or writing. */
function sessionPragmas(opts: OpenDatabaseOptions): string[] {
  const cache = Math.max(2_048, Math.round(opts.cacheSizeKib ?? DEFAULT_CACHE_SIZE_KIB))
  return [
    `PRAGMA busy_timeout = ${busyTimeout(opts)}`,
    `PRAGMA cache_size = -${cache}`,
    'PRAGMA temp_store = MEMORY'
  ]
}

/**
 * Settings of a connection that writes: the store's own, and its writer thread's (which opens the
 * file after the store has migrated it and switched it to WAL).
 */
export function writerPragmas(opts: OpenDatabaseOptions): string[] {
  return [
    ...sessionPragmas(opts),
    // NORMAL in WAL mode: a commit survives an app crash or kill (SIGKILL included); only a power
    // cut or an OS crash can lose the last commits, never consistency. FULL would fsync every batch.
    'PRAGMA synchronous = NORMAL',
    'PRAGMA foreign_keys = ON',
    `PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`,
    `PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`
  ]
}

/** SQLite's name for a database that lives in this connection's memory only. */
export const MEMORY_DATABASE = ':memory:'

function configure(db: DatabaseSync, opts: OpenDatabaseOptions, inMemory: boolean): void {
  if (opts.readonly) {
    for (const pragma of sessionPragmas(opts)) db.exec(pragma)
    return
  }
  db.exec(`PRAGMA busy_timeout = ${busyTimeout(opts)}`)
  // Only settable before the first table exists (inspect() let version 0 through only without
  // tables). INCREMENTAL lets deleteRun hand space back to the file system.
  if (pragmaNumber(db, 'user_version') === 0) db.exec('PRAGMA auto_vacuum = INCREMENTAL')
  // A memory database has no file to share with a writer thread or another process: no WAL.
  const mode = inMemory ? null : db.prepare('PRAGMA journal_mode = WAL').get()
  if (!inMemory && String(mode?.['journal_mode']).toLowerCase() !== 'wal') {
    throw new StoreError(
      'IO',
      'Could not switch the run database to WAL mode (a network drive?). Use a local folder.'
    )
  }
  for (const pragma of writerPragmas(opts)) db.exec(pragma)
}

/** Applies the migrations above the file's user_version, each in its own transaction. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration ${i} has version ${m.version}; versions must be 1, 2, 3, …`)
  })
  for (;;) {
    // IMMEDIATE takes the write lock first, so two processes opening a new file at once do not
    // both run migration 1: the second waits, then sees the new user_version and skips it.
    db.exec('BEGIN IMMEDIATE')
    try {
      const version = pragmaNumber(db, 'user_version')
      const next = migrations[version]
      if (!next) {
        db.exec('COMMIT')
        return version
      }
      db.exec(next.sql)
      if (version === 0) db.exec(`PRAGMA application_id = ${APPLICATION_ID}`)
      db.exec(`PRAGMA user_version = ${next.version}`)
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}

/**
 * The "start a fresh one and keep the old file" offer: renames the database (and its -wal, -shm,
 * -journal companions) to `<path>.corrupt-<timestamp>` and creates a new empty database at path.
 */
export function moveAsideAndCreateFresh(path: string): { keptAs: string } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  let keptAs = `${path}.corrupt-${stamp}`
  for (let n = 1; existsSync(keptAs); n++) keptAs = `${path}.corrupt-${stamp}-${n}`
  try {
    if (existsSync(path)) renameSync(path, keptAs)
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, keptAs + suffix)
    }
  } catch (error) {
    throw new StoreError(
      'IO',
      `Could not move ${path} aside: ${(error as Error).message}. Close other programs using it and try again.`,
      { path, cause: error }
    )
  }
  openDatabase(path, { check: 'none' }).close()
  return { keptAs }
}
