import type { ResultFacets } from '../../../shared/api.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import { num, str, type Row } from './result-codec.ts'
import type { ResultQueries } from './result-queries.ts'
import { ridOf, RID_SPAN } from './schema.ts'

/**
 * Per-run aggregates computed by SQL over the indexes: filter menus (facets), failure groups, and
 * the counts a summary must agree with. Each is cached until the run's rows change, as pages are.
 */

/** Filter menus list at most this many hosts (the most frequent), as the in-memory store does. */
export const MAX_HOST_FACETS = 500
export const SAMPLE_URLS_PER_CODE = 3
const MAX_CACHED = 16
/** results.host is a hosts.id. */
const HOST_NAME = '(SELECT name FROM hosts WHERE hosts.id = results.host)'

/** Failed results of one error code: the shape the service's failure groups are built from. */
export interface StoredFailureTally {
  readonly code: ErrorCode
  readonly count: number
  /** The first few URLs (by id) that failed with this code. */
  readonly sampleUrls: readonly string[]
  readonly hosts: ReadonlyMap<string, number>
  /** Response statuses among these failures (0 = no response). */
  readonly statuses: ReadonlyMap<number, number>
}

/** Counts recomputed from the rows, to check a stored RunSummary against. */
export interface RowSummary {
  readonly done: number
  readonly ok: number
  readonly failed: number
  /** Attempts beyond each result's first. */
  readonly retries: number
  readonly bytes: number
  /** Keyed like RunSummary.byStatus: the status, or 'none' for no response. */
  readonly byStatus: Readonly<Record<string, number>>
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
}

const byCountThenValue = <T extends number | string>(
  a: { value: T; count: number },
  b: { value: T; count: number }
): number => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)

export class ResultAggregates {
  private readonly queries: ResultQueries
  private readonly cache = new Map<string, unknown>()

  constructor(queries: ResultQueries) {
    this.queries = queries
  }

  invalidate(): void {
    this.cache.clear()
  }

  facets(runKey: number, version: string): ResultFacets {
    return this.cached(`${runKey}|${version}|facets`, () => {
      const counts = (
        column: string,
        extra = '',
        value = column
      ): { value: string | number; count: number }[] =>
        this.queries
          .statement(
            `SELECT ${value} AS value, count(*) AS n FROM results WHERE run = ? ${extra} GROUP BY ${column}`
          )
          .all(runKey)
          .map((row) => ({ value: row['value'] as string | number, count: num(row, 'n') }))
          .sort(byCountThenValue)
      return {
        statuses: counts('status') as { value: number; count: number }[],
        errorCodes: counts('error_code', 'AND error_code IS NOT NULL') as {
          value: ErrorCode
          count: number
        }[],
        hosts: (counts('results.host', '', HOST_NAME) as { value: string; count: number }[]).slice(
          0,
          MAX_HOST_FACETS
        ),
        // Shallowest first, as the in-memory store lists them (depth is an order, not a ranking).
        depths: (counts('depth') as { value: number; count: number }[]).sort((a, b) => a.value - b.value)
      }
    })
  }

  /** Failed results (ok = 0 with an error) per code, most frequent first. */
  failureTallies(runKey: number, version: string): StoredFailureTally[] {
    return this.cached(`${runKey}|${version}|failures`, () => {
      const groups = new Map<
        ErrorCode,
        { count: number; hosts: Map<string, number>; statuses: Map<number, number> }
      >()
      const rows = this.queries
        .statement(
          `SELECT error_code, ${HOST_NAME} AS host, status, count(*) AS n FROM results
           WHERE run = ? AND error_code IS NOT NULL AND ok = 0 GROUP BY error_code, results.host, status`
        )
        .all(runKey)
      for (const row of rows) {
        const code = str(row, 'error_code') as ErrorCode
        let g = groups.get(code)
        if (!g) {
          g = { count: 0, hosts: new Map(), statuses: new Map() }
          groups.set(code, g)
        }
        const n = num(row, 'n')
        const host = str(row, 'host')
        const status = num(row, 'status')
        g.count += n
        g.hosts.set(host, (g.hosts.get(host) ?? 0) + n)
        g.statuses.set(status, (g.statuses.get(status) ?? 0) + n)
      }
      const samples = this.queries.statement(
        `SELECT url FROM results WHERE run = ? AND error_code = ? AND ok = 0 ORDER BY rid LIMIT ${SAMPLE_URLS_PER_CODE}`
      )
      return [...groups]
        .map(([code, g]) => ({
          code,
          count: g.count,
          sampleUrls: samples.all(runKey, code).map((row) => str(row, 'url')),
          hosts: g.hosts,
          statuses: g.statuses
        }))
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
    })
  }

  summary(runKey: number): RowSummary {
    const grouped = (sql: string): Row[] => this.queries.statement(sql).all(runKey)
    let ok = 0
    let failed = 0
    for (const row of grouped('SELECT ok, count(*) AS n FROM results WHERE run = ? GROUP BY ok')) {
      if (num(row, 'ok') === 1) ok += num(row, 'n')
      else failed += num(row, 'n')
    }
    const byStatus: Record<string, number> = {}
    for (const row of grouped('SELECT status, count(*) AS n FROM results WHERE run = ? GROUP BY status')) {
      const status = num(row, 'status')
      byStatus[status === 0 ? 'none' : String(status)] = num(row, 'n')
    }
    const byError: Partial<Record<ErrorCode, number>> = {}
    for (const row of grouped(
      'SELECT error_code, count(*) AS n FROM results WHERE run = ? AND error_code IS NOT NULL GROUP BY error_code'
    )) {
      byError[str(row, 'error_code') as ErrorCode] = num(row, 'n')
    }
    const totals = this.queries
      .statement(
        'SELECT total(max(attempts - 1, 0)) AS retries, total(bytes) AS bytes FROM results WHERE rid BETWEEN ? AND ?'
      )
      .get(ridOf(runKey, 0), ridOf(runKey, RID_SPAN - 1))
    return {
      done: ok + failed,
      ok,
      failed,
      retries: totals ? num(totals, 'retries') : 0,
      bytes: totals ? num(totals, 'bytes') : 0,
      byStatus,
      byError
    }
  }

  private cached<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T
    const value = compute()
    this.cache.set(key, value)
    if (this.cache.size > MAX_CACHED) {
      const oldest = this.cache.keys().next()
      if (!oldest.done) this.cache.delete(oldest.value)
    }
    return value
  }
}
