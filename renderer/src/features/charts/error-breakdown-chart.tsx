import { memo, useMemo, type JSX } from 'react'
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { ErrorCode } from '../../../../shared/errors.ts'
import { formatCount } from '../../../../shared/format.ts'
import { errorBars, formatCountTick, type ErrorBar } from './chart-data.ts'
import { AXIS_LINE, ChartFrame, GRID_STROKE, TICK, TOOLTIP_BASE } from './chart-frame.tsx'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

export interface ErrorBreakdownChartProps {
  /** RunSummary.byError: failure code → failed requests. */
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
}

const MARGIN = { top: 6, right: 40, bottom: 2, left: 4 } as const
const CODE_TICK = {
  fill: 'var(--chart-text)',
  fontSize: 10,
  fontFamily: 'var(--font-mono, monospace)'
} as const
const X_LABEL = {
  value: 'failed requests',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const
const LABEL_STYLE = { fill: 'var(--chart-text)', fontSize: 10 } as const
const BAR_CURSOR = { fill: 'var(--chart-grid)', fillOpacity: 0.4 } as const

function tooltipValue(value: unknown): [string, string] {
  return [typeof value === 'number' ? formatCount(value) : String(value), 'failed requests']
}
function countLabel(value: unknown): string {
  return typeof value === 'number' ? formatCount(value) : ''
}

function ErrorBreakdownChartImpl(props: ErrorBreakdownChartProps): JSX.Element {
  const byError = useThrottled(props.byError, CHART_REDRAW_MS)
  const bars = useMemo(() => errorBars(byError), [byError])
  const summary =
    bars.length === 0
      ? ''
      : `Failures by code: ${bars.map((b) => `${b.code} ${formatCount(b.count)}`).join(', ')}.`
  return (
    <ChartFrame title="Error codes" summary={summary} empty={bars.length === 0 ? 'No failures yet' : null}>
      <ErrorPlot bars={bars} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when the bars change. */
const ErrorPlot = memo(function ErrorPlot({ bars }: { bars: readonly ErrorBar[] }): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={bars} layout="vertical" margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          allowDecimals={false}
          tickFormatter={formatCountTick}
          tick={TICK}
          axisLine={AXIS_LINE}
          tickLine={AXIS_LINE}
          height={36}
          label={X_LABEL}
        />
        <YAxis
          type="category"
          dataKey="code"
          tick={CODE_TICK}
          axisLine={AXIS_LINE}
          tickLine={false}
          interval={0}
          width={140}
        />
        <Tooltip {...TOOLTIP_BASE} formatter={tooltipValue} cursor={BAR_CURSOR} />
        <Bar dataKey="count" fill="var(--chart-failed)" radius={2} isAnimationActive={false} maxBarSize={22}>
          <LabelList dataKey="count" position="right" formatter={countLabel} style={LABEL_STYLE} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  )
})

/** Failed requests per error code, most frequent first. */
export const ErrorBreakdownChart = memo(ErrorBreakdownChartImpl)
