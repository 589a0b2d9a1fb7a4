import { memo, useMemo, type JSX } from 'react'
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis
} from 'recharts'
import type { HistogramData } from '../../../../shared/histogram.ts'
import { formatCount, formatMs } from '../../../../shared/format.ts'
import { formatMsTick, logTicks } from './chart-data.ts'
import { placeMarkLabels } from './chart-marks.ts'
import {
  AXIS_LINE,
  ChartFrame,
  GRID_STROKE,
  placedLabel,
  LegendItem,
  MARGIN,
  TICK,
  TOOLTIP_BASE,
  TOOLTIP_CURSOR,
  useElementWidth,
  valueYAxisProps
} from './chart-frame.tsx'
import { comparisonSteps, type ComparisonStep } from './comparison-data.ts'

export interface LatencyComparisonChartProps {
  readonly base: HistogramData
  readonly other: HistogramData
  /** The runs' names, for the legend and the screen-reader summary. */
  readonly baseLabel: string
  readonly otherLabel: string
  readonly baseP50: number | null
  readonly otherP50: number | null
}

/** Base and other in two hues that stay apart for the common colour-vision deficiencies (charts.css). */
const BASE_COLOR = 'var(--chart-base)'
const OTHER_COLOR = 'var(--chart-other)'
const X_LABEL = {
  value: 'latency (ms, log scale)',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const
/** The other run's outline is dashed too, so the two read apart without colour. */
const OTHER_DASH = '5 3'

const EDGE_ROOM = 1.12

/** Bins for a chart this wide: about one per 12 px, between 20 and 60. */
function binsFor(width: number | null): number {
  return width === null ? 60 : Math.max(20, Math.min(60, Math.floor(width / 12)))
}

const formatPctTick = (v: number): string => `${v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1)}%`
const Y_AXIS = valueYAxisProps('% of requests', { tickFormatter: formatPctTick })

function LatencyComparisonChartImpl(props: LatencyComparisonChartProps): JSX.Element {
  const [frameRef, width] = useElementWidth()
  const steps = useMemo(
    () => comparisonSteps(props.base, props.other, binsFor(width)),
    [props.base, props.other, width]
  )
  const domain = useMemo((): [number, number] => {
    const first = steps[0]
    const last = steps[steps.length - 1]
    // A little room either side, so bars at the smallest and largest values do not sit on the axes.
    return first && last ? [first.x / EDGE_ROOM, last.x * EDGE_ROOM] : [1, 10]
  }, [steps])
  const ticks = useMemo(() => logTicks(domain[0], domain[1]), [domain])
  const lines = useMemo(() => {
    // Positions along the log axis, so labels of close p50s stack instead of overlapping.
    const lo = Math.log(domain[0])
    const marks = [
      { key: 'base', value: props.baseP50, label: 'base p50' },
      { key: 'other', value: props.otherP50, label: 'other p50' }
    ].flatMap((p) =>
      p.value !== null && p.value > 0
        ? [
            {
              key: p.key,
              x: Math.log(p.value) - lo,
              label: p.label,
              kind: 'settings' as const,
              value: p.value
            }
          ]
        : []
    )
    const placed = placeMarkLabels(marks, Math.log(domain[1]) - lo, Math.max(100, (width ?? 600) - 80))
    return placed.map((m) => {
      const other = m.key === 'other'
      const color = other ? OTHER_COLOR : BASE_COLOR
      return (
        <ReferenceLine
          key={m.key}
          x={Math.exp(m.x + lo)}
          stroke={color}
          strokeWidth={1.5}
          strokeDasharray={other ? OTHER_DASH : undefined}
          ifOverflow="discard"
          label={m.text === null ? undefined : placedLabel(m, color, 11)}
        />
      )
    })
  }, [props.baseP50, props.otherP50, domain, width])
  const empty = props.base.count === 0 && props.other.count === 0
  const summary =
    `${props.baseLabel}: ${formatCount(props.base.count)} requests, p50 ${formatMs(props.baseP50)}. ` +
    `${props.otherLabel}: ${formatCount(props.other.count)} requests, p50 ${formatMs(props.otherP50)}.`
  return (
    <ChartFrame
      frameRef={frameRef}
      title="Latency distribution"
      summary={summary}
      empty={empty ? 'Neither run has finished requests' : null}
      legend={
        <>
          <LegendItem color={BASE_COLOR} label={`Base: ${props.baseLabel}`} kind="box" />
          <LegendItem color={OTHER_COLOR} label={`Other: ${props.otherLabel}`} kind="dash" />
        </>
      }
    >
      <ComparisonPlot
        steps={steps}
        domain={domain}
        ticks={ticks}
        lines={lines}
        baseLabel={props.baseLabel}
        otherLabel={props.otherLabel}
      />
    </ChartFrame>
  )
}

const ComparisonPlot = memo(function ComparisonPlot(p: {
  steps: readonly ComparisonStep[]
  domain: [number, number]
  ticks: readonly number[]
  lines: readonly JSX.Element[]
  baseLabel: string
  otherLabel: string
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
        <Tooltip
          {...TOOLTIP_BASE}
          cursor={TOOLTIP_CURSOR}
          labelFormatter={(x) => `from ${formatMs(Number(x))}`}
          formatter={(value, name, item) => {
            const row = item.payload as ComparisonStep | undefined
            const base = name === 'base'
            const count = base ? row?.baseCount : row?.otherCount
            return [
              `${Number(value).toFixed(1)}% (${formatCount(count ?? 0)})`,
              base ? `Base: ${p.baseLabel}` : `Other: ${p.otherLabel}`
            ]
          }}
        />
        <Area
          dataKey="base"
          name="base"
          type="stepAfter"
          stroke={BASE_COLOR}
          fill={BASE_COLOR}
          fillOpacity={0.28}
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Area
          dataKey="other"
          name="other"
          type="stepAfter"
          stroke={OTHER_COLOR}
          fill={OTHER_COLOR}
          fillOpacity={0.22}
          strokeWidth={1.5}
          strokeDasharray={OTHER_DASH}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        {p.lines}
      </AreaChart>
    </ResponsiveContainer>
  )
})

/** Two runs' latency distributions overlaid on shared log bins, each as a share of its requests. */
export const LatencyComparisonChart = memo(LatencyComparisonChartImpl)
