import type { ResultFacets, ResultPage, ResultQuery } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { ResultWriter, RunStore } from '../store/index.ts'
import type { FailureTally, ResultSink, ResultStore } from './result-store.ts'

/**
 * A run's results in a run store (the run database, or the in-memory one): the tables' reads and,
 * for a live run, its result sink.
 * Results go to the store's batched writer (one transaction per ~1,000 rows or ~100 ms, off the
 * path that feeds the UI: add() only appends to the writer's buffer); the tables page from SQLite.
 *
 * Reads flush the writer first, so a page asked for during a live run includes every result the
 * dashboard has already counted (a flush of the few rows of the last ~100 ms costs well under a
 * millisecond). A failed flush is reported and the rows stay pending in the writer: the read then
 * shows what is committed, and nothing is lost.
 */
export class StoredResultStore implements ResultStore, ResultSink {
  private readonly store: RunStore
  private readonly runId: string
  private writer: ResultWriter | null
  private count: number
  private readonly onError: (error: Error) => void

  constructor(opts: {
    store: RunStore
    runId: string
    /** Results already stored for this run (a resumed run continues from them). */
    stored: number
    /** Null for a run that only reads (opened from History). */
    writer: ResultWriter | null
    onError: (error: Error) => void
  }) {
    this.store = opts.store
    this.runId = opts.runId
    this.writer = opts.writer
    this.count = opts.stored
    this.onError = opts.onError
  }

  get size(): number {
    return this.count
  }

  add(result: RequestResult): void {
    if (!this.writer) throw new Error(`Run ${this.runId} is read-only here: it has no result writer`)
    this.writer.add(result)
    this.count++
  }

  get(id: number): RequestResult | null {
    this.flush()
    return this.store.getResult(this.runId, id)
  }

  query(query: ResultQuery): ResultPage {
    this.flush()
    return this.store.queryResults(query)
  }

  facets(): ResultFacets {
    this.flush()
    return this.store.getResultFacets(this.runId)
  }

  failureTallies(): readonly FailureTally[] {
    this.flush()
    return this.store.failureCounts(this.runId)
  }

  /** Writes what is pending; throws (rows kept in the writer) when the database refuses. */
  flushNow(): void {
    this.writer?.flush()
  }

  /** Writes what is pending and stops writing. Throws, keeping the writer, when that fails. */
  close(): void {
    if (!this.writer) return
    this.writer.close()
    this.writer = null
  }

  private flush(): void {
    if (!this.writer || this.writer.pending === 0) return
    try {
      this.writer.flush()
    } catch (error) {
      this.onError(error as Error)
    }
  }
}
