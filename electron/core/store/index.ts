/**
 * The run store (issue 4): one SQLite database of runs, their input URLs and results, through
 * node:sqlite. Never imports 'electron': the app, the browser host and the headless runner share it.
 */
export {
  moveAsideAndCreateFresh,
  migrate,
  DEFAULT_CACHE_SIZE_KIB,
  type OpenDatabaseOptions
} from './open-database.ts'
export {
  MAX_HOST_FACETS,
  SAMPLE_URLS_PER_CODE,
  type RowSummary,
  type StoredFailureTally
} from './result-aggregates.ts'
export { likePattern } from './result-queries.ts'
export type { StoredHostFigures } from './host-figures.ts'
export type { RunUrl } from './run-urls.ts'
export {
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_DELAY_MS,
  type ResultWriter,
  type ResultWriterOptions
} from './result-writer.ts'
export type { NewRun, RunFlags, RunListEntry, RunOwner, RunPatch, StoredRun } from './run-records.ts'
export { restoreRunStats, statsFromRows } from './run-restore.ts'
export { openMemoryRunStore, openRunStore, RunStore, type OpenRunStoreOptions } from './run-store.ts'
export type { StoredComparison } from './run-compare.ts'
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema.ts'
export {
  checkSqliteRuntime,
  SQLITE_REQUIREMENT,
  type SqliteLoader,
  type SqliteRuntimeCheck
} from './sqlite-runtime.ts'
export { StoreError, type StoreErrorCode } from './store-error.ts'
export { DATABASE_FILE, openRunDatabase, type RunDatabase } from './run-database.ts'
