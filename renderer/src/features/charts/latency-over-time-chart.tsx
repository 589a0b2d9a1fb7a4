import { memo, useMemo, useState, type JSX } from 'react'
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { SeriesPoint } from '../../../../shared/time-series.ts'
import { formatCount, formatMs } from '../../../../shared/format.ts'
import {
  formatElapsedTick,
  formatMsTick,
  latencyDomain,
  latencyRows,
  linearTicks,
  logTicks,
  latestLatency,
  pointBudget,
  scatterRows,
  timeTicks,
  type LatencyRow,
  type ScatterRow
} from './chart-data.ts'
import { markLines } from './chart-marks.ts'
import {
  AXIS_LINE,
  ChartFrame,
  GRID_STROKE,
  LegendItem,
  MARGIN,
  renderMarks,
  TICK,
  TOOLTIP_BASE,
  TOOLTIP_CURSOR,
  useElementWidth,
  timeXAxisProps,
  yLabel
} from './chart-frame.tsx'
import { ScatterLayer } from './scatter-layer.tsx'
import type { ChartMark, RecentPoint } from './types.ts'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

export interface LatencyOverTimeChartProps {
  readonly series: readonly SeriesPoint[]
  readonly recent: readonly RecentPoint[]
  readonly marks: readonly ChartMark[]
  /** Epoch ms of the run start: x = seconds since then. */
  readonly startedAt: number
  /** Results the dots were sampled from, and the run's finished results. */
  readonly sampleSeen: number
  readonly sampleOf: number
  /** The percentile lines' window (ms) and minimum sample count (the series was built with them). */
  readonly windowMs: number
  readonly minSamples: number
}

/** What the lines are, in the legend's words: "p50 · p95 · p99 of the last 10 s of results". */
export function linesNote(windowMs: number, minSamples: number): string {
  const s = Math.round(windowMs / 1000)
  return `lines: percentiles of the last ${String(s)} s of results; a gap where fewer than ${formatCount(minSamples)} finished`
}

/** What the dots are: "dots: 1,500 of 20,000 requests, sampled across the run". */
export function dotsNote(shown: number, seen: number, of: number): string {
  if (shown >= of) return `dots: all ${formatCount(of)} requests`
  const from = seen >= of ? 'sampled across the run' : `sampled from the last ${formatCount(seen)}`
  return `dots: ${formatCount(shown)} of ${formatCount(of)} requests, ${from}`
}

const Y_LABEL = yLabel('latency (ms)')

function tooltipValue(value: unknown, name: unknown): [string, string] {
  return [typeof value === 'number' ? formatMs(value) : String(value), String(name)]
}
function tooltipLabel(label: unknown): string {
  return typeof label === 'number' ? `${formatElapsedTick(label)} since start` : ''
}

function LatencyOverTimeChartImpl(props: LatencyOverTimeChartProps): JSX.Element {
  const [logScale, setLogScale] = useState(false)
  const [frameRef, width] = useElementWidth()
  const budget = pointBudget(width)
  const live = useMemo(() => ({ series: props.series, recent: props.recent }), [props.series, props.recent])
  const { series, recent } = useThrottled(live, CHART_REDRAW_MS)
  const { marks, startedAt } = props

  const rows = useMemo(() => latencyRows(series, budget), [series, budget])
  const scatter = useMemo(() => scatterRows(recent, startedAt), [recent, startedAt])
  const latest = useMemo(() => latestLatency(series), [series])
  const xDomain = useMemo((): [number, number] => {
    const last = series[series.length - 1]
    let end = last ? last.t + last.spanS : 1
    for (const p of scatter.ok) if (p.x > end) end = p.x
    for (const p of scatter.failed) if (p.x > end) end = p.x
    return [0, Math.max(1, end)]
  }, [series, scatter])
  const xTicks = useMemo(() => timeTicks(xDomain[1]), [xDomain])
  const markEls = useMemo(
    () => renderMarks(markLines(marks, startedAt), xDomain[1], width),
    [marks, startedAt, xDomain, width]
  )
  // The dots do not feed recharts' domain (they are not a recharts series), so widen it for them.
  const yDomain = useMemo(() => latencyDomain(rows, scatter, logScale), [rows, scatter, logScale])
  const yTicks = useMemo(
    () => (logScale ? logTicks(yDomain[0], yDomain[1], 6) : linearTicks(yDomain[1])),
    [yDomain, logScale]
  )

  const empty = latest === null && scatter.ok.length === 0 && scatter.failed.length === 0
  const shown = scatter.ok.length + scatter.failed.length
  const dots = dotsNote(shown, props.sampleSeen, props.sampleOf)
  const lines = linesNote(props.windowMs, props.minSamples)
  const summary = latest
    ? `Latest latency at ${formatElapsedTick(latest.t)}: p50 ${formatMs(latest.p50)}, p95 ${formatMs(latest.p95)}, p99 ${formatMs(latest.p99)} (${lines}; ${dots}).`
    : `No latency figures yet (${lines}; ${dots}).`

  return (
    <ChartFrame
      frameRef={frameRef}
      title="Latency over time"
      summary={summary}
      empty={empty ? 'No finished requests yet' : null}
      legend={
        <>
          <LegendItem color="var(--chart-p50)" label="p50" />
          <LegendItem color="var(--chart-p95)" label="p95" />
          <LegendItem color="var(--chart-p99)" label="p99" />
          <LegendItem color="var(--chart-ok)" label="request" kind="dot" />
          <LegendItem color="var(--chart-failed)" label="failed" kind="dot" />
          <span className="chart__legend-note">{lines}</span>
          <span className="chart__legend-note">{dots}</span>
        </>
      }
      actions={
        <label className="chart__toggle">
          <input
            type="checkbox"
            checked={logScale}
            onChange={(e) => {
              setLogScale(e.currentTarget.checked)
            }}
          />
          log scale
        </label>
      }
    >
      <LatencyPlot
        rows={rows}
        ok={scatter.ok}
        failed={scatter.failed}
        markEls={markEls}
        xDomain={xDomain}
        xTicks={xTicks}
        yDomain={yDomain}
        yTicks={yTicks}
        logScale={logScale}
      />
    </ChartFrame>
  )
}

interface LatencyPlotProps {
  readonly rows: readonly LatencyRow[]
  readonly ok: readonly ScatterRow[]
  readonly failed: readonly ScatterRow[]
  readonly markEls: readonly JSX.Element[]
  readonly xDomain: [number, number]
  readonly xTicks: readonly number[]
  readonly yDomain: [number, number]
  readonly yTicks: readonly number[]
  readonly logScale: boolean
}

/** The recharts tree alone, memoised: it redraws only when its (throttled) data changes. */
const LatencyPlot = memo(function LatencyPlot(p: LatencyPlotProps): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={p.rows} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(p.xDomain, p.xTicks)} />
        <YAxis
          type="number"
          scale={p.logScale ? 'log' : 'linear'}
          domain={p.yDomain}
          allowDataOverflow
          ticks={p.yTicks}
          tickFormatter={formatMsTick}
          tick={TICK}
          axisLine={AXIS_LINE}
          tickLine={AXIS_LINE}
          width={62}
          label={Y_LABEL}
        />
        <Tooltip
          {...TOOLTIP_BASE}
          formatter={tooltipValue}
          labelFormatter={tooltipLabel}
          cursor={TOOLTIP_CURSOR}
        />
        <ScatterLayer ok={p.ok} failed={p.failed} />
        <Line
          name="p50"
          dataKey="p50"
          type="linear"
          stroke="var(--chart-p50)"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Line
          name="p95"
          dataKey="p95"
          type="linear"
          stroke="var(--chart-p95)"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Line
          name="p99"
          dataKey="p99"
          type="linear"
          stroke="var(--chart-p99)"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        {p.markEls}
      </ComposedChart>
    </ResponsiveContainer>
  )
})

/**
 * p50/p95/p99 over a rolling window as lines (gaps where the window holds too few results), plus a
 * sample of individual requests across the run as dots; the legend says both.
 */
export const LatencyOverTimeChart = memo(LatencyOverTimeChartImpl)
