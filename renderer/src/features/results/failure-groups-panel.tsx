import { useCallback, type JSX } from 'react'
import type { FailureGroup } from '../../../../shared/api.ts'
import { ERROR_ADVICE, type ErrorCode } from '../../../../shared/errors.ts'
import { formatCount, formatShare } from '../../../../shared/format.ts'
import type { ResultsApi } from './types.ts'
import { withLiveCounts, type LiveFailureCounts } from './live-failure-groups.ts'
import { useAsync } from '../../ui/use-async.ts'

export interface FailureGroupsPanelProps {
  readonly api: ResultsApi
  readonly runId: string
  /** Increments when new results arrived (throttled by the caller). */
  readonly revision: number
  /** Picking a group (the shell filters the table by that code). */
  readonly onPickCode?: (code: ErrorCode) => void
  /** The run's summary counts: when given, every count shown is these (see withLiveCounts). */
  readonly live?: LiveFailureCounts
}

/** Sample URLs shown per group. */
const SAMPLES = 3

function fetchGroups(api: ResultsApi, runId: string, _revision: number): Promise<readonly FailureGroup[]> {
  return api.getFailureGroups(runId)
}

/** The run's failures grouped by error code: how many, what share, and what to do about it. */
export function FailureGroupsPanel({
  api,
  runId,
  revision,
  onPickCode,
  live
}: FailureGroupsPanelProps): JSX.Element {
  const load = useCallback(() => fetchGroups(api, runId, revision), [api, runId, revision])
  const { value, error, loading, retry } = useAsync(load)
  const fetched = value ?? []
  const { groups, totalFailed } = live
    ? withLiveCounts(fetched, live)
    : { groups: fetched, totalFailed: fetched.reduce((n, g) => n + g.count, 0) }

  let body: JSX.Element
  if (value === undefined && error !== null) {
    body = (
      <div className="results__state results__state--error" role="alert">
        <p>Could not load failures: {error}</p>
        <button type="button" className="results__retry" onClick={retry}>
          Retry
        </button>
      </div>
    )
  } else if (value === undefined && loading) {
    body = <p className="results__state">Loading failures…</p>
  } else if (groups.length === 0) {
    body = <p className="results__state failures__none">No failures in this run.</p>
  } else {
    body = (
      <ul className="failures__list">
        {[...groups]
          .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
          .map((g) => (
            <li key={g.code}>
              <FailureGroupItem group={g} totalFailed={totalFailed} onPickCode={onPickCode} />
            </li>
          ))}
      </ul>
    )
  }

  return (
    <section className="failures" aria-label="Failures by error code">
      <header className="failures__head">
        <h2 className="failures__title">Failures by error code</h2>
        {totalFailed > 0 ? <span className="failures__total">{formatCount(totalFailed)} failed</span> : null}
        {error !== null && value !== undefined ? (
          <span className="failures__stale" role="status">
            Could not refresh: {error}{' '}
            <button type="button" className="results__retry" onClick={retry}>
              Retry
            </button>
          </span>
        ) : null}
      </header>
      {body}
    </section>
  )
}

function FailureGroupItem({
  group: g,
  totalFailed,
  onPickCode
}: {
  group: FailureGroup
  totalFailed: number
  onPickCode: ((code: ErrorCode) => void) | undefined
}): JSX.Element {
  const share = formatShare(g.count, totalFailed)
  const pct = totalFailed > 0 ? Math.max(1, (g.count / totalFailed) * 100) : 0
  const suggestion = g.suggestion.trim() !== '' ? g.suggestion : ERROR_ADVICE[g.code]
  const content = (
    <>
      <span className="failures__row">
        <code className="failures__code">{g.code}</code>
        <span className="failures__count">{formatCount(g.count)}</span>
        <span className="failures__share">{share}</span>
      </span>
      <span className="failures__bar" aria-hidden="true">
        <span style={{ width: `${pct.toFixed(1)}%` }} />
      </span>
      <span className="failures__suggestion">{suggestion}</span>
      {g.sampleUrls.length > 0 ? (
        <span className="failures__samples">
          {g.sampleUrls.slice(0, SAMPLES).map((u) => (
            <span key={u} className="failures__sample" title={u}>
              {u}
            </span>
          ))}
        </span>
      ) : null}
    </>
  )
  if (!onPickCode) return <div className="failures__group">{content}</div>
  return (
    <button
      type="button"
      className="failures__group failures__group--button"
      title={`Show the ${formatCount(g.count)} ${g.code} failures in the table`}
      onClick={() => {
        onPickCode(g.code)
      }}
    >
      {content}
    </button>
  )
}
