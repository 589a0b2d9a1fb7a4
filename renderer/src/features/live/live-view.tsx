import { useEffect, useState, type JSX, type ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi } from '../../../../shared/api.ts'
import { describeOwner } from '../../../../shared/run-status.ts'
import type { RunSummary } from '../../../../shared/summary.ts'
import { formatCount, formatDuration, formatMs, formatSpeedup } from '../../../../shared/format.ts'
import { formatDateTime } from '../../stores/date-format.ts'
import { isDrivenHere, RUN_BADGE_LABELS, runBadge } from '../../stores/run-status.ts'
import { isEnded, useRunStore } from '../../stores/run-store.ts'
import { LiveLimits } from './live-limits.tsx'
import { ProgressBar, StatCards } from './run-figures.tsx'

export interface LiveViewProps {
  readonly api: CrawlerApi
  /** Asks for confirmation, then stops the run. */
  readonly onStop: () => void
  readonly onNewRun: () => void
  readonly onShowResults: (outcome: 'all' | 'ok' | 'failed') => void
  readonly onRetry: () => void
  /** Resumes a paused or interrupted run and follows it again. Rejects with the host's refusal. */
  readonly onResume: (runId: string) => Promise<void>
  /** Marks an interrupted run stopped. Rejects with the host's refusal. */
  readonly onMarkStopped: (runId: string) => Promise<void>
  /** Actions on the open run (Export), composed by the app. */
  readonly actions?: ReactNode
  /** The charts grid (composed by the app from the charts feature). */
  readonly charts: ReactNode
  /** The open run's failure groups (from the results feature). */
  readonly failures: (runId: string) => ReactNode
  /** A prominent notice under the run's title (the failure safeguard's pause), composed by the app. */
  readonly banner?: ReactNode
  /** Panels under the charts: the hosts view, and in spider mode the frontier and decision log. */
  readonly spider?: (runId: string) => ReactNode
  /** Why fewer requests are in flight than the limit allows (under the figures), when it lasts. */
  readonly limitExplanation?: (runId: string) => ReactNode
}

/** How often a run the headless runner drives is re-read (no events reach this app for it). */
export const ELSEWHERE_REFRESH_MS = 3_000

export function LiveView(props: LiveViewProps): JSX.Element {
  const { phase, error, runId } = useRunStore(
    useShallow((s) => ({ phase: s.phase, error: s.error, runId: s.runId }))
  )
  if (phase === 'error' && runId === null) {
    return (
      <div className="state" role="alert">
        <h2>The dashboard could not load</h2>
        <p>{error}</p>
        <div className="state__actions">
          <button type="button" className="btn btn--primary" onClick={props.onRetry}>
            Try again
          </button>
        </div>
      </div>
    )
  }
  if (phase === 'idle' || phase === 'loading') {
    return (
      <div className="state" role="status">
        <div className="spinner" aria-hidden="true" />
        <p>Loading the run…</p>
      </div>
    )
  }
  if (phase === 'empty' || runId === null) {
    return (
      <div className="state">
        <h2>No runs yet</h2>
        <p>Set up a crawl, or run the workshop demo from Setup: it needs no internet.</p>
        <div className="state__actions">
          <button type="button" className="btn btn--primary" onClick={props.onNewRun}>
            Set up a crawl
          </button>
        </div>
      </div>
    )
  }
  return <Dashboard {...props} runId={runId} />
}

function Dashboard({
  api,
  onStop,
  onNewRun,
  onShowResults,
  onRetry,
  onResume,
  onMarkStopped,
  actions,
  charts,
  failures,
  banner,
  spider,
  limitExplanation,
  runId
}: LiveViewProps & { runId: string }): JSX.Element {
  const { name, note, status, summary, limit, error, phase } = useRunStore(
    useShallow((s) => ({
      name: s.name,
      note: s.note,
      status: s.status,
      summary: s.summary,
      limit: s.settings?.concurrency ?? null,
      error: s.error,
      phase: s.phase
    }))
  )
  const [controlError, setControlError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The headless runner's progress reaches this app only through the store: re-read it now and then.
  const elsewhere = status?.kind === 'elsewhere'
  useEffect(() => {
    if (!elsewhere) return
    const timer = setInterval(onRetry, ELSEWHERE_REFRESH_MS)
    return () => {
      clearInterval(timer)
    }
  }, [elsewhere, onRetry])
  if (!summary || !status) return <div className="state">No summary for this run yet.</div>
  const live = isDrivenHere(status)
  const driven = live || isEnded(status)
  const badge = runBadge(status)
  const finished = isEnded(status)
  const state = summary.state

  const control = (action: 'pause' | 'resume' | 'mark stopped'): void => {
    setBusy(true)
    setControlError(null)
    const call =
      action === 'pause' ? api.pauseRun(runId) : action === 'resume' ? onResume(runId) : onMarkStopped(runId)
    call
      .catch((e: unknown) => {
        setControlError(`Could not ${action}: ${e instanceof Error ? e.message : String(e)}`)
      })
      .finally(() => {
        setBusy(false)
      })
  }

  return (
    <div className="live">
      {phase === 'error' ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">{error}</div>
          <button type="button" className="btn btn--small" onClick={onRetry}>
            Retry
          </button>
        </div>
      ) : null}
      <div className="live__head">
        <div className="live__title">
          <h2 title={name}>{name || 'Untitled run'}</h2>
          <span className={`badge badge--${badge}`}>{RUN_BADGE_LABELS[badge]}</span>
          <span className="muted live__started">started {formatDateTime(summary.startedAt)}</span>
        </div>
        <div className="live__controls">
          {actions}
          {status.kind === 'running' ? (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                control('pause')
              }}
            >
              Pause
            </button>
          ) : null}
          {status.kind === 'paused' || status.kind === 'suspended' ? (
            <button
              type="button"
              className="btn btn--primary"
              disabled={busy}
              onClick={() => {
                control('resume')
              }}
            >
              Resume
            </button>
          ) : null}
          {live ? (
            <button type="button" className="btn btn--danger" onClick={onStop}>
              Stop…
            </button>
          ) : finished ? (
            <button type="button" className="btn btn--primary" onClick={onNewRun}>
              New run
            </button>
          ) : null}
        </div>
      </div>
      {note !== '' ? (
        <p className="live__note" title={note}>
          {note}
        </p>
      ) : null}
      {controlError !== null ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">{controlError}</div>
        </div>
      ) : null}
      {banner}
      {status.kind === 'interrupted' ? (
        <InterruptedBanner
          summary={summary}
          reason={status.reason}
          busy={busy}
          onResume={() => {
            control('resume')
          }}
          onMarkStopped={() => {
            control('mark stopped')
          }}
        />
      ) : null}
      {status.kind === 'elsewhere' ? (
        <div className="notice" role="status">
          <div className="notice__body">
            Another Crawlboard process is crawling this run right now ({describeOwner(status)}: the headless
            runner, or the app in another window or on another machine). It is read-only here, and its figures
            refresh every few seconds.
          </div>
        </div>
      ) : null}
      {live ? <LiveLimits api={api} runId={runId} disabled={false} /> : null}
      {finished ? (
        <FinishedBanner
          summary={summary}
          completed={status.kind === 'completed'}
          onShowResults={onShowResults}
        />
      ) : null}
      <ProgressBar summary={summary} state={state} driven={driven} />
      <StatCards summary={summary} state={state} limit={live ? limit : null} driven={driven} />
      {limitExplanation?.(runId)}
      {charts}
      {spider?.(runId)}
      {failures(runId)}
    </div>
  )
}

/** An unfinished run nothing drives any more: continue it, or settle it as stopped. */
function InterruptedBanner({
  summary,
  reason,
  busy,
  onResume,
  onMarkStopped
}: {
  summary: RunSummary
  /** Why it stopped going ("the app quit while it was going", "SIGINT (Ctrl-C) stopped it"). */
  reason: string
  busy: boolean
  onResume: () => void
  onMarkStopped: () => void
}): JSX.Element {
  return (
    <section className="interrupted notice notice--warn" aria-label="Interrupted run">
      <div className="notice__body">
        <p className="interrupted__headline">
          This run was interrupted — {formatCount(summary.done)} of {formatCount(summary.total)} URLs done.
          Resume fetches only the rest.
        </p>
        <p className="muted">
          It stopped before it finished: {reason}. Its results so far are kept; marking it stopped keeps them
          as they are.
        </p>
      </div>
      <div className="interrupted__actions">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={onResume}>
          Resume
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onMarkStopped}>
          Mark as stopped
        </button>
      </div>
    </section>
  )
}

function FinishedBanner({
  summary,
  completed,
  onShowResults
}: {
  summary: RunSummary
  completed: boolean
  onShowResults: (outcome: 'all' | 'ok' | 'failed') => void
}): JSX.Element {
  return (
    <section
      className={`finished notice ${completed ? 'notice--ok' : 'notice--warn'}`}
      aria-label="Run summary"
    >
      <div className="notice__body">
        <p className="finished__headline">
          {completed ? 'Completed' : 'Stopped'} in {formatDuration(summary.elapsedMs)}:{' '}
          {formatCount(summary.done)} of {formatCount(summary.total)} URLs, {formatCount(summary.ok)} ok,{' '}
          {formatCount(summary.failed)} failed.
        </p>
        <p className="muted">
          p50 {formatMs(summary.latency.p50)} · p95 {formatMs(summary.latency.p95)} · p99{' '}
          {formatMs(summary.latency.p99)}
          {summary.speedup !== null ? ` · ${formatSpeedup(summary.speedup)} faster than one at a time` : ''}
        </p>
      </div>
      <div className="finished__actions">
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            onShowResults('all')
          }}
        >
          All results
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={summary.failed === 0}
          onClick={() => {
            onShowResults('failed')
          }}
        >
          Failures ({formatCount(summary.failed)})
        </button>
      </div>
    </section>
  )
}
