import { memo, useMemo, type JSX } from 'react'
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import type { HistogramBucket } from '../../../../shared/histogram.ts'
import { formatCount, formatMs } from '../../../../shared/format.ts'
import { formatMsTick, histogramSteps, logTicks, formatCountTick, type HistogramStep } from './chart-data.ts'
import {
  AXIS_LINE,
  ChartFrame,
  GRID_STROKE,
  labelSide,
  LegendItem,
  MARGIN,
  TICK,
  valueYAxisProps
} from './chart-frame.tsx'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

const Y_AXIS = valueYAxisProps('requests', { allowDecimals: false, tickFormatter: formatCountTick })

export interface LatencyDistributionChartProps {
  /** Log-spaced bins from LogHistogram.buckets(). */
  readonly buckets: readonly HistogramBucket[]
  readonly p50: number | null
  readonly p95: number | null
  readonly p99: number | null
}

const X_LABEL = {
  value: 'latency (ms, log scale)',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const

const PERCENTILES = [
  { key: 'p50', color: 'var(--chart-p50)', offset: 4 },
  { key: 'p95', color: 'var(--chart-p95)', offset: 16 },
  { key: 'p99', color: 'var(--chart-p99)', offset: 28 }
] as const

function LatencyDistributionChartImpl(props: LatencyDistributionChartProps): JSX.Element {
  const live = useMemo(
    () => ({ buckets: props.buckets, p50: props.p50, p95: props.p95, p99: props.p99 }),
    [props.buckets, props.p50, props.p95, props.p99]
  )
  const { buckets, p50, p95, p99 } = useThrottled(live, CHART_REDRAW_MS)
  // Bins as a step area on a log axis: each bin is drawn at its true log width, and the percentile
  // lines sit at their exact values (a category bar chart could only snap them to a bin).
  const steps = useMemo(() => histogramSteps(buckets), [buckets])
  const domain = useMemo((): [number, number] => {
    const first = steps[0]
    const last = steps[steps.length - 1]
    return first && last ? [first.x, last.x] : [1, 10]
  }, [steps])
  const ticks = useMemo(() => logTicks(domain[0], domain[1]), [domain])
  const refLines = useMemo(() => {
    const values = { p50, p95, p99 }
    return PERCENTILES.flatMap((p) => {
      const v = values[p.key]
      if (v === null || !(v > 0)) return []
      return [
        <ReferenceLine
          key={p.key}
          x={v}
          stroke={p.color}
          strokeWidth={1.5}
          ifOverflow="discard"
          label={{
            value: p.key,
            // Log axis: compare positions in log space.
            position: labelSide(Math.log(v), Math.log(domain[0]), Math.log(domain[1])),
            offset: p.offset,
            fill: p.color,
            fontSize: 11
          }}
        />
      ]
    })
  }, [p50, p95, p99, domain])
  const total = useMemo(() => buckets.reduce((n, b) => n + b.count, 0), [buckets])
  const summary = `${formatCount(total)} finished requests; p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, p99 ${formatMs(p99)}.`

  return (
    <ChartFrame
      title="Latency distribution"
      summary={summary}
      empty={total === 0 ? 'No finished requests yet' : null}
      legend={
        <>
          <LegendItem color="var(--chart-p50)" label={`p50 ${formatMs(p50)}`} />
          <LegendItem color="var(--chart-p95)" label={`p95 ${formatMs(p95)}`} />
          <LegendItem color="var(--chart-p99)" label={`p99 ${formatMs(p99)}`} />
        </>
      }
    >
      <DistributionPlot steps={steps} domain={domain} ticks={ticks} refLines={refLines} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when the (throttled) histogram changes. */
const DistributionPlot = memo(function DistributionPlot(p: {
  steps: readonly HistogramStep[]
  domain: [number, number]
  ticks: readonly number[]
  refLines: readonly JSX.Element[]
}): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={p.steps} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="x"
          scale="log"
          domain={p.domain}
          allowDataOverflow
          ticks={p.ticks}
          tickFormatter={formatMsTick}
          tick={TICK}
          axisLine={AXIS_LINE}
          tickLine={AXIS_LINE}
          height={36}
          label={X_LABEL}
        />
        <YAxis {...Y_AXIS} />
        <Area
          dataKey="count"
          type="stepAfter"
          stroke="var(--chart-hist)"
          fill="var(--chart-hist)"
          fillOpacity={0.4}
          strokeWidth={1}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        {p.refLines}
      </AreaChart>
    </ResponsiveContainer>
  )
})

/** Histogram of finished-request latency over log-spaced bins, with p50/p95/p99 lines. */
export const LatencyDistributionChart = memo(LatencyDistributionChartImpl)
