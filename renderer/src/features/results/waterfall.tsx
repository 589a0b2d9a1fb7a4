import type { JSX } from 'react'
import type { TimingPhases } from '../../../../shared/result.ts'
import { formatMs } from '../../../../shared/format.ts'
import { waterfallBars } from './waterfall-geometry.ts'

/** The final attempt's phases as offset bars on one time axis (plain divs: no chart library). */
export function Waterfall({ timings, redirects }: { timings: TimingPhases; redirects: number }): JSX.Element {
  const { bars, totalMs } = waterfallBars(timings, { redirects })
  return (
    <div
      className="waterfall"
      role="table"
      aria-label={`Timing of the final attempt, ${formatMs(totalMs)} in all`}
    >
      {bars.map((b) => (
        <div className="waterfall__row" role="row" key={b.phase}>
          <span className="waterfall__label" role="rowheader">
            {b.label}
          </span>
          <span className="waterfall__track" role="cell" aria-label={`starts at ${formatMs(b.startMs)}`}>
            {b.durationMs > 0 ? (
              <span
                className={`waterfall__bar waterfall__bar--${b.phase}`}
                style={{ left: `${b.leftPct.toFixed(2)}%`, width: `${b.widthPct.toFixed(2)}%` }}
              />
            ) : (
              <span className="waterfall__zero" style={{ left: `${b.leftPct.toFixed(2)}%` }} />
            )}
          </span>
          <span className="waterfall__ms" role="cell">
            {formatMs(b.durationMs)}
          </span>
        </div>
      ))}
      <div className="waterfall__row waterfall__row--total" role="row">
        <span className="waterfall__label" role="rowheader">
          Total
        </span>
        <span className="waterfall__track waterfall__track--axis" role="cell" />
        <span className="waterfall__ms" role="cell">
          {formatMs(totalMs)}
        </span>
      </div>
    </div>
  )
}
