import type { ResultQuery, ResultRow, ResultSortColumn } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'

/**
 * Pure pieces of a result query (filter, order, row shape) over results held in arrival order and
 * addressed by their index in that order. The in-memory store composes them with a cache; a SQLite
 * store will express the same semantics in SQL, so they are written down once here:
 *
 * - Filters combine with AND across kinds and OR within one kind (statuses [404, 410] is "either").
 * - A result without a response has status 0 (as in CompactResults), so statuses [0] selects them.
 * - depths are exact link depths (RequestResult.depth): [0] is the seeds, list and sitemap URLs.
 * - search is a case-insensitive substring of the URL, final URL, title or error message.
 * - Sorting is by the column, then by id ascending, in both directions, so pages never shuffle rows
 *   with equal values between calls. Strings compare by code unit (fast, and stable across locales).
 */

export type IndexPredicate = (row: RequestResult, index: number) => boolean
export type IndexComparator = (a: number, b: number) => number

/** The part of a query that selects and orders rows (everything but the page window). */
export function queryKey(q: ResultQuery): string {
  return JSON.stringify([
    q.sort.column,
    q.sort.direction,
    q.outcome,
    [...new Set(q.statuses)].sort((a, b) => a - b),
    [...new Set(q.errorCodes)].sort(),
    [...new Set(q.hosts)].sort(),
    [...new Set(q.depths)].sort((a, b) => a - b),
    q.search.trim().toLowerCase()
  ])
}

/** The filter of a query, or null when it keeps every row. `searchText(i)` is row i's lower-cased text. */
export function buildPredicate(q: ResultQuery, searchText: (index: number) => string): IndexPredicate | null {
  const tests: IndexPredicate[] = []
  if (q.outcome === 'ok') tests.push((r) => r.ok)
  else if (q.outcome === 'failed') tests.push((r) => !r.ok)
  if (q.statuses.length > 0) {
    const statuses = new Set(q.statuses)
    tests.push((r) => statuses.has(r.status ?? 0))
  }
  if (q.errorCodes.length > 0) {
    const codes = new Set<string>(q.errorCodes)
    tests.push((r) => r.error !== null && codes.has(r.error.code))
  }
  if (q.hosts.length > 0) {
    const hosts = new Set(q.hosts)
    tests.push((r) => hosts.has(r.host))
  }
  if (q.depths.length > 0) {
    const depths = new Set(q.depths)
    tests.push((r) => depths.has(r.depth))
  }
  const needle = q.search.trim().toLowerCase()
  if (needle !== '') tests.push((_r, i) => searchText(i).includes(needle))
  if (tests.length === 0) return null
  return (r, i) => {
    for (const test of tests) if (!test(r, i)) return false
    return true
  }
}

/**
 * Lower-cased text the search looks in: fields joined by a newline, which no field contains, so a
 * match never spans two fields. The final URL is left out when it is the URL (most results).
 */
export function searchTextOf(r: RequestResult): string {
  const final = r.finalUrl === r.url ? '' : r.finalUrl
  return `${r.url}\n${final}\n${r.title ?? ''}\n${r.error?.message ?? ''}`.toLowerCase()
}

/** Each sort column's value for a row (what the SQLite store will ORDER BY). */
export const SORT_KEYS: Readonly<Record<ResultSortColumn, (r: RequestResult) => number | string>> = {
  id: (r) => r.id,
  url: (r) => r.url,
  host: (r) => r.host,
  status: (r) => r.status ?? 0,
  errorCode: (r) => r.error?.code ?? '',
  attempts: (r) => r.attempts.length,
  totalMs: (r) => r.timings.total,
  ttfbMs: (r) => r.timings.ttfb,
  bytes: (r) => r.bytes,
  finishedAt: (r) => r.finishedAt,
  depth: (r) => r.depth
}

/**
 * Orders row indexes by precomputed keys (keys[i] is row i's value in the sort column), then by id
 * ascending. Reading flat key arrays instead of calling an accessor per comparison keeps the
 * comparator monomorphic and cache-friendly: about 5× faster over 100,000 rows.
 */
export function buildComparator(
  keys: readonly (number | string)[],
  ids: readonly number[],
  direction: 'asc' | 'desc'
): IndexComparator {
  const sign = direction === 'asc' ? 1 : -1
  return (a, b) => {
    const ka = keys[a] ?? 0
    const kb = keys[b] ?? 0
    if (ka < kb) return -sign
    if (ka > kb) return sign
    return (ids[a] ?? 0) - (ids[b] ?? 0)
  }
}

/** Merges two index lists each already in `cmp` order. */
export function mergeSorted(a: readonly number[], b: readonly number[], cmp: IndexComparator): number[] {
  const out = new Array<number>(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0
    const y = b[j] ?? 0
    if (cmp(x, y) <= 0) {
      out[k++] = x
      i++
    } else {
      out[k++] = y
      j++
    }
  }
  while (i < a.length) out[k++] = a[i++] ?? 0
  while (j < b.length) out[k++] = b[j++] ?? 0
  return out
}

export function toResultRow(r: RequestResult): ResultRow {
  return {
    id: r.id,
    url: r.url,
    host: r.host,
    status: r.status,
    ok: r.ok,
    errorCode: r.error?.code ?? null,
    errorMessage: r.error?.message ?? null,
    attempts: r.attempts.length,
    totalMs: r.timings.total,
    ttfbMs: r.timings.ttfb,
    bytes: r.bytes,
    title: r.title,
    finishedAt: r.finishedAt,
    depth: r.depth
  }
}
