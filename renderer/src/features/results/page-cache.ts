import type { ResultRow } from '../../../../shared/api.ts'

/**
 * Range math for the paged table: the virtualizer reports which rows are on screen; these say
 * which fixed-size pages cover them and which cached pages to drop. Pure, so it is tested in node.
 */

/** Rows per queryResults call (the contract allows up to 1,000). */
export const PAGE_SIZE = 200
/** Pages kept per query: a screenful plus prefetch either side, never the whole run. */
export const MAX_CACHED_PAGES = 6
/** Rows fetched beyond the visible window on each side, so slow scrolling never shows skeletons. */
export const PREFETCH_ROWS = 60

export function pageOf(index: number, pageSize = PAGE_SIZE): number {
  return Math.floor(Math.max(0, index) / pageSize)
}

/**
 * Pages covering rows [first, last] (inclusive), clamped to the result count. Before the count is
 * known (null) only the first page is asked for: it brings the total.
 */
export function pagesForRange(
  first: number,
  last: number,
  total: number | null,
  pageSize = PAGE_SIZE
): number[] {
  if (total === null) return [0]
  if (total <= 0) return []
  const lo = Math.max(0, Math.min(first, last))
  const hi = Math.min(total - 1, Math.max(first, last))
  if (hi < lo) return [pageOf(total - 1, pageSize)]
  const out: number[] = []
  for (let p = pageOf(lo, pageSize); p <= pageOf(hi, pageSize); p++) out.push(p)
  return out
}

/** The page holding row `index`, or undefined while it is not loaded. */
export function rowAt(
  pages: ReadonlyMap<number, readonly ResultRow[]>,
  index: number,
  pageSize = PAGE_SIZE
): ResultRow | undefined {
  return pages.get(pageOf(index, pageSize))?.[index % pageSize]
}

/**
 * Least recently used pages to drop so at most `max` remain; pages in `keep` (the ones on screen)
 * are never dropped, even when they alone exceed `max`.
 */
export function pagesToEvict(
  lastUsed: ReadonlyMap<number, number>,
  keep: ReadonlySet<number>,
  max = MAX_CACHED_PAGES
): number[] {
  const excess = lastUsed.size - max
  if (excess <= 0) return []
  const candidates = [...lastUsed]
    .filter(([page]) => !keep.has(page))
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
  return candidates.slice(0, excess).map(([page]) => page)
}
