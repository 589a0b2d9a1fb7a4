import type { ResultFacets, ResultPage, ResultQuery } from '../../../shared/api.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { RequestResult } from '../../../shared/result.ts'

/**
 * A run's finished results as the tables page through them, and where a live run's results go.
 * Both are backed by a run store (the run database, or the in-memory one while the database
 * cannot be used), so filtering, sorting and search are written once, in SQL (store/result-queries.ts).
 * Synchronous on purpose: node:sqlite is synchronous too.
 */
export interface ResultStore {
  readonly size: number
  get(id: number): RequestResult | null
  query(query: ResultQuery): ResultPage
  facets(): ResultFacets
  /** Failed results per error code, most frequent first: what failure groups are made of. */
  failureTallies(): readonly FailureTally[]
}

/**
 * Where a live run's finished results go: the seam a shared store (many runners, one database)
 * would implement. add() must not block on I/O: results are written in batches behind it.
 */
export interface ResultSink {
  add(result: RequestResult): void
  /** Writes what is pending now; throws (keeping the rows) when the store refuses. */
  flushNow(): void
  /** Writes what is pending and stops taking results. */
  close(): void
}

export interface FailureTally {
  readonly code: ErrorCode
  readonly count: number
  /** The first few URLs that failed with this code. */
  readonly sampleUrls: readonly string[]
  readonly hosts: ReadonlyMap<string, number>
  /** Response statuses among these failures (0 = no response). */
  readonly statuses: ReadonlyMap<number, number>
}
