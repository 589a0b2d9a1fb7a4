import type { ResultQueryInput, ResultSortColumn } from '../../../../shared/api.ts'
import type { ErrorCode } from '../../../../shared/errors.ts'

/** What the table's controls choose; turned into a ResultQueryInput per page. */

export type Outcome = 'all' | 'ok' | 'failed'
export type SortDirection = 'asc' | 'desc'

export interface SortState {
  readonly column: ResultSortColumn
  readonly direction: SortDirection
}

export interface ResultFilters {
  readonly outcome: Outcome
  readonly statuses: readonly number[]
  readonly errorCodes: readonly ErrorCode[]
  readonly hosts: readonly string[]
  /** Link depths (spider runs). */
  readonly depths: readonly number[]
  readonly search: string
  readonly sort: SortState
}

/** A query without its window: the part that keys the page cache. */
export type BaseQuery = Required<Omit<ResultQueryInput, 'offset' | 'limit'>>

export const DEFAULT_SORT: SortState = { column: 'id', direction: 'asc' }

export function defaultFilters(
  outcome: Outcome = 'all',
  errorCodes: readonly ErrorCode[] = []
): ResultFilters {
  return { outcome, statuses: [], errorCodes, hosts: [], depths: [], search: '', sort: DEFAULT_SORT }
}

/**
 * The query for these filters. Lists are sorted and deduplicated and the search trimmed, so equal
 * choices give equal keys (and one cache) whatever order the user clicked them in.
 */
export function buildQuery(runId: string, f: ResultFilters): BaseQuery {
  return {
    runId,
    sort: { column: f.sort.column, direction: f.sort.direction },
    outcome: f.outcome,
    statuses: [...new Set(f.statuses)].sort((a, b) => a - b),
    errorCodes: [...new Set(f.errorCodes)].sort(),
    hosts: [...new Set(f.hosts)].sort(),
    depths: [...new Set(f.depths)].sort((a, b) => a - b),
    search: f.search.trim()
  }
}

/** A stable string key for a base query (fixed field order). */
export function queryKey(q: BaseQuery): string {
  return JSON.stringify([
    q.runId,
    q.sort.column,
    q.sort.direction,
    q.outcome,
    q.statuses,
    q.errorCodes,
    q.hosts,
    q.depths,
    q.search
  ])
}

export function withOutcome(q: BaseQuery, outcome: Outcome): BaseQuery {
  return { ...q, outcome }
}

/** Columns an analyst usually wants largest-first on the first click. */
const DESC_FIRST: ReadonlySet<ResultSortColumn> = new Set([
  'totalMs',
  'ttfbMs',
  'bytes',
  'attempts',
  'finishedAt'
])

/** Header click: the same column flips direction; another column starts at its natural direction. */
export function nextSort(current: SortState, column: ResultSortColumn): SortState {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { column, direction: DESC_FIRST.has(column) ? 'desc' : 'asc' }
}

/** Adds the value when absent, removes it when present. */
export function toggleIn<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value]
}

export function hasNarrowingFilters(f: ResultFilters): boolean {
  return (
    f.statuses.length > 0 ||
    f.errorCodes.length > 0 ||
    f.hosts.length > 0 ||
    f.depths.length > 0 ||
    f.search.trim() !== ''
  )
}
