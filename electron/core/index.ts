/**
 * The core's public entry: what the Electron main process, the browser host and the headless
 * runner use. Plain Node (never 'electron'); inside, imports run one way:
 * api → run → engine → policy units (crawl, politeness) → shared, with store, export and demo
 * beside them. Front ends import this file only (the lint enforces it).
 */
export {
  createApiDispatcher,
  createCrawlerBackend,
  isApiMethod,
  toWireError,
  type ApiDispatcher,
  type CrawlerBackend,
  type CrawlerBackendOptions,
  type WireError
} from './api/index.ts'
export type { DownloadSource } from './api/crawler-backend.ts'
export { DOWNLOAD_PATH, type Download } from './api/run-exports.ts'
export { startDemoTarget, generateDemoUrls, type DemoTarget } from './demo/demo-target.ts'
export { RunRegistry, type RunRegistryOptions } from './run/registry.ts'
export type { LiveRun, RunOutcome, InterruptCause } from './run/live-run.ts'
export type { RunHandle } from './run/run-handle.ts'
export { onStopSignals, SIGNAL_EXIT_CODES, SIGNAL_REASONS, type StopSignal } from './run/signals.ts'
export { checkSqliteRuntime, openRunStore, StoreError, type RunStore, type StoredRun } from './store/index.ts'
export { createResultStream, writeRunExport } from './export/index.ts'
export {
  INGEST_BATCH,
  UrlIngest,
  type IngestReport,
  type InputReport,
  type LineChunks,
  type UrlInput
} from './run/url-ingest.ts'
