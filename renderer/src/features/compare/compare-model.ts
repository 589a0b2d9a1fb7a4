import {
  CHANGE_KINDS,
  MUCH_SLOWER_FACTOR,
  MUCH_SLOWER_MIN_DELTA_MS,
  type ChangeKind,
  type HostDelta,
  type RunInfo,
  type UrlChange
} from '../../../../shared/api.ts'
import type { LatencyFigures } from '../../../../shared/summary.ts'
import { EMPTY, formatMs } from '../../../../shared/format.ts'

/**
 * What the Compare view shows, computed from the host's answers: labels, latency deltas, host
 * sorting, the default pair. Pure: no React, no store.
 */

export const CHANGE_KIND_LABELS: Readonly<Record<ChangeKind, string>> = {
  'newly-failing': 'Newly failing',
  fixed: 'Fixed',
  'status-changed': 'Status changed',
  'much-slower': 'Much slower',
  'only-in-base': 'Only in base',
  'only-in-other': 'Only in other'
}

export const CHANGE_KIND_HINTS: Readonly<Record<ChangeKind, string>> = {
  'newly-failing': 'ok in the base run, failed in the other',
  fixed: 'failed in the base run, ok in the other',
  'status-changed': 'both answered, with different statuses',
  'much-slower': `both ok, the other at least ${MUCH_SLOWER_FACTOR}× and ${MUCH_SLOWER_MIN_DELTA_MS} ms slower`,
  'only-in-base': 'fetched in the base run only',
  'only-in-other': 'fetched in the other run only'
}

/** Differences under this (ms) read as "no change": well inside the histogram's 1% accuracy at 100 ms. */
const SAME_MS = 0.5

export type Direction = 'slower' | 'faster' | 'same' | 'unknown'

export interface Delta {
  /** other − base in ms; null when either is unknown. */
  readonly ms: number | null
  /** Relative to base (0.25 = 25% slower); null when unknown or base is 0. */
  readonly ratio: number | null
  readonly direction: Direction
}

export function latencyDelta(base: number | null | undefined, other: number | null | undefined): Delta {
  if (base === null || base === undefined || other === null || other === undefined) {
    return { ms: null, ratio: null, direction: 'unknown' }
  }
  if (!Number.isFinite(base) || !Number.isFinite(other))
    return { ms: null, ratio: null, direction: 'unknown' }
  const ms = other - base
  const ratio = base > 0 ? ms / base : null
  const direction = Math.abs(ms) < SAME_MS ? 'same' : ms > 0 ? 'slower' : 'faster'
  return { ms, ratio, direction }
}

/** "+120 ms (+35%)", "−8.0 ms (−4%)", "no change", or the empty glyph. */
export function formatDelta(delta: Delta): string {
  if (delta.ms === null) return EMPTY
  if (delta.direction === 'same') return 'no change'
  const sign = delta.ms > 0 ? '+' : '−'
  const abs = formatMs(Math.abs(delta.ms))
  if (delta.ratio === null) return `${sign}${abs}`
  const pct = Math.abs(delta.ratio * 100)
  const pctText = pct >= 10 ? Math.round(pct).toString() : pct.toFixed(1)
  return `${sign}${abs} (${sign}${pctText}%)`
}

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const
export type Percentile = (typeof PERCENTILES)[number]

export interface PercentileRow {
  readonly key: Percentile
  readonly base: number | null
  readonly other: number | null
  readonly delta: Delta
}

export function percentileRows(base: LatencyFigures, other: LatencyFigures): PercentileRow[] {
  return PERCENTILES.map((key) => ({
    key,
    base: base[key],
    other: other[key],
    delta: latencyDelta(base[key], other[key])
  }))
}

export type HostSortKey = 'host' | 'requests' | 'p50' | 'p95'
export interface HostSort {
  readonly key: HostSortKey
  readonly direction: 'asc' | 'desc'
}

export interface HostRow {
  readonly host: string
  readonly baseCount: number | null
  readonly otherCount: number | null
  readonly p50: { readonly base: number | null; readonly other: number | null; readonly delta: Delta }
  readonly p95: { readonly base: number | null; readonly other: number | null; readonly delta: Delta }
}

export function hostRows(hosts: readonly HostDelta[]): HostRow[] {
  return hosts.map((h) => ({
    host: h.host,
    baseCount: h.base?.count ?? null,
    otherCount: h.other?.count ?? null,
    p50: { base: h.base?.p50 ?? null, other: h.other?.p50 ?? null, delta: latencyDelta(h.base?.p50, h.other?.p50) },
    p95: { base: h.base?.p95 ?? null, other: h.other?.p95 ?? null, delta: latencyDelta(h.base?.p95, h.other?.p95) }
  })) // prettier-ignore
}

/**
 * Rows in the chosen order; ties (and the hosts a delta cannot be computed for, which always go
 * last) keep the host's order: most requests first.
 */
export function sortHostRows(rows: readonly HostRow[], sort: HostSort): HostRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1
  const requests = (r: HostRow): number => (r.baseCount ?? 0) + (r.otherCount ?? 0)
  const indexed = rows.map((row, i) => ({ row, i }))
  indexed.sort((a, b) => {
    let c = 0
    switch (sort.key) {
      case 'host':
        c = sign * (a.row.host < b.row.host ? -1 : a.row.host > b.row.host ? 1 : 0)
        break
      case 'requests':
        c = sign * (requests(a.row) - requests(b.row))
        break
      case 'p50':
      case 'p95': {
        const x = a.row[sort.key].delta.ms
        const y = b.row[sort.key].delta.ms
        if (x === null || y === null) c = x === null ? (y === null ? 0 : 1) : -1
        else c = sign * (x - y)
        break
      }
    }
    return c || a.i - b.i
  })
  return indexed.map((x) => x.row)
}

/** The next order when a column header is clicked: a new column starts with its natural direction. */
export function nextHostSort(current: HostSort, key: HostSortKey): HostSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { key, direction: key === 'host' ? 'asc' : 'desc' }
}

/**
 * The run to compare a base with when none is picked: the next run made after it (a re-run's
 * usual question: "what changed since?"), else the one just before it.
 */
export function defaultOther(runs: readonly RunInfo[], baseRunId: string): string | null {
  const base = runs.find((r) => r.runId === baseRunId)
  if (!base) return null
  const others = runs.filter((r) => r.runId !== baseRunId)
  const later = others.filter((r) => r.createdAt >= base.createdAt).sort((a, b) => a.createdAt - b.createdAt)
  const earlier = others.filter((r) => r.createdAt < base.createdAt).sort((a, b) => b.createdAt - a.createdAt)
  return later[0]?.runId ?? earlier[0]?.runId ?? null
}

/** Selected kinds in CHANGE_KINDS order (the order the host lists them in). */
export function toggleKind(selected: readonly ChangeKind[], kind: ChangeKind): ChangeKind[] {
  const next = new Set(selected)
  if (next.has(kind)) next.delete(kind)
  else next.add(kind)
  return CHANGE_KINDS.filter((k) => next.has(k))
}

/** "1–100 of 4,524", or "No changes" when the page is empty. */
export function pageLabel(offset: number, rows: number, total: number, count: (n: number) => string): string {
  if (total === 0) return 'No changes'
  if (rows === 0) return `None past ${count(total)}`
  return `${count(offset + 1)}–${count(offset + rows)} of ${count(total)}`
}

/** other − base total time of one URL, for the table; null when either side is missing. */
export function changeDelta(change: UrlChange): Delta {
  return latencyDelta(change.base?.totalMs, change.other?.totalMs)
}

export function totalChanges(counts: Readonly<Record<ChangeKind, number>>): number {
  return CHANGE_KINDS.reduce((sum, k) => sum + counts[k], 0)
}
