import { memo, useMemo, type JSX } from 'react'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { SeriesPoint } from '../../../../shared/time-series.ts'
import { EMPTY, formatCount } from '../../../../shared/format.ts'
import { formatElapsedTick, inFlightRows, pointBudget, timeTicks, type InFlightRow } from './chart-data.ts'
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

export interface InFlightChartProps {
  readonly series: readonly SeriesPoint[]
  readonly marks: readonly ChartMark[]
  readonly startedAt: number
}

const Y_DOMAIN = [0, (max: number) => Math.max(1, Math.ceil(max * 1.1))] as const
const Y_AXIS = valueYAxisProps('requests', { domain: Y_DOMAIN, allowDecimals: false })

function tooltipValue(value: unknown, name: unknown): [string, string] {
  return [typeof value === 'number' ? formatCount(value) : EMPTY, String(name)]
}
function tooltipLabel(label: unknown): string {
  return typeof label === 'number' ? `${formatElapsedTick(label)} since start` : ''
}

function InFlightChartImpl(props: InFlightChartProps): JSX.Element {
  const [frameRef, width] = useElementWidth()
  const budget = pointBudget(width)
  const series = useThrottled(props.series, CHART_REDRAW_MS)
  const { marks, startedAt } = props
  const rows = useMemo(() => inFlightRows(series, budget), [series, budget])
  const xDomain = useMemo((): [number, number] => {
    const last = series[series.length - 1]
    return [0, Math.max(1, last ? last.t + last.spanS : 1)]
  }, [series])
  const xTicks = useMemo(() => timeTicks(xDomain[1]), [xDomain])
  const markEls = useMemo(
    () => renderMarks(markLines(marks, startedAt), xDomain[1], width),
    [marks, startedAt, xDomain, width]
  )
  const last = series[series.length - 1]
  const summary = last
    ? `Latest: ${String(last.inFlight)} requests in flight, limit ${last.limit === null ? 'unknown' : String(last.limit)}.`
    : 'Nothing in flight yet.'

  return (
    <ChartFrame
      frameRef={frameRef}
      title="In flight vs limit"
      summary={summary}
      empty={series.length === 0 ? 'Not started yet' : null}
      legend={
        <>
          <LegendItem color="var(--chart-inflight)" label="in flight (max per interval)" />
          <LegendItem color="var(--chart-limit)" label="concurrency limit" kind="dash" />
        </>
      }
    >
      <InFlightPlot rows={rows} markEls={markEls} xDomain={xDomain} xTicks={xTicks} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when its (throttled) data changes. */
const InFlightPlot = memo(function InFlightPlot(p: {
  rows: readonly InFlightRow[]
  markEls: readonly JSX.Element[]
  xDomain: [number, number]
  xTicks: readonly number[]
}): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={p.rows} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" />
        <XAxis {...timeXAxisProps(p.xDomain, p.xTicks)} />
        <YAxis {...Y_AXIS} />
        <Tooltip
          {...TOOLTIP_BASE}
          formatter={tooltipValue}
          labelFormatter={tooltipLabel}
          cursor={TOOLTIP_CURSOR}
        />
        {/* Steps: the count holds until the next sample; a ramp between samples would be invented. */}
        <Line
          name="in flight"
          dataKey="inFlight"
          type="stepAfter"
          stroke="var(--chart-inflight)"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Line
          name="limit"
          dataKey="limit"
          type="stepAfter"
          stroke="var(--chart-limit)"
          strokeWidth={1.5}
          strokeDasharray="5 3"
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        {p.markEls}
      </LineChart>
    </ResponsiveContainer>
  )
})

/** Requests in flight (max per interval) against the concurrency limit, as step lines. */
export const InFlightChart = memo(InFlightChartImpl)
