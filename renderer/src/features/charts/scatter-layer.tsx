import { memo, useMemo, type JSX } from 'react'
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts'
import type { ScatterRow } from './chart-data.ts'

/**
 * The individual-request dots as one SVG path per colour: each dot is a zero-length segment drawn
 * with a round cap. recharts' <Scatter> renders a component tree per point and re-keys every point
 * when the time axis moves (every live update), which profiled as the dashboard's largest cost;
 * one path string is rebuilt in well under a millisecond for the ≤ 600 points shown.
 * Points do not feed the axis domain, so the chart includes them in its domain itself.
 */
export const ScatterLayer = memo(function ScatterLayer({
  ok,
  failed
}: {
  ok: readonly ScatterRow[]
  failed: readonly ScatterRow[]
}): JSX.Element | null {
  const xScale = useXAxisScale()
  const yScale = useYAxisScale()
  const plot = usePlotArea()
  const paths = useMemo(() => {
    if (!xScale || !yScale || !plot) return null
    const build = (rows: readonly ScatterRow[]): string => {
      const parts: string[] = []
      const right = plot.x + plot.width
      const bottom = plot.y + plot.height
      for (const r of rows) {
        const x = xScale(r.x)
        const y = yScale(r.ms)
        if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue
        if (x < plot.x || x > right || y < plot.y || y > bottom) continue
        parts.push(`M${x.toFixed(1)} ${y.toFixed(1)}h0`)
      }
      return parts.join('')
    }
    return { ok: build(ok), failed: build(failed) }
  }, [ok, failed, xScale, yScale, plot])
  if (!paths) return null
  return (
    <g className="chart__scatter" aria-hidden="true">
      <path
        d={paths.ok}
        stroke="var(--chart-ok)"
        strokeOpacity={0.55}
        strokeWidth={4}
        strokeLinecap="round"
        fill="none"
      />
      <path
        d={paths.failed}
        stroke="var(--chart-failed)"
        strokeOpacity={0.8}
        strokeWidth={5}
        strokeLinecap="round"
        fill="none"
      />
    </g>
  )
})
