import { useCallback, useEffect, useState, type JSX } from 'react'
import type { CrawlerApi, HostRow } from '../../../../shared/api.ts'
import { EMPTY, formatCount, formatMs } from '../../../../shared/format.ts'
import { formatDelay, formatLogTime, formatPercent, formatUntil, robotsTone } from './spider-format.ts'
import { usePolling } from './use-polling.ts'

/** The hosts view refreshes this often while the run goes (never faster: it is a whole-run query). */
export const HOSTS_POLL_MS = 1_000
/** Rows drawn at once; a crawl of thousands of hosts lists the busiest. */
const MAX_ROWS = 200

/** The current time, ticking each second while `on` (for "paused until" countdowns). */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!on) return
    const tick = (): void => {
      setNow(Date.now())
    }
    // At once too (next task): the mount-time clock can be long stale when the first pause shows
    // up, and a 30 s Retry-After would read "in 31 s" or more until the first tick.
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, 1_000)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [on])
  return now
}

/**
 * Per-host figures: requests, ok %, latency, the limit in force against the user's, a Retry-After
 * pause, and what robots.txt says. Polled (≤ 1/s) while the run goes and the page is visible; read
 * once for a finished run.
 */
export function HostsPanel({
  api,
  runId,
  live
}: {
  api: Pick<CrawlerApi, 'getHosts'>
  runId: string
  live: boolean
}): JSX.Element {
  const load = useCallback(() => api.getHosts(runId), [api, runId])
  const { value, error } = usePolling(load, HOSTS_POLL_MS, live)
  const rows = value ?? []
  const now = useNow(rows.some((r) => r.pausedUntil !== null))
  return (
    <section className="spider-panel hosts" aria-labelledby="hosts-title">
      <header className="spider-panel__head">
        <h2 id="hosts-title" className="spider-panel__title">
          Hosts
        </h2>
        {rows.length > 0 ? (
          <span className="muted">
            {formatCount(rows.length)} {rows.length === 1 ? 'host' : 'hosts'}
            {rows.length > MAX_ROWS ? `, the ${String(MAX_ROWS)} busiest shown` : ''}
          </span>
        ) : null}
        {error !== null ? (
          <span className="spider-panel__stale" role="status">
            Could not refresh: {error}
          </span>
        ) : null}
      </header>
      {value === undefined ? (
        <p className="muted">{error === null ? 'Loading hosts…' : 'Hosts could not be loaded.'}</p>
      ) : rows.length === 0 ? (
        <p className="muted">No requests yet.</p>
      ) : (
        <div className="hosts__scroll">
          <table className="hosts__table" aria-label="Hosts">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  OK
                </th>
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="num" title="The per-host limit in force, and yours">
                  Limit
                </th>
                <th scope="col">Paused</th>
                <th scope="col">robots.txt</th>
                <th scope="col" className="num">
                  Crawl delay
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((r) => (
                <HostLine key={r.host} row={r} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function HostLine({ row: r, now }: { row: HostRow; now: number }): JSX.Element {
  const paused = formatUntil(r.pausedUntil, now)
  const lowered = r.currentLimit < r.userLimit
  return (
    <tr>
      <th scope="row" className="hosts__host" title={r.host}>
        {r.host}
      </th>
      <td className="num">{formatCount(r.requests)}</td>
      <td className={`num${r.requests > 0 && r.okPercent < 90 ? ' hosts__bad' : ''}`}>
        {formatPercent(r.okPercent, r.requests)}
      </td>
      <td className="num">{formatMs(r.p50Ms)}</td>
      <td className="num">{formatMs(r.p95Ms)}</td>
      <td
        className={`num${lowered ? ' hosts__lowered' : ''}`}
        title={lowered ? `Lowered from your limit of ${String(r.userLimit)}` : 'Your limit'}
      >
        {r.currentLimit}
        <span className="muted"> / {r.userLimit}</span>
      </td>
      <td
        className={paused !== null ? 'hosts__paused' : 'muted'}
        title={
          paused !== null && r.pausedUntil !== null
            ? `Until ${formatLogTime(r.pausedUntil)} (Retry-After)`
            : undefined
        }
      >
        {paused !== null ? `${paused.replace(/^in /, '')} left` : EMPTY}
      </td>
      <td>
        <span className={`robots robots--${robotsTone(r.robots)}`}>{r.robots}</span>
      </td>
      <td className="num">{formatDelay(r.crawlDelayMs)}</td>
    </tr>
  )
}
