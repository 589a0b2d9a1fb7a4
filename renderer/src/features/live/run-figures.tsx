import { useEffect, useState, type JSX } from 'react'
import type { RunState } from '../../../../shared/events.ts'
import type { RunSummary } from '../../../../shared/summary.ts'
import {
  formatCount,
  formatDuration,
  formatDurationShort,
  formatMs,
  formatRate,
  formatRateValue,
  formatShare,
  formatSpeedup
} from '../../../../shared/format.ts'

/** Wall time since the start, ticking once a second while the run is live. */
function useElapsed(summary: RunSummary, live: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!live) return
    const timer = setInterval(() => {
      setNow(Date.now())
    }, 1_000)
    return () => {
      clearInterval(timer)
    }
  }, [live])
  if (!live) return summary.elapsedMs
  return Math.max(summary.elapsedMs, now - summary.startedAt)
}

/**
 * `driven` false: no engine runs it (an interrupted run, or one the headless runner drives), so
 * its saved state is not a live one: no rate, no ETA, no ticking clock.
 */
export function ProgressBar({
  summary,
  state,
  driven = true
}: {
  summary: RunSummary
  state: RunState
  driven?: boolean
}): JSX.Element {
  const total = summary.total
  const fraction = total > 0 ? Math.min(1, summary.done / total) : 0
  const live = driven && (state === 'running' || state === 'paused')
  const eta = !live
    ? null
    : state === 'paused'
      ? 'paused'
      : summary.etaMs === null
        ? 'ETA unknown'
        : summary.etaMs === 0
          ? 'finishing'
          : `about ${formatDuration(summary.etaMs)} left`
  return (
    <div className="progress">
      <div className="progress__figures">
        <span>
          <strong>{formatCount(summary.done)}</strong> of {formatCount(total)} done
          <span className="muted"> ({Math.floor(fraction * 100)}%)</span>
        </span>
        {live ? (
          <span className="muted">
            {formatRate(summary.recentPerSecond)}
            {eta !== null ? ` · ${eta}` : ''}
            {summary.queued > 0 ? ` · ${formatCount(summary.queued)} queued` : ''}
            {summary.waitingRetry > 0 ? ` · ${formatCount(summary.waitingRetry)} waiting to retry` : ''}
          </span>
        ) : null}
      </div>
      <div
        className={`progress__track progress__track--${state}`}
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={summary.done}
        aria-valuetext={`${formatCount(summary.done)} of ${formatCount(total)} URLs done`}
      >
        <div className="progress__ok" style={{ width: `${total > 0 ? (summary.ok / total) * 100 : 0}%` }} />
        <div
          className="progress__failed"
          style={{ width: `${total > 0 ? (summary.failed / total) * 100 : 0}%` }}
        />
      </div>
    </div>
  )
}

interface Card {
  readonly label: string
  readonly value: string
  readonly sub?: string
  readonly tone?: 'ok' | 'error' | 'warn'
  readonly title?: string
}

export function StatCards({
  summary,
  state,
  limit,
  driven = true
}: {
  summary: RunSummary
  state: RunState
  limit: number | null
  /** See ProgressBar. */
  driven?: boolean
}): JSX.Element {
  const live = driven && (state === 'running' || state === 'paused')
  const elapsed = useElapsed(summary, live)
  const pct = (n: number): string => (summary.done > 0 ? formatShare(n, summary.done) : '')
  const cards: Card[] = [
    { label: 'OK', value: formatCount(summary.ok), sub: pct(summary.ok), tone: 'ok' },
    {
      label: 'Failed',
      value: formatCount(summary.failed),
      sub: pct(summary.failed),
      tone: summary.failed > 0 ? 'error' : undefined
    },
    { label: 'Retries', value: formatCount(summary.retries), tone: summary.retries > 0 ? 'warn' : undefined },
    {
      label: 'In flight',
      value: formatCount(live ? summary.inFlight : 0),
      sub: limit !== null ? `limit ${formatCount(limit)}` : undefined
    },
    {
      label: 'Req/s',
      value: formatRateValue(live ? summary.recentPerSecond : summary.throughputPerSecond),
      sub: live ? `avg ${formatRateValue(summary.throughputPerSecond)}` : 'average',
      title: 'Requests finished per second over the last few seconds (average over the run below)'
    },
    { label: 'p50', value: formatMs(summary.latency.p50), title: 'Median latency' },
    { label: 'p95', value: formatMs(summary.latency.p95), title: '95th percentile latency' },
    { label: 'p99', value: formatMs(summary.latency.p99), title: '99th percentile latency' },
    { label: 'Elapsed', value: formatDurationShort(elapsed), title: formatDuration(elapsed) },
    {
      label: 'Speedup',
      value: formatSpeedup(summary.speedup),
      sub: 'vs sequential',
      title: 'Sum of request latencies ÷ elapsed time: how much faster than fetching one at a time'
    }
  ]
  return (
    <dl className="cards">
      {cards.map((c) => (
        <div key={c.label} className={`card${c.tone ? ` card--${c.tone}` : ''}`} title={c.title}>
          <dt className="card__label">{c.label}</dt>
          <dd className="card__value">{c.value}</dd>
          {c.sub ? <dd className="card__sub">{c.sub}</dd> : null}
        </div>
      ))}
    </dl>
  )
}
