import { memo, useMemo, type JSX } from 'react'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { EMPTY, formatCount } from '../../../../shared/format.ts'
import {
  formatCountTick,
  formatElapsedTick,
  pointBudget,
  queueRows,
  timeTicks,
  type QueueRow
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
  timeXAxisProps,
  useElementWidth,
  valueYAxisProps
} from './chart-frame.tsx'
import type { ChartMark } from './types.ts'
import { CHART_REDRAW_MS, useThrottled } from './use-throttled.ts'

export interface QueueSizeChartProps {
  /** Frontier samples, epoch ms, oldest first. */
  readonly samples: readonly { readonly at: number; readonly queued: number; readonly discovered: number }[]
  readonly marks: readonly ChartMark[]
  readonly startedAt: number
  /** Seconds since the start the axis reaches (the other time charts' end, so they line up). */
  readonly endS: number
  /** What an empty chart says (default: nothing followed yet). */
  readonly emptyText?: string
}

const Y_DOMAIN = [0, (max: number) => Math.max(1, Math.ceil(max * 1.1))] as const
const Y_AXIS = valueYAxisProps('URLs', {
  domain: Y_DOMAIN,
  allowDecimals: false,
  tickFormatter: formatCountTick
})

function tooltipValue(value: unknown, name: unknown): [string, string] {
  return [typeof value === 'number' ? formatCount(value) : EMPTY, String(name)]
}
function tooltipLabel(label: unknown): string {
  return typeof label === 'number' ? `${formatElapsedTick(label)} since start` : ''
}

function QueueSizeChartImpl(props: QueueSizeChartProps): JSX.Element {
  const [frameRef, width] = useElementWidth()
  const budget = pointBudget(width)
  const samples = useThrottled(props.samples, CHART_REDRAW_MS)
  const { marks, startedAt } = props
  const rows = useMemo(
    () => queueRows(samples, startedAt, budget, props.endS),
    [samples, startedAt, budget, props.endS]
  )
  const lastRow = rows[rows.length - 1]
  const endS = Math.max(1, lastRow ? lastRow.x : 0)
  const xDomain = useMemo((): [number, number] => [0, endS], [endS])
  const xTicks = useMemo(() => timeTicks(endS), [endS])
  const markEls = useMemo(
    () => renderMarks(markLines(marks, startedAt), endS, width),
    [marks, startedAt, endS, width]
  )
  const summary = lastRow
    ? `Latest: ${formatCount(lastRow.queued)} URLs queued, ${formatCount(lastRow.discovered)} discovered.`
    : 'Nothing queued yet.'
  return (
    <ChartFrame
      frameRef={frameRef}
      title="Queue size"
      summary={summary}
      empty={rows.length === 0 ? (props.emptyText ?? 'No links followed yet') : null}
      legend={
        <>
          <LegendItem color="var(--chart-inflight)" label="queued" />
          <LegendItem color="var(--chart-hist)" label="discovered" kind="dash" />
        </>
      }
    >
      <QueuePlot rows={rows} markEls={markEls} xDomain={xDomain} xTicks={xTicks} />
    </ChartFrame>
  )
}

/** The recharts tree alone, memoised: it redraws only when its (throttled) data changes. */
const QueuePlot = memo(function QueuePlot(p: {
  rows: readonly QueueRow[]
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
        {/* Steps: a count holds until the next sample. */}
        <Line
          name="queued"
          dataKey="queued"
          type="stepAfter"
          stroke="var(--chart-inflight)"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Line
          name="discovered"
          dataKey="discovered"
          type="stepAfter"
          stroke="var(--chart-hist)"
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

/** URLs waiting in the spider's frontier over time, with every URL discovered so far. */
export const QueueSizeChart = memo(QueueSizeChartImpl)
