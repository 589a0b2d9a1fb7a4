import { useEffect, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi, RunInfo } from '../../../../shared/api.ts'
import type { RunState } from '../../../../shared/events.ts'
import { formatCount, formatDateTime, formatDuration, formatMs } from '../../stores/format.ts'
import { loadHistory, useHistoryStore } from '../../stores/history-store.ts'
import { useRunStore } from '../../stores/run-store.ts'

const STATE_LABELS: Readonly<Record<RunState, string>> = {
  idle: 'Starting',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Stopped'
}

/** Past and current runs (this session's, until the store issue adds persistence). */
export function HistoryView({
  api,
  onOpen,
  onNewRun
}: {
  api: Pick<CrawlerApi, 'listRuns'>
  onOpen: (runId: string) => void
  onNewRun: () => void
}): JSX.Element {
  const { status, runs, error } = useHistoryStore(
    useShallow((s) => ({ status: s.status, runs: s.runs, error: s.error }))
  )
  const openRunId = useRunStore((s) => s.runId)
  useEffect(() => {
    void loadHistory(api)
  }, [api])

  const refresh = (
    <button
      type="button"
      className="btn btn--small"
      onClick={() => {
        void loadHistory(api)
      }}
    >
      Refresh
    </button>
  )

  if (status === 'idle' || (status === 'loading' && runs.length === 0)) {
    return (
      <div className="state" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>Loading runs…</p>
      </div>
    )
  }
  if (status === 'error') {
    return (
      <div className="state" role="alert">
        <h2>Runs could not be listed</h2>
        <p>{error}</p>
        <div className="state__actions">{refresh}</div>
      </div>
    )
  }
  if (runs.length === 0) {
    return (
      <div className="state">
        <h2>No runs yet</h2>
        <p>Runs appear here once started.</p>
        <div className="state__actions">
          <button type="button" className="btn btn--primary" onClick={onNewRun}>
            Set up a crawl
          </button>
        </div>
      </div>
    )
  }
  return (
    <section className="history panel" aria-labelledby="history-title">
      <div className="history__head">
        <h2 id="history-title">Runs</h2>
        <span className="muted">{formatCount(runs.length)} in this session</span>
        {refresh}
      </div>
      <div className="history__scroll">
        <table className="history__table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                URLs
              </th>
              <th scope="col" className="num">
                OK
              </th>
              <th scope="col" className="num">
                Failed
              </th>
              <th scope="col" className="num">
                p50
              </th>
              <th scope="col" className="num">
                p95
              </th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <HistoryRow key={run.runId} run={run} isOpen={run.runId === openRunId} onOpen={onOpen} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function HistoryRow({
  run,
  isOpen,
  onOpen
}: {
  run: RunInfo
  isOpen: boolean
  onOpen: (runId: string) => void
}): JSX.Element {
  const s = run.summary
  return (
    <tr aria-current={isOpen ? 'true' : undefined}>
      <th scope="row" className="history__name" title={run.name}>
        {run.name || 'Untitled run'}
      </th>
      <td>{formatDateTime(run.createdAt)}</td>
      <td className="num">{formatCount(run.total)}</td>
      <td className="num">{formatCount(s.ok)}</td>
      <td className={`num${s.failed > 0 ? ' history__failed' : ''}`}>{formatCount(s.failed)}</td>
      <td className="num">{formatMs(s.latency.p50)}</td>
      <td className="num">{formatMs(s.latency.p95)}</td>
      <td className="num">{formatDuration(s.elapsedMs)}</td>
      <td>
        <span className={`badge badge--${run.state}`}>{STATE_LABELS[run.state]}</span>
      </td>
      <td>
        <button
          type="button"
          className="btn btn--small"
          aria-label={`Open ${run.name || 'run'} from ${formatDateTime(run.createdAt)}`}
          onClick={() => {
            onOpen(run.runId)
          }}
        >
          {isOpen ? 'Showing' : 'Open'}
        </button>
      </td>
    </tr>
  )
}
