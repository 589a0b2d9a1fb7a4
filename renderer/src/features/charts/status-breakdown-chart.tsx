import { memo, useMemo, type JSX } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps
} from 'recharts'
import { formatCount } from '../../../../shared/format.ts'
import { statusBars, STATUS_CLASS_COLOR, type StatusBar, formatCountTick } from './chart-data.ts'
import {
  AXIS_LINE,
  ChartFrame,
  GRID_STROKE,
  LegendItem,
  MARGIN,
  TICK,
  TOOLTIP_BASE,
  valueYAxisProps
} from './chart-frame.tsx'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

const Y_AXIS = valueYAxisProps('requests', { allowDecimals: false, tickFormatter: formatCountTick })

export interface StatusBreakdownChartProps {
  /** RunSummary.byStatus: status code (or 'none' for no response) → finished requests. */
  readonly byStatus: Readonly<Record<string, number>>
}

const X_LABEL = {
  value: 'HTTP status',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const
const LABEL_STYLE = { fill: 'var(--chart-text)', fontSize: 10 } as const
const BAR_CURSOR = { fill: 'var(--chart-grid)', fillOpacity: 0.4 } as const

/** Each bar in its status class colour (recharts' Cell is deprecated in favour of shape). */
function statusShape(props: BarShapeProps): JSX.Element {
  const bar = props.payload as StatusBar | undefined
  return (
    <rect
      x={props.x}
      y={props.y}
      width={Math.max(0, props.width)}
      height={Math.max(0, props.height)}
      rx={2}
      fill={bar?.color ?? STATUS_CLASS_COLOR.none}
    />
  )
}
function tooltipValue(value: unknown): [string, string] {
  return [typeof value === 'number' ? formatCount(value) : String(value), 'requests']
}
function tooltipLabel(label: unknown): string {
  return label === 'none' ? 'No response' : `Status ${String(label)}`
}
function countLabel(value: unknown): string {
  return typeof value === 'number' ? formatCount(value) : ''
}

function StatusBreakdownChartImpl(props: StatusBreakdownChartProps): JSX.Element {
  const byStatus = useThrottled(props.byStatus, CHART_REDRAW_MS)
  const bars = useMemo(() => statusBars(byStatus), [byStatus])
  const summary =
    bars.length === 0
      ? ''
      : `Requests by status: ${bars.map((b) => `${b.label === 'none' ? 'no response' : b.label} ${formatCount(b.count)}`).join(', ')}.`
  return (
    <ChartFrame
      title="Status codes"
      summary={summary}
      empty={bars.length === 0 ? 'No finished requests yet' : null}
      legend={
        <>
          <LegendItem color={STATUS_CLASS_COLOR['2xx']} label="2xx" kind="box" />
          <LegendItem color={STATUS_CLASS_COLOR['3xx']} label="3xx" kind="box" />
          <LegendItem color={STATUS_CLASS_COLOR['4xx']} label="4xx" kind="box" />
          <LegendItem color={STATUS_CLASS_COLOR['5xx']} label="5xx" kind="box" />
          <LegendItem color={STATUS_CLASS_COLOR.none} label="no response" kind="box" />
        </>
      }
    >
      <StatusPlot bars={bars} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when the bars change. */
const StatusPlot = memo(function StatusPlot({ bars }: { bars: readonly StatusBar[] }): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={bars} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" vertical={false} />
        <XAxis
          type="category"
          dataKey="label"
          tick={TICK}
          axisLine={AXIS_LINE}
          tickLine={AXIS_LINE}
          interval={0}
          height={36}
          label={X_LABEL}
        />
        <YAxis {...Y_AXIS} />
        <Tooltip
          {...TOOLTIP_BASE}
          formatter={tooltipValue}
          labelFormatter={tooltipLabel}
          cursor={BAR_CURSOR}
        />
        <Bar dataKey="count" shape={statusShape} isAnimationActive={false} maxBarSize={48}>
          <LabelList dataKey="count" position="top" formatter={countLabel} style={LABEL_STYLE} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  )
})

/** One bar per HTTP status (and 'none' for no response), coloured by class. */
export const StatusBreakdownChart = memo(StatusBreakdownChartImpl)
