import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import {
  APPLICATION_ID,
  checkSqliteRuntime,
  migrate,
  MIGRATIONS,
  moveAsideAndCreateFresh,
  openRunStore,
  SCHEMA_VERSION,
  StoreError,
  type Migration
} from '../../../electron/core/store/index.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-open-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const pragma = (db: DatabaseSync, name: string): unknown => db.prepare(`PRAGMA ${name}`).get()?.[name]

function storeError(f: () => unknown): StoreError {
  try {
    f()
  } catch (error) {
    if (error instanceof StoreError) return error
    throw error
  }
  throw new Error('expected a StoreError')
}

/** The file and its companions as bytes: "never modified" means all of these stay identical. */
function snapshot(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) {
      out[suffix] = createHash('sha256')
        .update(readFileSync(path + suffix))
        .digest('hex')
    }
  }
  return out
}

describe('openRunStore: a new file', () => {
  it('creates the schema in WAL mode with our application id and the current version', () => {
    const path = join(dir, 'runs.db')
    openRunStore(path).close()
    const db = new DatabaseSync(path, { readOnly: true })
    expect(pragma(db, 'application_id')).toBe(APPLICATION_ID)
    expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION)
    expect(pragma(db, 'journal_mode')).toBe('wal')
    expect(pragma(db, 'auto_vacuum')).toBe(2) // INCREMENTAL
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r['name'])
    expect(tables).toEqual(expect.arrayContaining(['runs', 'run_urls', 'results', 'result_blocks']))
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'results'")
      .all()
      .map((r) => r['name'])
    expect(indexes).toEqual(
      expect.arrayContaining([
        'results_ok',
        'results_status',
        'results_error',
        'results_host',
        'results_failed_total'
      ])
    )
    db.close()
  })

  it('initialises an empty SQLite file (no tables) and a zero-byte file', () => {
    const empty = join(dir, 'empty.db')
    new DatabaseSync(empty).close()
    openRunStore(empty).close()
    const zero = join(dir, 'zero.db')
    writeFileSync(zero, '')
    openRunStore(zero).close()
    for (const path of [empty, zero]) {
      const db = new DatabaseSync(path, { readOnly: true })
      expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION)
      db.close()
    }
  })

  it('refuses a missing file when read-only', () => {
    expect(storeError(() => openRunStore(join(dir, 'none.db'), { readonly: true })).code).toBe('IO')
  })
})

describe('openRunStore: files that are not ours are never changed', () => {
  it('random bytes are CORRUPT and stay byte-for-byte the same', () => {
    const path = join(dir, 'random.db')
    writeFileSync(path, randomBytes(64 * 1024))
    const before = snapshot(path)
    const error = storeError(() => openRunStore(path))
    expect(error.code).toBe('CORRUPT')
    expect(error.message).toMatch(/fresh database/)
    expect(snapshot(path)).toEqual(before)
  })

  it('a SQLite header over garbage pages is CORRUPT and unchanged', () => {
    const path = join(dir, 'damaged.db')
    openRunStore(path).close()
    const bytes = readFileSync(path)
    // Keep the 100-byte header, trash the schema page and beyond.
    randomBytes(bytes.length - 100).copy(bytes, 100)
    writeFileSync(path, bytes)
    const before = snapshot(path)
    expect(storeError(() => openRunStore(path)).code).toBe('CORRUPT')
    expect(snapshot(path)).toEqual(before)
  })

  it("another application's SQLite database is FOREIGN and unchanged", () => {
    const path = join(dir, 'other.db')
    const db = new DatabaseSync(path)
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes VALUES (1, 'keep me')")
    db.close()
    const before = snapshot(path)
    const error = storeError(() => openRunStore(path))
    expect(error.code).toBe('FOREIGN')
    expect(error.message).toMatch(/notes/)
    expect(snapshot(path)).toEqual(before)
  })

  it('a database with a different application id is FOREIGN even without tables', () => {
    const path = join(dir, 'other-id.db')
    const db = new DatabaseSync(path)
    db.exec('PRAGMA application_id = 12345')
    db.close()
    const before = snapshot(path)
    expect(storeError(() => openRunStore(path)).code).toBe('FOREIGN')
    expect(snapshot(path)).toEqual(before)
  })

  it('a newer schema version is TOO_NEW and unchanged', () => {
    const path = join(dir, 'newer.db')
    openRunStore(path).close()
    const db = new DatabaseSync(path)
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    const before = snapshot(path)
    const error = storeError(() => openRunStore(path))
    expect(error.code).toBe('TOO_NEW')
    expect(error.message).toMatch(/Update Crawlboard/)
    expect(snapshot(path)).toEqual(before)
  })

  it('a database another connection holds the write lock of is LOCKED', () => {
    const path = join(dir, 'locked.db')
    // A database at the current version, opened with one step more: opening must migrate, which needs the lock.
    const steps: Migration[] = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, description: 'test', sql: 'CREATE TABLE t2 (x)' }
    ]
    openRunStore(path).close()
    const holder = new DatabaseSync(path)
    holder.exec('BEGIN IMMEDIATE')
    try {
      const error = storeError(() => openRunStore(path, { migrations: steps, busyTimeoutMs: 50 }))
      expect(error.code).toBe('LOCKED')
      expect(error.message).toMatch(/Close the other one/)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
  })
})

describe('moveAsideAndCreateFresh', () => {
  it('keeps the bad file (and its -wal/-shm) under a new name and creates an empty store', () => {
    const path = join(dir, 'runs.db')
    const garbage = randomBytes(10_000)
    writeFileSync(path, garbage)
    writeFileSync(`${path}-wal`, 'wal bytes')
    writeFileSync(`${path}-shm`, 'shm bytes')
    const { keptAs } = moveAsideAndCreateFresh(path)
    expect(keptAs).toMatch(/runs\.db\.corrupt-\d{4}-\d\d-\d\dT/)
    expect(readFileSync(keptAs)).toEqual(garbage)
    expect(readFileSync(`${keptAs}-wal`, 'utf8')).toBe('wal bytes')
    expect(readFileSync(`${keptAs}-shm`, 'utf8')).toBe('shm bytes')
    const store = openRunStore(path)
    expect(store.listRuns()).toEqual([])
    store.close()
    // A second time on the same second does not overwrite the first kept file.
    writeFileSync(path, garbage)
    const second = moveAsideAndCreateFresh(path).keptAs
    expect(second).not.toBe(keptAs)
    expect(existsSync(keptAs)).toBe(true)
  })
})

describe('migrations', () => {
  it('brings a version-1 database to the latest version, one transaction per step, keeping its data', () => {
    const path = join(dir, 'v1.db')
    const v1 = openRunStore(path, { migrations: MIGRATIONS.slice(0, 1) })
    v1.createRun({
      id: 'r1',
      name: 'old run',
      config: DEFAULT_CONFIG,
      urls: ['https://a.test/'],
      createdAt: 1
    })
    v1.close()
    const steps: Migration[] = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'add a column',
        sql: "ALTER TABLE runs ADD COLUMN label TEXT NOT NULL DEFAULT 'x'"
      },
      { version: SCHEMA_VERSION + 2, description: 'an index', sql: 'CREATE INDEX runs_label ON runs (label)' }
    ]
    const store = openRunStore(path, { migrations: steps })
    expect(store.getRun('r1')?.name).toBe('old run')
    store.close()
    const db = new DatabaseSync(path, { readOnly: true })
    expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION + 2)
    expect(db.prepare('SELECT label FROM runs').get()?.['label']).toBe('x')
    db.close()
  })

  it('rolls a failing step back and leaves the version where it was', () => {
    const db = new DatabaseSync(join(dir, 'fail.db'))
    const steps: Migration[] = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'half done',
        sql: 'CREATE TABLE half (x); SELECT no_such_function()'
      }
    ]
    expect(() => migrate(db, steps)).toThrow(/no_such_function/)
    expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get()?.['n']).toBe(0)
    db.close()
  })

  it('refuses migrations that are not numbered 1, 2, 3, …', () => {
    const db = new DatabaseSync(':memory:')
    expect(() => migrate(db, [{ version: 2, description: 'gap', sql: '' }])).toThrow(/must be 1, 2, 3/)
    db.close()
  })
})

describe('checkSqliteRuntime', () => {
  it('reports the SQLite version on this runtime', () => {
    const check = checkSqliteRuntime()
    expect(check.ok).toBe(true)
    if (check.ok) expect(check.version).toMatch(/^3\.\d+\.\d+$/)
  })

  it('says which runtime is needed when node:sqlite is missing', () => {
    const check = checkSqliteRuntime(() => undefined)
    expect(check.ok).toBe(false)
    if (!check.ok) {
      expect(check.message).toContain(`This runtime (Node ${process.version}) has no node:sqlite`)
      expect(check.message).toContain('Node ≥ 22.13 / Electron ≥ 40')
    }
  })
})
