import type { LogHistogram } from '../../../shared/histogram.ts'
import type { LatencyFigures } from '../../../shared/summary.ts'
import type { SeriesPoint } from '../../../shared/time-series.ts'
import { markup, type SafeHtml } from './html-escape.ts'
import { formatCount, formatMs, formatShare } from '../../../shared/format.ts'
import { formatTick } from './report-format.ts'
import { logNiceDomain, logTicks, niceTicks, timeUnit } from './report-scale.ts'
import { barRows, histogramChart, lineChart, type Axis, type BarRow } from './report-svg.ts'

/**
 * The report's four charts from a run's figures: what to draw, in which units. Each returns the
 * <figure> (caption with a legend, and the SVG), or an explanation when there is nothing to draw.
 */

/** Bins in the latency distribution: about one per 8 % of latency at the histogram's resolution. */
const DISTRIBUTION_BINS = 48
/** Status rows shown; the rest are summed into "other". */
const MAX_STATUS_ROWS = 12

const NOTHING_YET = 'No requests finished in this run.'

export interface Key {
  readonly cls: string
  readonly name: string
}

/** A chart's <figure>: caption with its legend, then the SVG or, given text, why there is none. */
export function figure(title: string, keys: readonly Key[], body: SafeHtml | string, id: string): SafeHtml {
  const legend = keys.map((k) => markup`<span class="key ${k.cls}"><span>${k.name}</span></span>`)
  const content = typeof body === 'string' ? markup`<p class="empty">${body}</p>` : body
  return markup`<figure data-chart="${id}">
    <figcaption><strong>${title}</strong>${legend}</figcaption>
    ${content}
  </figure>`
}

/** The x axis of time charts: seconds since the run started, in s, min or h. */
function timeAxis(points: readonly SeriesPoint[]): { axis: Axis; at: (p: SeriesPoint) => number } {
  const last = points[points.length - 1]
  const spanS = last ? last.t + last.spanS : 1
  const unit = timeUnit(spanS)
  return {
    axis: {
      label: `time since start (${unit.unit})`,
      ticks: niceTicks(0, spanS / unit.seconds, 6),
      format: formatTick
    },
    // Each point stands for its span: drawn at the span's middle.
    at: (p) => (p.t + p.spanS / 2) / unit.seconds
  }
}

/** Latency in ms, or in s once values reach 10 s (tick labels stay short). */
function latencyUnit(maxMs: number): { unit: 'ms' | 's'; divisor: number } {
  return maxMs >= 10_000 ? { unit: 's', divisor: 1000 } : { unit: 'ms', divisor: 1 }
}

export function latencyOverTimeFigure(points: readonly SeriesPoint[]): SafeHtml {
  const keys = [
    { cls: 'c-p50', name: 'p50' },
    { cls: 'c-p95', name: 'p95' }
  ]
  const title = 'Latency over time'
  const measured = points.filter((p) => p.p95 !== null)
  if (measured.length === 0) return figure(title, [], NOTHING_YET, 'latency-time')
  const maxMs = Math.max(...measured.map((p) => p.p95 ?? 0))
  const { unit, divisor } = latencyUnit(maxMs)
  const time = timeAxis(points)
  const line = (pick: (p: SeriesPoint) => number | null) =>
    points.map((p): [number, number | null] => {
      const v = pick(p)
      return [time.at(p), v === null ? null : v / divisor]
    })
  return figure(
    title,
    keys,
    lineChart({
      label: `Latency over time: p50 and p95 of requests finished in each interval, in ${unit}`,
      x: time.axis,
      y: { label: `latency (${unit})`, ticks: niceTicks(0, maxMs / divisor, 5), format: formatTick },
      series: [
        { cls: 'c-p50', points: line((p) => p.p50) },
        { cls: 'c-p95', points: line((p) => p.p95) }
      ]
    }),
    'latency-time'
  )
}

export function throughputFigure(points: readonly SeriesPoint[]): SafeHtml {
  const keys = [
    { cls: 'c-ok', name: 'ok' },
    { cls: 'c-failed', name: 'failed' }
  ]
  const title = 'Throughput over time'
  if (!points.some((p) => p.ok + p.failed > 0)) return figure(title, [], NOTHING_YET, 'throughput')
  const time = timeAxis(points)
  const max = Math.max(...points.map((p) => Math.max(p.ok, p.failed)))
  return figure(
    title,
    keys,
    lineChart({
      label: 'Throughput over time: ok and failed requests finished per second',
      x: time.axis,
      y: { label: 'requests per second', ticks: niceTicks(0, max, 5), format: formatTick },
      series: [
        { cls: 'c-ok', points: points.map((p) => [time.at(p), p.ok]), area: true },
        { cls: 'c-failed', points: points.map((p) => [time.at(p), p.failed]) }
      ]
    }),
    'throughput'
  )
}

export function latencyDistributionFigure(latency: LogHistogram, figures: LatencyFigures): SafeHtml {
  const keys = [
    { cls: 'c-p50', name: `p50 ${formatMs(figures.p50)}` },
    { cls: 'c-p95', name: `p95 ${formatMs(figures.p95)}` },
    { cls: 'c-p99', name: `p99 ${formatMs(figures.p99)}` }
  ]
  const title = 'Latency distribution'
  const bins = latency.buckets({ maxBuckets: DISTRIBUTION_BINS }).filter((b) => b.hi > 0)
  const first = bins[0]
  const last = bins[bins.length - 1]
  if (!first || !last) return figure(title, [], NOTHING_YET, 'latency-distribution')
  // The zero bucket (sub-microsecond totals) has no place on a log axis: its bin starts at a tenth
  // of its upper edge.
  const lo = first.lo > 0 ? first.lo : first.hi / 10
  const domain = logNiceDomain(lo, last.hi)
  const maxCount = Math.max(...bins.map((b) => b.count))
  return figure(
    title,
    keys,
    histogramChart({
      label: 'Latency distribution: requests by total time, log scale, with p50, p95 and p99',
      bins: bins.map((b) => ({ lo: Math.max(b.lo, lo), hi: b.hi, count: b.count })),
      x: {
        label: 'latency (ms, log scale)',
        ticks: logTicks(domain[0], domain[1]),
        format: formatTick,
        domain
      },
      y: { label: 'requests', ticks: niceTicks(0, maxCount, 5, { integer: true }), format: formatTick },
      markers: [
        { cls: 'c-p50', value: figures.p50 },
        { cls: 'c-p95', value: figures.p95 },
        { cls: 'c-p99', value: figures.p99 }
      ]
    }),
    'latency-distribution'
  )
}

/** Colour class of a status: 2xx ok, 3xx redirect, 4xx warning, 5xx failure, none = no response. */
export function statusClass(status: string): string {
  if (status === 'none') return 'c-none'
  const n = Number(status)
  if (n >= 200 && n < 300) return 'c-ok'
  if (n >= 300 && n < 400) return 'c-redirect'
  if (n >= 400 && n < 500) return 'c-warn'
  if (n >= 500 && n < 600) return 'c-failed'
  return 'c-info'
}

/** Rows of the status chart: most frequent first; beyond MAX_STATUS_ROWS summed as "other". */
export function statusRows(byStatus: Readonly<Record<string, number>>, done: number): BarRow[] {
  const entries = Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const shown = entries.length > MAX_STATUS_ROWS ? entries.slice(0, MAX_STATUS_ROWS - 1) : entries
  const rest = entries.slice(shown.length).reduce((n, [, c]) => n + c, 0)
  const row = (label: string, value: number, cls: string): BarRow => ({
    label,
    value,
    cls,
    note: `${formatCount(value)} (${formatShare(value, done)})`
  })
  const rows = shown.map(([status, n]) =>
    row(status === 'none' ? 'no response' : status, n, statusClass(status))
  )
  if (rest > 0) rows.push(row('other', rest, 'c-info'))
  return rows
}

const STATUS_KEYS: readonly Key[] = [
  { cls: 'c-ok', name: '2xx' },
  { cls: 'c-redirect', name: '3xx' },
  { cls: 'c-warn', name: '4xx' },
  { cls: 'c-failed', name: '5xx' },
  { cls: 'c-none', name: 'no response' },
  { cls: 'c-info', name: 'other' }
]

export function statusFigure(byStatus: Readonly<Record<string, number>>, done: number): SafeHtml {
  const title = 'Status codes'
  const rows = statusRows(byStatus, done)
  if (rows.length === 0) return figure(title, [], NOTHING_YET, 'status')
  const shown = new Set(rows.map((r) => r.cls))
  const keys = STATUS_KEYS.filter((k) => shown.has(k.cls))
  return figure(
    title,
    keys,
    barRows('Status codes: requests per final HTTP status (no response = failed before any status)', rows),
    'status'
  )
}
