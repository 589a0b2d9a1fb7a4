import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { StoreStatus } from '../../../shared/api.ts'
import { moveAsideAndCreateFresh } from './open-database.ts'
import { openRunStore, type RunStore } from './run-store.ts'
import { checkSqliteRuntime } from './sqlite-runtime.ts'
import { StoreError } from './store-error.ts'

/**
 * The backend's run database: opened once at start in the data folder. When it cannot be opened
 * (damaged, another program's file, made by a newer Crawlboard, no node:sqlite) the file is left
 * untouched, the status says why, and runs are kept in memory until the user starts a fresh
 * database — which moves the old file aside (kept, renamed) rather than overwriting it.
 */

export const DATABASE_FILE = 'crawlboard.db'

/** Codes where a fresh database can replace the file (the old one is kept beside it). */
const REPLACEABLE = new Set(['CORRUPT', 'FOREIGN', 'TOO_NEW'])

export interface RunDatabase {
  /** The open store, or null while the database is unavailable. */
  readonly store: RunStore | null
  status(): StoreStatus
  /** Moves an unusable file aside and opens a fresh database there. */
  startFresh(): StoreStatus
  close(): void
}

export function openRunDatabase(opts: {
  dataDir: string
  /** Overrides where the file is (tests, the browser host's --db). */
  path?: string
  log: (message: string, error?: unknown) => void
}): RunDatabase {
  const path = opts.path ?? join(opts.dataDir, DATABASE_FILE)
  let store: RunStore | null = null
  let status: StoreStatus

  const open = (): StoreStatus => {
    const runtime = checkSqliteRuntime()
    if (!runtime.ok) {
      return { kind: 'unavailable', path, code: 'RUNTIME', message: runtime.message, canStartFresh: false }
    }
    try {
      mkdirSync(opts.dataDir, { recursive: true })
      store = openRunStore(path)
      return { kind: 'ok', path }
    } catch (error) {
      const code = error instanceof StoreError ? error.code : 'IO'
      const message = error instanceof Error ? error.message : String(error)
      opts.log(`crawlboard: the run database could not be opened: ${message}`)
      return { kind: 'unavailable', path, code, message, canStartFresh: REPLACEABLE.has(code) }
    }
  }
  status = open()

  return {
    get store() {
      return store
    },
    status: () => status,
    startFresh() {
      if (store !== null) return status
      if (status.kind === 'unavailable' && !status.canStartFresh) {
        throw new StoreError('IO', `A fresh database would not help: ${status.message}`, { path })
      }
      const { keptAs } = moveAsideAndCreateFresh(path)
      const reopened = open()
      status = reopened.kind === 'ok' ? { kind: 'replaced', path, keptAs } : reopened
      return status
    },
    close() {
      store?.close()
      store = null
    }
  }
}
