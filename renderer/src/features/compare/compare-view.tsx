import { useCallback, useEffect, useRef, type JSX, type ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi, RunComparison } from '../../../../shared/api.ts'
import { setComparePair, useCompareStore } from '../../stores/compare-store.ts'
import { formatCount } from '../../../../shared/format.ts'
import { loadHistory, useHistoryStore } from '../../stores/history-store.ts'
import { ChangesPanel } from './changes-panel.tsx'
import { defaultOther, totalChanges } from './compare-model.ts'
import { HostTable, PercentileTable } from './latency-tables.tsx'
import { RunPickers } from './run-pickers.tsx'
import { useAsync } from '../../ui/use-async.ts'

export type CompareApi = Pick<CrawlerApi, 'listRuns' | 'compareRuns' | 'queryChanges' | 'exportRun'>

/**
 * Two runs side by side: latency distributions and percentiles, per-host deltas, and the URLs
 * whose outcome changed. The pair comes from the compare store (History's "Compare" sets it).
 */
export function CompareView({
  api,
  distribution,
  onOpenHistory
}: {
  api: CompareApi
  /** The overlaid latency distributions of both runs (composed by app/ from the charts). */
  distribution: (comparison: RunComparison) => ReactNode
  onOpenHistory: () => void
}): JSX.Element {
  const { baseRunId, otherRunId } = useCompareStore(
    useShallow((s) => ({ baseRunId: s.baseRunId, otherRunId: s.otherRunId }))
  )
  const history = useHistoryStore(useShallow((s) => ({ status: s.status, runs: s.runs, error: s.error })))

  useEffect(() => {
    void loadHistory(api)
  }, [api])

  // Once the runs are known: drop a picked run that is gone, and pair a lone base (History's
  // "Compare" on one run) with its neighbour, once: a picker the person empties stays empty.
  const paired = useRef(false)
  useEffect(() => {
    if (history.status !== 'ready') return
    const known = (id: string | null): string | null =>
      id !== null && history.runs.some((r) => r.runId === id) ? id : null
    const base = known(baseRunId)
    let other = known(otherRunId)
    if (base !== null && other === null && !paired.current) other = defaultOther(history.runs, base)
    paired.current = true
    if (base !== baseRunId || other !== otherRunId) setComparePair(base, other)
  }, [history.status, history.runs, baseRunId, otherRunId])

  const load = useCallback(
    () =>
      baseRunId !== null && otherRunId !== null
        ? api.compareRuns(baseRunId, otherRunId)
        : Promise.resolve(null),
    [api, baseRunId, otherRunId]
  )
  const loaded = useAsync(load)
  const value = loaded.value
  const comparison =
    value && value.base.runId === baseRunId && value.other.runId === otherRunId ? value : null

  const pickers = (
    <RunPickers
      runs={history.runs}
      baseRunId={baseRunId}
      otherRunId={otherRunId}
      onChange={(base, other) => {
        setComparePair(base, other)
      }}
    />
  )

  let body: ReactNode
  if (history.status === 'error') {
    body = (
      <div className="notice notice--error" role="alert">
        <div className="notice__body">{history.error}</div>
        <button type="button" className="btn btn--small" onClick={() => void loadHistory(api)}>
          Retry
        </button>
      </div>
    )
  } else if (history.status !== 'ready') {
    body = <Waiting text="Loading the runs…" />
  } else if (history.runs.length < 2) {
    body = (
      <div className="state">
        <h3>Comparing needs two runs</h3>
        <p>
          {history.runs.length === 0 ? 'There are no runs yet.' : 'There is one run so far.'} Crawl a list,
          then crawl it again (History → Re-run) to see what changed.
        </p>
        <div className="state__actions">
          <button type="button" className="btn" onClick={onOpenHistory}>
            Open History
          </button>
        </div>
      </div>
    )
  } else if (baseRunId === null || otherRunId === null) {
    body = (
      <div className="state">
        <h3>Pick two runs</h3>
        <p>The base run is the reference; the other run is compared with it, URL by URL.</p>
      </div>
    )
  } else if (loaded.error !== null) {
    body = (
      <div className="notice notice--error" role="alert">
        <div className="notice__body">The runs could not be compared: {loaded.error}</div>
        <button type="button" className="btn btn--small" onClick={loaded.retry}>
          Retry
        </button>
      </div>
    )
  } else if (loaded.loading || comparison === null) {
    body = <Waiting text="Comparing the runs… (large runs take a few seconds the first time)" />
  } else {
    body = <Comparison api={api} comparison={comparison} distribution={distribution} />
  }

  return (
    <div className="compare">
      <div className="compare__head">
        <h2 className="compare__title">Compare runs</h2>
        {pickers}
      </div>
      {body}
    </div>
  )
}

function Waiting({ text }: { text: string }): JSX.Element {
  return (
    <div className="state" role="status">
      <div className="spinner" aria-hidden="true" />
      <p>{text}</p>
    </div>
  )
}

function Comparison({
  api,
  comparison,
  distribution
}: {
  api: CompareApi
  comparison: RunComparison
  distribution: (comparison: RunComparison) => ReactNode
}): JSX.Element {
  const { base, other, matched, changeCounts } = comparison
  const changed = totalChanges(changeCounts) - changeCounts['only-in-base'] - changeCounts['only-in-other']
  const same = base.runId === other.runId
  return (
    <div className="compare__body">
      <p className="compare__summary" role="status">
        <strong>{formatCount(matched)}</strong> URLs in both runs
        {matched > 0 ? (
          <>
            , <strong>{formatCount(changed)}</strong> of them changed
          </>
        ) : null}
        ; <strong>{formatCount(changeCounts['only-in-base'])}</strong> only in the base,{' '}
        <strong>{formatCount(changeCounts['only-in-other'])}</strong> only in the other.
        {same ? ' (The same run on both sides: pick another to see changes.)' : null}
      </p>
      {matched === 0 ? (
        <div className="notice notice--warn compare__no-common" role="note">
          <div className="notice__body">
            <strong>These runs have no URLs in common.</strong> URLs are matched exactly (the URL as it was
            listed), so two different lists have nothing to compare URL by URL. The latency figures below
            still compare the runs as a whole.
          </div>
        </div>
      ) : null}
      <div className="compare__latency">
        <div className="compare__chart">{distribution(comparison)}</div>
        <PercentileTable base={comparison.latency.base} other={comparison.latency.other} />
      </div>
      <ChangesPanel
        key={`${base.runId}\n${other.runId}`}
        api={api}
        baseRunId={base.runId}
        otherRunId={other.runId}
        counts={changeCounts}
      />
      <HostTable hosts={comparison.hosts} />
    </div>
  )
}
