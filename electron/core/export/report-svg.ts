import { markup, type SafeHtml } from './html-escape.ts'
import {
  areaData,
  coord,
  downsample,
  linearScale,
  logScale,
  MAX_SERIES_POINTS,
  pathData,
  type Scale
} from './report-scale.ts'

/**
 * The report's charts as inline SVG, drawn here rather than in the browser: the report carries no
 * script. Colours come from CSS classes (the report's style sheet maps them per colour scheme and
 * for print); every text is escaped by markup`…`. Sizes are viewBox units; the SVG scales to the page.
 */

export const FRAME = { width: 500, height: 230, left: 52, right: 14, top: 12, bottom: 40 } as const

const PLOT = {
  x0: FRAME.left,
  x1: FRAME.width - FRAME.right,
  y0: FRAME.height - FRAME.bottom,
  y1: FRAME.top
} as const

export interface Axis {
  /** With its unit: "latency (ms)". */
  readonly label: string
  /** Tick values; the first and last are the axis ends. */
  readonly ticks: readonly number[]
  readonly format: (value: number) => string
  /** The axis ends when they are not the first and last tick (a log axis). */
  readonly domain?: readonly [number, number]
}

export interface LineSeries {
  /** CSS class giving the colour, e.g. 'c-p50'. */
  readonly cls: string
  /** Data points [x, y]; y null = no data there (a gap). */
  readonly points: readonly (readonly [number, number | null])[]
  /** Fill the area under the line too. */
  readonly area?: boolean
}

export interface LineChartSpec {
  /** What the chart shows, for screen readers (aria-label) and as the SVG's tooltip. */
  readonly label: string
  readonly x: Axis
  readonly y: Axis
  readonly series: readonly LineSeries[]
}

const ends = (axis: Axis): readonly [number, number] =>
  axis.domain ?? [axis.ticks[0] ?? 0, axis.ticks[axis.ticks.length - 1] ?? 1]

function frame(label: string, body: SafeHtml, height: number = FRAME.height): SafeHtml {
  return markup`<svg class="chart" viewBox="0 0 ${FRAME.width} ${height}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg"><title>${label}</title>${body}</svg>`
}

/** Grid lines and labels of the y axis (linear). */
function yAxis(axis: Axis, y: Scale): SafeHtml {
  const lines = axis.ticks.map((t) => {
    const py = coord(y(t))
    return markup`<line class="grid" x1="${PLOT.x0}" x2="${PLOT.x1}" y1="${py}" y2="${py}"/><text class="tick" x="${PLOT.x0 - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${axis.format(t)}</text>`
  })
  const mid = coord((PLOT.y0 + PLOT.y1) / 2)
  return markup`${lines}<text class="axis-label" transform="translate(14 ${mid}) rotate(-90)" text-anchor="middle">${axis.label}</text>`
}

/** Tick marks and labels of the x axis, and its baseline. */
function xAxis(axis: Axis, x: Scale): SafeHtml {
  const marks = axis.ticks.map((t) => {
    const px = coord(x(t))
    return markup`<line class="axis" x1="${px}" x2="${px}" y1="${PLOT.y0}" y2="${PLOT.y0 + 4}"/><text class="tick" x="${px}" y="${PLOT.y0 + 16}" text-anchor="middle">${axis.format(t)}</text>`
  })
  const mid = coord((PLOT.x0 + PLOT.x1) / 2)
  return markup`<line class="axis" x1="${PLOT.x0}" x2="${PLOT.x1}" y1="${PLOT.y0}" y2="${PLOT.y0}"/>${marks}<text class="axis-label" x="${mid}" y="${FRAME.height - 6}" text-anchor="middle">${axis.label}</text>`
}

/** Lines over a linear x axis (time) and a linear y axis; at most MAX_SERIES_POINTS per line. */
export function lineChart(spec: LineChartSpec): SafeHtml {
  const x = linearScale(ends(spec.x), [PLOT.x0, PLOT.x1])
  const y = linearScale(ends(spec.y), [PLOT.y0, PLOT.y1])
  const shapes = spec.series.map((s) => {
    const screen = downsample(s.points, MAX_SERIES_POINTS).map(([px, py]) =>
      py === null ? null : ([x(px), y(py)] as const)
    )
    const line = pathData(screen)
    if (line === '') return null
    const area = s.area === true && markup`<path class="area ${s.cls}" d="${areaData(screen, PLOT.y0)}"/>`
    return markup`${area}<path class="line ${s.cls}" d="${line}"/>`
  })
  return frame(spec.label, markup`${yAxis(spec.y, y)}${xAxis(spec.x, x)}${shapes}`)
}

export interface HistogramBin {
  readonly lo: number
  readonly hi: number
  readonly count: number
}

export interface Marker {
  readonly cls: string
  readonly value: number | null
}

export interface HistogramChartSpec {
  readonly label: string
  /** Log-spaced bins over positive values (LogHistogram.buckets()). */
  readonly bins: readonly HistogramBin[]
  /** A log axis: `domain` gives its ends. */
  readonly x: Axis
  readonly y: Axis
  /** Vertical lines at exact values (p50, p95, p99). */
  readonly markers: readonly Marker[]
}

/** Bars at their true log widths, with percentile lines at their exact values. */
export function histogramChart(spec: HistogramChartSpec): SafeHtml {
  const x = logScale(ends(spec.x), [PLOT.x0, PLOT.x1])
  const y = linearScale(ends(spec.y), [PLOT.y0, PLOT.y1])
  const bars = spec.bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const left = x(b.lo)
      const width = Math.max(1, x(b.hi) - left - 0.5)
      const top = y(b.count)
      return markup`<rect class="bar c-hist" x="${coord(left)}" y="${coord(top)}" width="${coord(width)}" height="${coord(PLOT.y0 - top)}"/>`
    })
  // Unlabelled (the legend names them with their values): labels would collide when p95 and p99
  // sit a few pixels apart, as they usually do.
  const markers = spec.markers.map((m) => {
    if (m.value === null || !(m.value > 0)) return null
    const px = coord(x(m.value))
    return markup`<line class="marker ${m.cls}" x1="${px}" x2="${px}" y1="${PLOT.y1}" y2="${PLOT.y0}"/>`
  })
  return frame(spec.label, markup`${yAxis(spec.y, y)}${xAxis(spec.x, x)}${bars}${markers}`)
}

export interface BarRow {
  readonly label: string
  readonly value: number
  readonly cls: string
  /** Printed after the bar, e.g. "1,204 (80.3 %)". */
  readonly note: string
}

const ROW_HEIGHT = 24
const LABEL_WIDTH = 84
const NOTE_WIDTH = 110

/** Horizontal bars, one row each, longest = the largest value; values are printed, so no axis. */
export function barRows(label: string, rows: readonly BarRow[]): SafeHtml {
  const height = FRAME.top + rows.length * ROW_HEIGHT + 8
  const x0 = LABEL_WIDTH
  const maxWidth = FRAME.width - LABEL_WIDTH - NOTE_WIDTH
  const max = Math.max(0, ...rows.map((r) => r.value))
  const body = rows.map((r, k) => {
    const top = FRAME.top + k * ROW_HEIGHT
    const width = max > 0 ? Math.max(r.value > 0 ? 1 : 0, (r.value / max) * maxWidth) : 0
    const cy = coord(top + ROW_HEIGHT / 2 - 2)
    const bar = markup`<rect class="bar ${r.cls}" x="${x0}" y="${coord(top + 3)}" width="${coord(width)}" height="${ROW_HEIGHT - 8}"/>`
    return markup`<text class="tick" x="${x0 - 8}" y="${cy}" text-anchor="end" dominant-baseline="middle">${r.label}</text>${bar}<text class="tick" x="${coord(x0 + width + 6)}" y="${cy}" dominant-baseline="middle">${r.note}</text>`
  })
  return frame(label, markup`${body}`, height)
}
