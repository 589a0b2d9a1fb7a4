import { useCallback, useEffect, type JSX } from 'react'
import type { CrawlerApi, HostPacing, HostPauseReason, HostRow } from '../../../../shared/api.ts'
import { EMPTY, formatCount, formatMs } from '../../../../shared/format.ts'
import { formatDelay, formatPercent, formatUntil, robotsTone } from './hosts-format.ts'
import { useHostsFeed } from './hosts-feed.ts'
import { useNow } from './use-now.ts'
import { usePolling } from './use-polling.ts'

/** The hosts view refreshes this often while the run goes (never faster: it is a whole-run query). */
export const HOSTS_POLL_MS = 1_000
/** Rows drawn at once; a crawl of thousands of hosts lists the busiest. */
const MAX_ROWS = 200

const PAUSE_LABELS: Readonly<Record<HostPauseReason, string>> = {
  'retry-after': 'Retry-After',
  backoff: 'Retry backoff',
  safeguard: 'Safeguard'
}

const PAUSE_TITLES: Readonly<Record<HostPauseReason, string>> = {
  'retry-after': 'The host answered 429 or 503 with Retry-After: nothing starts on it until then.',
  backoff: 'All the host has left are retries, asleep before their next attempt.',
  safeguard: 'The failure safeguard paused the run: nothing starts until it is resumed.'
}

const PACING_LABELS: Readonly<Record<HostPacing, string>> = {
  'min-delay': 'min delay',
  rate: 'rate cap',
  'crawl-delay': 'Crawl-delay',
  'crawl-delay-capped': 'Crawl-delay, capped'
}

/**
 * Per-host figures, for list and spider runs alike: requests, ok %, errors, in flight against the
 * limit in force (and why it is lowered), work waiting, latency, a pause (until when, and why:
 * Retry-After, retry backoff, the failure safeguard), pacing, and for a spider run what robots.txt
 * says. Polled (≤ 1/s) while the run goes and the page is visible; read once for a finished run.
 * Each answer is published to the hosts feed, which the limit explanation reads.
 */
export function HostsPanel({
  api,
  runId,
  live,
  spider
}: {
  api: Pick<CrawlerApi, 'getHosts'>
  runId: string
  live: boolean
  /** A spider run: the robots.txt and Crawl-delay columns show. */
  spider: boolean
}): JSX.Element {
  const load = useCallback(() => api.getHosts(runId), [api, runId])
  const { value, error } = usePolling(load, HOSTS_POLL_MS, live)
  const publish = useHostsFeed((s) => s.publish)
  useEffect(() => {
    publish(runId, value)
  }, [publish, runId, value])
  const rows = value ?? []
  const now = useNow(live && rows.some((r) => r.pausedUntil !== null))
  return (
    <section className="hosts-panel hosts" aria-labelledby="hosts-title">
      <header className="hosts-panel__head">
        <h2 id="hosts-title" className="hosts-panel__title">
          Hosts
        </h2>
        {rows.length > 0 ? (
          <span className="muted">
            {formatCount(rows.length)} {rows.length === 1 ? 'host' : 'hosts'}
            {rows.length > MAX_ROWS ? `, the ${String(MAX_ROWS)} busiest shown` : ''}
          </span>
        ) : null}
        {error !== null ? (
          <span className="hosts-panel__stale" role="status">
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
                  Errors
                </th>
                <th
                  scope="col"
                  className="num"
                  title="Requests in flight now, and the per-host limit in force"
                >
                  {live ? 'In flight / limit' : 'Limit'}
                </th>
                {live ? (
                  <th
                    scope="col"
                    className="num"
                    title="URLs waiting to start on this host, and retries asleep"
                  >
                    Waiting
                  </th>
                ) : null}
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                {live ? (
                  <>
                    <th scope="col">Paused</th>
                    <th scope="col" title="The gap kept between request starts on this host">
                      Pacing
                    </th>
                  </>
                ) : null}
                {spider ? (
                  <>
                    <th scope="col">robots.txt</th>
                    <th scope="col" className="num">
                      Crawl delay
                    </th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((r) => (
                <HostLine key={r.host} row={r} now={now} live={live} spider={spider} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function HostLine({
  row: r,
  now,
  live,
  spider
}: {
  row: HostRow
  now: number
  live: boolean
  spider: boolean
}): JSX.Element {
  const lowered = r.currentLimit < r.userLimit
  const limitTitle = lowered
    ? `Lowered from your limit of ${String(r.userLimit)}${r.limitReason !== null ? ` ${r.limitReason}` : ''}`
    : 'Your per-host limit'
  return (
    <tr>
      <th scope="row" className="hosts__host" title={r.host}>
        {r.host}
      </th>
      <td className="num">{formatCount(r.requests)}</td>
      <td className={`num${r.requests > 0 && r.okPercent < 90 ? ' hosts__bad' : ''}`}>
        {formatPercent(r.okPercent, r.requests)}
      </td>
      <td className={`num${r.failed > 0 ? ' hosts__bad' : ' muted'}`}>{formatCount(r.failed)}</td>
      <td className={`num${lowered ? ' hosts__lowered' : ''}`} title={limitTitle}>
        {live ? `${String(r.inFlight)} / ` : ''}
        {r.currentLimit}
        {lowered ? <span className="muted"> (yours {r.userLimit})</span> : null}
      </td>
      {live ? (
        <td className="num">
          {formatCount(r.queued)}
          {r.retrying > 0 ? <span className="muted"> + {formatCount(r.retrying)} retrying</span> : null}
        </td>
      ) : null}
      <td className="num">{formatMs(r.p50Ms)}</td>
      <td className="num">{formatMs(r.p95Ms)}</td>
      {live ? (
        <>
          <PausedCell row={r} now={now} />
          <td className={r.gapMs > 0 ? undefined : 'muted'}>
            {r.gapMs > 0 ? (
              <>
                {formatDelay(r.gapMs)}
                {r.pacing !== null ? (
                  <span className="hosts__reason"> ({PACING_LABELS[r.pacing]})</span>
                ) : null}
              </>
            ) : (
              EMPTY
            )}
          </td>
        </>
      ) : null}
      {spider ? (
        <>
          <td>
            <span className={`robots robots--${robotsTone(r.robots)}`}>{r.robots}</span>
          </td>
          <td className="num">{formatDelay(r.crawlDelayMs)}</td>
        </>
      ) : null}
    </tr>
  )
}

function PausedCell({ row: r, now }: { row: HostRow; now: number }): JSX.Element {
  const reason = r.pauseReason
  const left = formatUntil(r.pausedUntil, now)
  // A timed pause that has run out reads as nothing until the next poll says otherwise.
  if (reason === null || (reason !== 'safeguard' && left === null)) return <td className="muted">{EMPTY}</td>
  const until = r.pausedUntil !== null ? ` Until ${new Date(r.pausedUntil).toLocaleTimeString()}.` : ''
  return (
    <td className="hosts__paused" title={`${PAUSE_TITLES[reason]}${until}`}>
      {PAUSE_LABELS[reason]}
      {left !== null ? <span className="hosts__reason"> · {left.replace(/^in /, '')} left</span> : null}
    </td>
  )
}
