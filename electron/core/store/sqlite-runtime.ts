import { StoreError } from './store-error.ts'

/**
 * node:sqlite is loaded at run time, never by a static import: on a runtime without it (Node 20,
 * Electron before 40) a static import would fail while loading the main bundle, before the app
 * could say why. process.getBuiltinModule is the synchronous form of `await import('node:sqlite')`
 * and is opaque to the bundler, so electron-vite leaves it alone.
 */
export type SqliteModule = typeof import('node:sqlite')
export type SqliteLoader = () => SqliteModule | undefined

export const SQLITE_REQUIREMENT = 'Crawlboard needs Node ≥ 22.13 / Electron ≥ 40'

export const loadBuiltinSqlite: SqliteLoader = () => {
  // Node 22.5–22.12 throws for a builtin behind a flag; older runtimes lack getBuiltinModule.
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
  if (typeof get !== 'function') return undefined
  try {
    return get.call(process, 'node:sqlite') as SqliteModule | undefined
  } catch {
    return undefined
  }
}

function missingMessage(): string {
  return `This runtime (Node ${process.version}) has no node:sqlite; ${SQLITE_REQUIREMENT}.`
}

export type SqliteRuntimeCheck =
  { readonly ok: true; readonly version: string } | { readonly ok: false; readonly message: string }

/** The startup self-test: can this runtime open a SQLite database, and which SQLite is it? */
export function checkSqliteRuntime(load: SqliteLoader = loadBuiltinSqlite): SqliteRuntimeCheck {
  const sqlite = load()
  if (!sqlite || typeof sqlite.DatabaseSync !== 'function') return { ok: false, message: missingMessage() }
  try {
    const db = new sqlite.DatabaseSync(':memory:')
    try {
      const row = db.prepare('SELECT sqlite_version() AS version').get()
      return { ok: true, version: String(row?.['version']) }
    } finally {
      db.close()
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      message: `node:sqlite is present but cannot open a database (${detail}); ${SQLITE_REQUIREMENT}.`
    }
  }
}

let cached: SqliteModule | undefined

/** node:sqlite, or an UNSUPPORTED_RUNTIME StoreError that says which runtime is needed. */
export function requireSqlite(load: SqliteLoader = loadBuiltinSqlite): SqliteModule {
  if (cached && load === loadBuiltinSqlite) return cached
  const sqlite = load()
  if (!sqlite || typeof sqlite.DatabaseSync !== 'function') {
    throw new StoreError('UNSUPPORTED_RUNTIME', missingMessage())
  }
  if (load === loadBuiltinSqlite) cached = sqlite
  return sqlite
}
