import type { JSX, ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi } from '../../../shared/api.ts'
import { ResultsView } from '../features/results/index.ts'
import { useMetricsStore } from '../stores/metrics-store.ts'
import { useRunStore } from '../stores/run-store.ts'
import { useViewStore } from './view-store.ts'

/** The open run's results tables; `revision` moves at most twice a second while results arrive. */
export function ResultsPage({
  api,
  onNewRun,
  exportMenu
}: {
  api: CrawlerApi
  onNewRun: () => void
  /** Export for the run shown. */
  exportMenu?: (runId: string) => ReactNode
}): JSX.Element {
  const { runId, name, phase, spider } = useRunStore(
    useShallow((s) => ({ runId: s.runId, name: s.name, phase: s.phase, spider: s.config?.mode === 'spider' }))
  )
  const revision = useMetricsStore((s) => s.resultsRevision)
  const { outcome, errorCodes } = useViewStore(
    useShallow((s) => ({ outcome: s.outcome, errorCodes: s.errorCodes }))
  )
  if (runId === null) {
    if (phase === 'idle' || phase === 'loading') {
      return (
        <div className="state" role="status">
          <div className="spinner" aria-hidden="true" />
          <p>Loading the run…</p>
        </div>
      )
    }
    return (
      <div className="state">
        <h2>No results yet</h2>
        <p>Results appear here as soon as a run starts.</p>
        <div className="state__actions">
          <button type="button" className="btn btn--primary" onClick={onNewRun}>
            Set up a crawl
          </button>
        </div>
      </div>
    )
  }
  return (
    <div className="results-page">
      <div className="results-page__head">
        <h2 className="results-page__title" title={name}>
          <span className="sr-only">Results of </span>
          {name || 'Untitled run'}
        </h2>
        {exportMenu?.(runId)}
      </div>
      <ResultsView
        key={`${runId}:${outcome}:${errorCodes.join(',')}`}
        api={api}
        runId={runId}
        revision={revision}
        initialOutcome={outcome}
        initialErrorCodes={errorCodes}
        spider={spider}
      />
    </div>
  )
}
