import { statusClassOf, type StatusClass } from '../../../../shared/result.ts'
import type { ErrorCode } from '../../../../shared/errors.ts'
import type { HistogramBucket } from '../../../../shared/histogram.ts'
import type { SeriesPoint } from '../../../../shared/time-series.ts'
import { capRecent, lttb, MAX_SERIES_POINTS, minMaxDownsample } from './downsample.ts'
import type { RecentPoint } from './types.ts'

/**
 * Pure shaping of the dashboard's aggregates into recharts rows: x in seconds since the run start,
 * every series downsampled before recharts sees it. Kept apart from the components so it is tested
 * in node and so the components only memoise and draw.
 */

/** Line charts: ≤ this many rows per chart (well under the 2,000-point budget of a series). */
export const LINE_POINTS = 1_000
/** Rows per pixel of chart width: a line needs no more than one vertex per two pixels. */
const POINTS_PER_PX = 0.5

/**
 * Rows a chart of this width gets. recharts' cost grows with every vertex of every line (measured:
 * ~2,000 points ≈ 37 ms per redraw), so a half-width chart should not pay for a full-width budget.
 */
export function pointBudget(widthPx: number | null): number {
  if (widthPx === null || !Number.isFinite(widthPx)) return 400
  return Math.max(60, Math.min(LINE_POINTS, Math.round(widthPx * POINTS_PER_PX)))
}
/** The individual-request scatter (one SVG path per colour; the store samples up to this many). */
export const SCATTER_POINTS = 1_500

export interface LatencyRow {
  readonly x: number
  readonly p50: number | null
  readonly p95: number | null
  readonly p99: number | null
}

export interface ThroughputRow {
  readonly x: number
  readonly ok: number
  readonly failed: number
}

export interface InFlightRow {
  readonly x: number
  readonly inFlight: number
  readonly limit: number | null
}

export interface ScatterRow {
  readonly x: number
  readonly ms: number
}

const byX = (r: { readonly x: number }): number => r.x

export function latencyRows(series: readonly SeriesPoint[], limit = LINE_POINTS): readonly LatencyRow[] {
  const rows = series.map((p) => ({ x: p.t, p50: p.p50, p95: p.p95, p99: p.p99 }))
  return minMaxDownsample(rows, Math.min(limit, MAX_SERIES_POINTS), [
    (r) => r.p50,
    (r) => r.p95,
    (r) => r.p99
  ])
}

export function throughputRows(
  series: readonly SeriesPoint[],
  limit = LINE_POINTS
): readonly ThroughputRow[] {
  const rows = series.map((p) => ({ x: p.t, ok: p.ok, failed: p.failed }))
  return lttb(rows, Math.min(limit, MAX_SERIES_POINTS), byX, (r) => r.ok + r.failed)
}

export function inFlightRows(series: readonly SeriesPoint[], limit = LINE_POINTS): readonly InFlightRow[] {
  const rows = series.map((p) => ({ x: p.t, inFlight: p.inFlight, limit: p.limit }))
  return minMaxDownsample(rows, Math.min(limit, MAX_SERIES_POINTS), [(r) => r.inFlight, (r) => r.limit])
}

/** Sampled requests as scatter points, split by outcome (each its own colour); the newest `limit` kept. */
export function scatterRows(
  recent: readonly RecentPoint[],
  startedAt: number,
  limit = SCATTER_POINTS
): { readonly ok: readonly ScatterRow[]; readonly failed: readonly ScatterRow[] } {
  const kept = capRecent(recent, limit, (p) => p.at)
  const ok: ScatterRow[] = []
  const failed: ScatterRow[] = []
  for (const p of kept) {
    if (!Number.isFinite(p.ms) || p.at < startedAt) continue
    const row = { x: (p.at - startedAt) / 1000, ms: p.ms }
    if (p.ok) ok.push(row)
    else failed.push(row)
  }
  return { ok, failed }
}

/** The smallest 1-2-2.5-5 × 10^k at or above v (an axis end that gives round ticks). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1
  const e = Math.pow(10, Math.floor(Math.log10(v)))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= v * (1 - 1e-12)) return m * e
  return 10 * e
}

/**
 * Y domain of the latency chart over the lines and the dots. Linear: [0, a round number ≥ max].
 * Log: whole decades around [min, max], never below 0.1 ms (a log axis has no zero).
 */
export function latencyDomain(
  rows: readonly LatencyRow[],
  scatter: { readonly ok: readonly ScatterRow[]; readonly failed: readonly ScatterRow[] },
  log: boolean
): [number, number] {
  let min = Infinity
  let max = 0
  const see = (v: number | null): void => {
    if (v === null || !Number.isFinite(v) || v <= 0) return
    if (v < min) min = v
    if (v > max) max = v
  }
  for (const r of rows) {
    see(r.p50)
    see(r.p95)
    see(r.p99)
  }
  for (const p of scatter.ok) see(p.ms)
  for (const p of scatter.failed) see(p.ms)
  if (max === 0) return log ? [1, 10] : [0, 1]
  if (!log) return [0, niceCeil(max)]
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(0.1, min))))
  const hi = Math.pow(10, Math.ceil(Math.log10(max)))
  return [lo, hi > lo ? hi : lo * 10]
}

/** Evenly spaced round ticks from 0 to `max` (itself a niceCeil value): 4 or 5 intervals. */
export function linearTicks(max: number): readonly number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0]
  const e = Math.pow(10, Math.floor(Math.log10(max)))
  let step = max / 5
  for (const m of [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10]) {
    const st = m * e
    const n = max / st
    if (n <= 5 + 1e-9 && Math.abs(n - Math.round(n)) < 1e-9) {
      step = st
      break
    }
  }
  const out: number[] = []
  for (let k = 0; k * step <= max * (1 + 1e-9); k++) out.push(Number((k * step).toPrecision(12)))
  return out
}

// ---- spider: queue size and pages per depth ------------------------------------------------------

export interface QueueRow {
  readonly x: number
  readonly queued: number
  readonly discovered: number
}

/** Queue samples (epoch ms) as rows in seconds since the start, downsampled on the queue size. */
export function queueRows(
  samples: readonly { readonly at: number; readonly queued: number; readonly discovered: number }[],
  startedAt: number,
  limit = LINE_POINTS,
  endS = 0
): readonly QueueRow[] {
  const rows: QueueRow[] = []
  for (const s of samples) {
    if (s.at < startedAt) continue
    rows.push({ x: (s.at - startedAt) / 1000, queued: s.queued, discovered: s.discovered })
  }
  // Samples come only when a count moves: the last values hold until the end of the axis (a stall shows).
  const last = rows[rows.length - 1]
  if (last && endS > last.x) rows.push({ ...last, x: endS })
  return minMaxDownsample(rows, Math.min(limit, MAX_SERIES_POINTS), [(r) => r.queued, (r) => r.discovered])
}

export interface DepthBar {
  readonly depth: string
  readonly count: number
}

/** One bar per depth from 0 to the deepest with pages (a gap shows as a zero bar). */
export function depthBars(counts: readonly number[]): readonly DepthBar[] {
  let last = counts.length - 1
  while (last >= 0 && !((counts[last] ?? 0) > 0)) last--
  const out: DepthBar[] = []
  for (let d = 0; d <= last; d++) out.push({ depth: String(d), count: counts[d] ?? 0 })
  return out
}

// ---- status and error breakdowns --------------------------------------------------------------

export const STATUS_CLASS_COLOR: Readonly<Record<StatusClass, string>> = {
  '1xx': 'var(--chart-info, #6b7280)',
  '2xx': 'var(--chart-ok, #16a34a)',
  '3xx': 'var(--chart-redirect, #2563eb)',
  '4xx': 'var(--chart-warn, #d97706)',
  '5xx': 'var(--chart-failed, #dc2626)',
  none: 'var(--chart-none, #7c3aed)'
}

export interface StatusBar {
  readonly key: string
  readonly label: string
  readonly count: number
  readonly statusClass: StatusClass
  readonly color: string
}

/** One bar per status, ascending by code, 'none' (no response) last; zero counts dropped. */
export function statusBars(byStatus: Readonly<Record<string, number>>): readonly StatusBar[] {
  return Object.entries(byStatus)
    .filter(([, count]) => count > 0)
    .map(([key, count]) => {
      const statusClass = statusClassOf(key)
      return {
        key,
        label: statusClass === 'none' ? 'none' : key,
        count,
        statusClass,
        color: STATUS_CLASS_COLOR[statusClass]
      }
    })
    .sort((a, b) => {
      const an = a.statusClass === 'none' ? Infinity : Number(a.key)
      const bn = b.statusClass === 'none' ? Infinity : Number(b.key)
      return an - bn || a.key.localeCompare(b.key)
    })
}

export interface ErrorBar {
  readonly code: ErrorCode
  readonly count: number
}

/** One bar per error code, most frequent first (ties by code so the order is stable). */
export function errorBars(byError: Readonly<Partial<Record<ErrorCode, number>>>): readonly ErrorBar[] {
  const out: ErrorBar[] = []
  for (const [code, count] of Object.entries(byError) as [ErrorCode, number | undefined][]) {
    if (count !== undefined && count > 0) out.push({ code, count })
  }
  return out.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}

// ---- latency distribution ---------------------------------------------------------------------

export interface HistogramStep {
  /** Lower edge of the bin in ms (the last row is the upper edge of the last bin). */
  readonly x: number
  readonly count: number
}

/** The smallest positive lower edge a log axis gets (the zero bucket starts at 0). */
const LOG_FLOOR_MS = 0.01

/**
 * Bins as a step series for a log x axis: one row per bin at its lower edge, plus a closing row at
 * the last upper edge, so a stepAfter area draws each bin as a rectangle of its true log width.
 * Edges are clamped to a positive floor (log scales have no zero).
 */
export function histogramSteps(buckets: readonly HistogramBucket[]): readonly HistogramStep[] {
  if (buckets.length === 0) return []
  const rows: HistogramStep[] = []
  for (const b of buckets) {
    const lo = Math.max(LOG_FLOOR_MS, b.lo)
    const prev = rows[rows.length - 1]
    if (prev && lo <= prev.x) continue
    rows.push({ x: lo, count: b.count })
  }
  const lastBucket = buckets[buckets.length - 1] as HistogramBucket
  const first = rows[0] as HistogramStep
  let hi = Math.max(LOG_FLOOR_MS, lastBucket.hi)
  // A single-value histogram has lo = hi: give the bar some width so it is visible.
  if (hi <= (rows[rows.length - 1] as HistogramStep).x) hi = first.x * 1.1 + LOG_FLOOR_MS
  rows.push({ x: hi, count: lastBucket.count })
  return rows
}

/** 1-2-5 ticks covering [lo, hi] for a log axis in ms; always at least the two ends. */
export function logTicks(lo: number, hi: number, maxTicks = 8): readonly number[] {
  if (!(lo > 0) || !(hi >= lo)) return []
  const ticks: number[] = []
  const steps = [1, 2, 5]
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const s of steps) {
      const v = s * Math.pow(10, e)
      if (v >= lo && v <= hi) ticks.push(Number(v.toPrecision(3)))
    }
  }
  if (ticks.length <= maxTicks) return ticks.length >= 2 ? ticks : [lo, hi]
  // Too many: keep the decades only, then thin them evenly.
  const decades = ticks.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9)
  if (decades.length >= 2 && decades.length <= maxTicks) return decades
  const src = decades.length >= 2 ? decades : ticks
  const every = Math.ceil(src.length / maxTicks)
  return src.filter((_, i) => i % every === 0)
}

// ---- axis ticks (latencies, counts and rates as text come from shared/format.ts) ---------------

/**
 * One formatter for every tick: toLocaleString builds a new Intl.NumberFormat per call, which
 * showed as seconds of self time in a profile of a long live run (recharts formats each tick on
 * every redraw).
 */
export const EN_NUMBER = new Intl.NumberFormat('en-US')

/** Axis tick for ms values (the axis label carries the unit): "0.5", "20", "1,500". */
export function formatMsTick(ms: number): string {
  if (!Number.isFinite(ms)) return ''
  if (ms >= 1) return EN_NUMBER.format(Number(ms.toPrecision(3)))
  return Number(ms.toPrecision(2)).toString()
}

/** Axis tick for counts: "900", "7.5k", "75k", "1.23M" (at most five characters, so it clears the axis label). */
export function formatCountTick(n: number): string {
  if (!Number.isFinite(n)) return ''
  const a = Math.abs(n)
  if (a >= 1e6) return `${Number((n / 1e6).toPrecision(3)).toString()}M`
  if (a >= 1e3) return `${Number((n / 1e3).toPrecision(3)).toString()}k`
  return EN_NUMBER.format(Math.round(n))
}

/** Seconds since start as an axis tick, units included: "45s", "2m", "2m30s", "1h05m". */
export function formatElapsedTick(s: number): string {
  if (!Number.isFinite(s)) return ''
  const total = Math.max(0, Math.round(s))
  if (total < 60) return `${String(total)}s`
  if (total < 3600) {
    const m = Math.floor(total / 60)
    const sec = total % 60
    return sec === 0 ? `${String(m)}m` : `${String(m)}m${String(sec).padStart(2, '0')}s`
  }
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  return m === 0 ? `${String(h)}h` : `${String(h)}h${String(m).padStart(2, '0')}m`
}

/** Clock-friendly steps for a time axis in seconds (whole minutes and hours once past a minute). */
const TIME_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400
]

/** Ticks from 0 to `endS` at a clock-friendly step, at most `maxTicks`. */
export function timeTicks(endS: number, maxTicks = 7): readonly number[] {
  if (!(endS > 0)) return [0]
  const step =
    TIME_STEPS_S.find((st) => endS / st <= maxTicks - 1) ?? Math.ceil(endS / (maxTicks - 1) / 86_400) * 86_400
  const out: number[] = []
  for (let t = 0; t <= endS + 1e-9; t += step) out.push(t)
  return out
}

// ---- latest values for the visually hidden summaries -----------------------------------------

/** The newest point that has latency figures (the live, partial point may have none). */
export function latestLatency(series: readonly SeriesPoint[]): SeriesPoint | null {
  for (let i = series.length - 1; i >= 0; i--) {
    const p = series[i] as SeriesPoint
    if (p.p50 !== null) return p
  }
  return null
}

/** The newest complete-ish point for rates: skips a live partial span shorter than half a bucket. */
export function latestRatePoint(series: readonly SeriesPoint[]): SeriesPoint | null {
  const last = series[series.length - 1]
  if (!last) return null
  const prev = series[series.length - 2]
  if (prev && last.spanS < prev.spanS / 2) return prev
  return last
}

export function hasFinished(series: readonly SeriesPoint[]): boolean {
  return series.some((p) => p.ok > 0 || p.failed > 0)
}
