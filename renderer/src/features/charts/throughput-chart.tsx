import { memo, useMemo, type JSX } from 'react'
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { SeriesPoint } from '../../../../shared/time-series.ts'
import { formatRate } from '../../../../shared/format.ts'
import {
  formatElapsedTick,
  hasFinished,
  EN_NUMBER,
  latestRatePoint,
  pointBudget,
  throughputRows,
  timeTicks,
  type ThroughputRow
} from './chart-data.ts'
import { markLines } from './chart-marks.ts'
import {
  ChartFrame,
  GRID_STROKE,
  LegendItem,
  MARGIN,
  renderMarks,
  TOOLTIP_BASE,
  TOOLTIP_CURSOR,
  useElementWidth,
  timeXAxisProps,
  valueYAxisProps
} from './chart-frame.tsx'
import type { ChartMark } from './types.ts'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

export interface ThroughputChartProps {
  readonly series: readonly SeriesPoint[]
  readonly marks: readonly ChartMark[]
  readonly startedAt: number
}

const Y_DOMAIN = [0, 'auto'] as const

function tooltipValue(value: unknown, name: unknown): [string, string] {
  return [typeof value === 'number' ? formatRate(value) : String(value), String(name)]
}
function tooltipLabel(label: unknown): string {
  return typeof label === 'number' ? `${formatElapsedTick(label)} since start` : ''
}
function rateTick(v: number): string {
  return Number.isInteger(v) ? EN_NUMBER.format(v) : v.toFixed(1)
}
const Y_AXIS = valueYAxisProps('req/s', { domain: Y_DOMAIN, tickFormatter: rateTick })

function ThroughputChartImpl(props: ThroughputChartProps): JSX.Element {
  const [frameRef, width] = useElementWidth()
  const budget = pointBudget(width)
  const series = useThrottled(props.series, CHART_REDRAW_MS)
  const { marks, startedAt } = props
  const rows = useMemo(() => throughputRows(series, budget), [series, budget])
  const xDomain = useMemo((): [number, number] => {
    const last = series[series.length - 1]
    return [0, Math.max(1, last ? last.t + last.spanS : 1)]
  }, [series])
  const xTicks = useMemo(() => timeTicks(xDomain[1]), [xDomain])
  const markEls = useMemo(
    () => renderMarks(markLines(marks, startedAt), xDomain[1], width),
    [marks, startedAt, xDomain, width]
  )
  const finished = useMemo(() => hasFinished(series), [series])
  const latest = latestRatePoint(series)
  const summary = latest
    ? `Latest throughput: ${formatRate(latest.ok)} ok, ${formatRate(latest.failed)} failed.`
    : 'No throughput yet.'

  return (
    <ChartFrame
      frameRef={frameRef}
      title="Throughput"
      summary={summary}
      empty={finished ? null : 'No finished requests yet'}
      legend={
        <>
          <LegendItem color="var(--chart-ok)" label="ok" kind="box" />
          <LegendItem color="var(--chart-failed)" label="failed" kind="box" />
        </>
      }
    >
      <ThroughputPlot rows={rows} markEls={markEls} xDomain={xDomain} xTicks={xTicks} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when its (throttled) data changes. */
const ThroughputPlot = memo(function ThroughputPlot(p: {
  rows: readonly ThroughputRow[]
  markEls: readonly JSX.Element[]
  xDomain: [number, number]
  xTicks: readonly number[]
}): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={p.rows} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(p.xDomain, p.xTicks)} />
        <YAxis {...Y_AXIS} />
        <Tooltip
          {...TOOLTIP_BASE}
          formatter={tooltipValue}
          labelFormatter={tooltipLabel}
          cursor={TOOLTIP_CURSOR}
        />
        <Area
          name="ok"
          dataKey="ok"
          stackId="rate"
          type="linear"
          stroke="var(--chart-ok)"
          fill="var(--chart-ok)"
          fillOpacity={0.35}
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Area
          name="failed"
          dataKey="failed"
          stackId="rate"
          type="linear"
          stroke="var(--chart-failed)"
          fill="var(--chart-failed)"
          fillOpacity={0.45}
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        {p.markEls}
      </AreaChart>
    </ResponsiveContainer>
  )
})

/** Finished requests per second, ok and failed stacked. */
export const ThroughputChart = memo(ThroughputChartImpl)
