import type { ApiMethod, CrawlerApi, EventBatch } from '../../../shared/api.ts'

/**
 * The server side of the CrawlerApi, shared by Electron's IPC handlers and the browser host's
 * WebSocket server: the same engine, the same runs, the same events, whichever transport asks.
 * Plain Node (never imports 'electron'), so it is tested without Electron.
 */
export type CrawlerBackend = Omit<CrawlerApi, 'onEvents'> & {
  /** Every event batch of every run, as main flushes it (~every 100 ms while a run goes). */
  subscribe(listener: (batch: EventBatch) => void): () => void
  /**
   * Stops driving every run (each left interrupted, resumable, `reason` recorded; default: the app
   * quit), stops the demo target and flushes what must be saved.
   */
  close(reason?: string): Promise<void>
}

/**
 * Validates raw arguments from a transport against the contract's schema and calls the method.
 * A bad payload is refused with ApiError('BAD_REQUEST', "<method> argument N: field: reason").
 */
export type ApiDispatcher = (method: ApiMethod, args: readonly unknown[]) => Promise<unknown>
