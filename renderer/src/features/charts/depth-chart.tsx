import { memo, useMemo, type JSX } from 'react'
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatCount } from '../../../../shared/format.ts'
import { depthBars, formatCountTick, type DepthBar } from './chart-data.ts'
import {
  AXIS_LINE,
  ChartFrame,
  GRID_STROKE,
  MARGIN,
  TICK,
  TOOLTIP_BASE,
  valueYAxisProps
} from './chart-frame.tsx'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

export interface DepthChartProps {
  /** Finished pages per depth (index = depth, 0 = seeds). */
  readonly counts: readonly number[]
  /** What an empty chart says (default: no pages yet). */
  readonly emptyText?: string
}

const X_LABEL = {
  value: 'depth (links from a seed)',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const
const LABEL_STYLE = { fill: 'var(--chart-text)', fontSize: 10 } as const
const BAR_CURSOR = { fill: 'var(--chart-grid)', fillOpacity: 0.4 } as const
/** Headroom above the tallest bar for its count label. */
const Y_DOMAIN = [0, (max: number) => Math.max(1, Math.ceil(max * 1.12))] as const
const Y_AXIS = valueYAxisProps('pages', {
  domain: Y_DOMAIN,
  allowDecimals: false,
  tickFormatter: formatCountTick
})

function tooltipValue(value: unknown): [string, string] {
  return [typeof value === 'number' ? formatCount(value) : String(value), 'pages']
}
function tooltipLabel(label: unknown): string {
  return label === '0' ? 'Depth 0 (seeds)' : `Depth ${String(label)}`
}
function countLabel(value: unknown): string {
  return typeof value === 'number' && value > 0 ? formatCount(value) : ''
}

function DepthChartImpl(props: DepthChartProps): JSX.Element {
  const counts = useThrottled(props.counts, CHART_REDRAW_MS)
  const bars = useMemo(() => depthBars(counts), [counts])
  const summary =
    bars.length === 0
      ? ''
      : `Pages per depth: ${bars.map((b) => `depth ${b.depth} ${formatCount(b.count)}`).join(', ')}.`
  return (
    <ChartFrame
      title="Pages per depth"
      summary={summary}
      empty={bars.length === 0 ? (props.emptyText ?? 'No pages fetched yet') : null}
    >
      <DepthPlot bars={bars} />
    </ChartFrame>
  )
}

const DepthPlot = memo(function DepthPlot({ bars }: { bars: readonly DepthBar[] }): JSX.Element {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={bars} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID_STROKE} strokeDasharray="3 3" vertical={false} />
        <XAxis
          type="category"
          dataKey="depth"
          tick={TICK}
          axisLine={AXIS_LINE}
          tickLine={AXIS_LINE}
          interval="preserveStartEnd"
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
        <Bar dataKey="count" fill="var(--chart-hist)" isAnimationActive={false} maxBarSize={48} radius={2}>
          <LabelList dataKey="count" position="top" formatter={countLabel} style={LABEL_STYLE} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  )
})

/** Finished pages at each link depth from the seeds. */
export const DepthChart = memo(DepthChartImpl)
