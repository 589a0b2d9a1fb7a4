import { useEffect, useId, useState, type JSX, type ReactNode, type Ref } from 'react'
import { ReferenceLine, type YAxisProps } from 'recharts'
import { formatElapsedTick } from './chart-data.ts'
import { placeMarkLabels, type MarkLine, type PlacedMark } from './chart-marks.ts'

/** Every chart draws at this height; the width follows the container. */
export const CHART_HEIGHT = 220

/*
 * Props recharts compares by reference: module constants, so a redraw with new data does not also
 * rebuild axes, grid and tooltip (recharts performance guide: keep props referentially stable).
 */
export const MARGIN = { top: 10, right: 16, bottom: 4, left: 4 } as const
export const TICK = { fill: 'var(--chart-text)', fontSize: 11 } as const
export const AXIS_LINE = { stroke: 'var(--chart-grid)' } as const
export const GRID_STROKE = 'var(--chart-grid)'
export const TOOLTIP_CONTENT_STYLE = {
  background: 'var(--bg-elev, #fff)',
  border: '1px solid var(--border, #d0d4da)',
  borderRadius: 6,
  color: 'var(--fg, #1b1f24)',
  fontSize: 12,
  padding: '6px 8px'
} as const
export const TOOLTIP_ITEM_STYLE = { padding: 0 } as const
/** What every chart's <Tooltip> shares (spread it; recharts reads <Tooltip> as a direct child). */
export const TOOLTIP_BASE = {
  isAnimationActive: false,
  contentStyle: TOOLTIP_CONTENT_STYLE,
  itemStyle: TOOLTIP_ITEM_STYLE
} as const
export const TOOLTIP_CURSOR = { stroke: 'var(--chart-text)', strokeOpacity: 0.4 } as const

export const X_SECONDS_LABEL = {
  value: 'time since start',
  position: 'insideBottomRight',
  offset: 0,
  fill: 'var(--chart-text)',
  fontSize: 11
} as const

/**
 * The "seconds since start" X axis the time charts share. Spread onto <XAxis>: recharts finds its
 * axes among a chart's direct children, so the axis itself cannot be wrapped in a component.
 */
export function timeXAxisProps(domain: [number, number], ticks: readonly number[]) {
  return {
    type: 'number',
    dataKey: 'x',
    domain,
    allowDataOverflow: true,
    ticks: ticks as number[],
    tickFormatter: formatElapsedTick,
    tick: TICK,
    axisLine: AXIS_LINE,
    tickLine: AXIS_LINE,
    height: 36,
    label: X_SECONDS_LABEL
  } as const
}

/**
 * The numeric value axis most charts share: 52 px wide, labelled, in the chart's colours. Spread
 * onto <YAxis> (as timeXAxisProps); build it once per chart module, since recharts compares props
 * by reference.
 */
export function valueYAxisProps(
  label: string,
  opts: Pick<YAxisProps, 'domain' | 'tickFormatter' | 'allowDecimals'> = {}
) {
  return {
    type: 'number',
    tick: TICK,
    axisLine: AXIS_LINE,
    tickLine: AXIS_LINE,
    width: 58,
    label: yLabel(label),
    ...opts
  } as const
}

/** A vertical axis label in the axis' own column. */
export function yLabel(value: string): {
  value: string
  angle: number
  position: 'insideLeft'
  offset: number
  fill: string
  fontSize: number
  style: { textAnchor: 'middle' }
} {
  return {
    value,
    angle: -90,
    position: 'insideLeft',
    offset: 10,
    fill: 'var(--chart-text)',
    fontSize: 11,
    style: { textAnchor: 'middle' }
  }
}

/**
 * Settings changes as dashed vertical lines with their short label at the top. A live change sits
 * at the right edge, so labels in the right part of the axis go on the line's left side.
 */
export function renderMarks(lines: readonly MarkLine[], xEnd: number, widthPx: number | null): JSX.Element[] {
  // The plot is the figure less the value axis and margins (about 80 px).
  const placed = placeMarkLabels(lines, xEnd, Math.max(100, (widthPx ?? 600) - 80))
  // Adaptive-concurrency decisions are the engine's own changes: another colour, dotted.
  return placed.map((m) => (
    <ReferenceLine
      key={m.key}
      x={m.x}
      stroke={m.kind === 'decision' ? 'var(--chart-warn)' : 'var(--chart-mark)'}
      strokeDasharray={m.kind === 'decision' ? '2 3' : '4 3'}
      ifOverflow="discard"
      label={m.text === null ? undefined : placedLabel(m, 'var(--chart-text)', 10)}
    />
  ))
}

/**
 * A placed label (placeMarkLabels) as a ReferenceLine's label: on its row, beside its line, with a
 * halo so grid lines do not cross the text.
 */
export function placedLabel(
  m: PlacedMark,
  fill: string,
  fontSize: number
): (props: { viewBox?: unknown }) => JSX.Element | null {
  return function MarkLabel({ viewBox }) {
    const box = viewBox as { x?: number; y?: number } | undefined
    if (box?.x === undefined || box.y === undefined) return null
    const right = m.side === 'right'
    return (
      <text
        className="chart__mark-label"
        x={box.x + (right ? 4 : -4)}
        y={box.y + fontSize + m.row * (fontSize + 2)}
        textAnchor={right ? 'start' : 'end'}
        fill={fill}
        fontSize={fontSize}
        stroke="var(--bg, #fff)"
        strokeWidth={3}
        paintOrder="stroke"
      >
        {m.text}
      </text>
    )
  }
}

/** Which side of a vertical line its label goes: left of the line in the right 40% of the axis. */
export function labelSide(x: number, lo: number, hi: number): 'insideTopLeft' | 'insideTopRight' {
  return hi > lo && (x - lo) / (hi - lo) > 0.6 ? 'insideTopRight' : 'insideTopLeft'
}

/**
 * Width of an element (rounded to 40 px so a resize drag does not recompute every pixel), null
 * until measured. The charts size their point budgets from it: about one point per two pixels.
 */
export function useElementWidth(): [(el: HTMLElement | null) => void, number | null] {
  const [el, setEl] = useState<HTMLElement | null>(null)
  const [width, setWidth] = useState<number | null>(null)
  useEffect(() => {
    if (!el) return
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width
      if (w !== undefined && w > 0) setWidth(Math.round(w / 40) * 40)
    })
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [el])
  return [setEl, width]
}

export interface ChartFrameProps {
  /** Receives the figure element (for useElementWidth). */
  readonly frameRef?: Ref<HTMLElement>
  readonly title: string
  /** Latest values in words, for screen readers (the SVG itself is hidden from them). */
  readonly summary: string
  /** When set, the plot is replaced by this message. */
  readonly empty: string | null
  readonly legend?: ReactNode
  readonly actions?: ReactNode
  readonly children: ReactNode
}

export function ChartFrame({
  frameRef,
  title,
  summary,
  empty,
  legend,
  actions,
  children
}: ChartFrameProps): JSX.Element {
  const id = useId()
  return (
    <figure
      ref={frameRef}
      className="chart"
      aria-labelledby={`${id}-title`}
      aria-describedby={empty === null ? `${id}-summary` : undefined}
    >
      <figcaption className="chart__head">
        <span className="chart__title" id={`${id}-title`}>
          {title}
        </span>
        {legend !== undefined && empty === null ? <span className="chart__legend">{legend}</span> : null}
        {actions !== undefined ? <span className="chart__actions">{actions}</span> : null}
      </figcaption>
      {/* The empty message is visible text already; only a drawn chart needs the summary. */}
      <p className="chart__sr-only" id={`${id}-summary`} hidden={empty !== null}>
        {summary}
      </p>
      {empty !== null ? (
        <div className="chart__empty" style={{ height: CHART_HEIGHT }}>
          {empty}
        </div>
      ) : (
        <div className="chart__plot" aria-hidden="true" style={{ height: CHART_HEIGHT }}>
          {children}
        </div>
      )}
    </figure>
  )
}

/** A legend entry: swatch plus text (recharts' Legend re-measures on every redraw; this does not). */
export function LegendItem({
  color,
  label,
  kind = 'line'
}: {
  color: string
  label: string
  kind?: 'line' | 'dot' | 'box' | 'dash'
}): JSX.Element {
  return (
    <span className="chart__legend-item">
      <span className={`chart__swatch chart__swatch--${kind}`} style={{ color }} aria-hidden="true" />
      {label}
    </span>
  )
}
