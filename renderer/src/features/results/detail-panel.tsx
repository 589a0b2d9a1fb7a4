import { useCallback, useEffect, useId, useRef, type JSX, type ReactNode } from 'react'
import type { AttemptRecord, RequestResult } from '../../../../shared/result.ts'
import { EMPTY, formatBytes, formatMs } from '../../../../shared/format.ts'
import { formatClock, formatOffset, formatStatus, statusClassOf } from './format.ts'
import type { ResultsApi } from './types.ts'
import { useAsync } from '../../ui/use-async.ts'
import { Waterfall } from './waterfall.tsx'

export interface DetailPanelProps {
  readonly api: ResultsApi
  readonly runId: string
  readonly resultId: number
  readonly onClose: () => void
  /** Opens another result of the run (the page this one was found on, a step of its path). */
  readonly onOpenResult?: (id: number) => void
  /** A spider run: depth, "found on" and the path from the seed are shown. */
  readonly spider?: boolean
}

/**
 * Everything about one result: URLs, status, error, the timing waterfall, every attempt with the
 * wait before the next, the redirect chain, headers. Crawled text is shown as text, never as HTML.
 * Remount it per result (key) so a new row never shows the previous row's data.
 */
export function DetailPanel({
  api,
  runId,
  resultId,
  onClose,
  onOpenResult,
  spider = false
}: DetailPanelProps): JSX.Element {
  const load = useCallback(() => api.getResult(runId, resultId), [api, runId, resultId])
  const { value, error, loading, retry } = useAsync(load)
  const headingId = useId()
  const closeRef = useRef<HTMLButtonElement>(null)

  // Focus moves into the panel when it opens, so Escape and Tab work from the keyboard at once.
  useEffect(() => {
    closeRef.current?.focus()
  }, [resultId])

  // Escape closes from anywhere (the table or the panel) unless a menu already took it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault()
        onClose()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
    }
  }, [onClose])

  const result = value ?? null
  return (
    <aside className="detail" role="dialog" aria-modal="false" aria-labelledby={headingId}>
      <header className="detail__head">
        <h2 className="detail__title" id={headingId}>
          Result #{resultId + 1}
        </h2>
        <button
          ref={closeRef}
          type="button"
          className="detail__close"
          onClick={onClose}
          aria-label="Close details"
        >
          ✕
        </button>
      </header>
      <div className="detail__body">
        {error !== null ? (
          <div className="results__state results__state--error" role="alert">
            <p>Could not load this result: {error}</p>
            <button type="button" className="results__retry" onClick={retry}>
              Retry
            </button>
          </div>
        ) : loading && value === undefined ? (
          <p className="results__state" aria-live="polite">
            Loading result…
          </p>
        ) : result === null ? (
          <p className="results__state">This result is no longer available.</p>
        ) : (
          <ResultDetail
            result={result}
            path={
              spider || result.depth > 0 || result.foundOn !== null ? (
                <PathSection api={api} runId={runId} result={result} onOpenResult={onOpenResult} />
              ) : null
            }
          />
        )}
      </div>
    </aside>
  )
}

/**
 * Where a spidered page came from: its depth, the page it was first found on, and the whole path
 * from the seed (api.getPath) as a breadcrumb list, each step opening that result.
 */
function PathSection({
  api,
  runId,
  result: r,
  onOpenResult
}: {
  api: ResultsApi
  runId: string
  result: RequestResult
  onOpenResult: ((id: number) => void) | undefined
}): JSX.Element {
  const load = useCallback(() => api.getPath(runId, r.id), [api, runId, r.id])
  const { value: path, error, retry } = useAsync(load)
  const foundOn = r.foundOn
  const parent = foundOn === null ? undefined : path?.find((step) => step.id === foundOn)
  const open = (id: number, label: string): JSX.Element =>
    onOpenResult ? (
      <button
        type="button"
        className="detail__link"
        onClick={() => {
          onOpenResult(id)
        }}
      >
        {label}
      </button>
    ) : (
      <span className="detail__mono">{label}</span>
    )
  return (
    <section className="detail__section" aria-label="Found via">
      <h3>Found via</h3>
      <dl className="detail__facts">
        <dt>Depth</dt>
        <dd>
          {r.depth}
          {r.depth === 0 ? <span className="detail__muted"> (a seed or sitemap URL)</span> : null}
        </dd>
        <dt>Found on</dt>
        <dd className="detail__mono">
          {foundOn === null ? (
            <span className="detail__muted">—</span>
          ) : (
            open(foundOn, parent?.url ?? `Result #${String(foundOn + 1)}`)
          )}
        </dd>
      </dl>
      {error !== null ? (
        <p className="detail__muted" role="alert">
          The path could not be loaded: {error}{' '}
          <button type="button" className="results__retry" onClick={retry}>
            Retry
          </button>
        </p>
      ) : path !== undefined && path.length > 1 ? (
        <nav aria-label="Path from the seed">
          <ol className="detail__path">
            {path.map((step) => (
              <li key={step.id} className="detail__path-step">
                <span className="detail__path-depth">{step.depth}</span>
                {step.id === r.id ? (
                  <span className="detail__mono" aria-current="page">
                    {step.url}
                  </span>
                ) : (
                  open(step.id, step.url)
                )}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </section>
  )
}

function ResultDetail({ result: r, path }: { result: RequestResult; path: ReactNode }): JSX.Element {
  const cls = statusClassOf(r.status)
  const headers = Object.entries(r.headers).sort(([a], [b]) => a.localeCompare(b))
  return (
    <>
      <section className="detail__section">
        <p className="detail__url">
          <span className="detail__method">{r.method}</span> <span className="detail__mono">{r.url}</span>
        </p>
        {r.finalUrl !== r.url ? (
          <p className="detail__url detail__muted">
            Final URL: <span className="detail__mono">{r.finalUrl}</span>
          </p>
        ) : null}
        <dl className="detail__facts">
          <dt>Status</dt>
          <dd>
            <span className={`status-badge status-badge--${cls}`}>{formatStatus(r.status)}</span>{' '}
            {r.ok ? 'ok' : 'failed'}
          </dd>
          <dt>Total</dt>
          <dd>{formatMs(r.timings.total)}</dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(r.bytes)}{' '}
            <span className="detail__muted">({r.bytes.toLocaleString('en-US')} bytes)</span>
          </dd>
          <dt>Content type</dt>
          <dd className="detail__mono">{r.contentType ?? EMPTY}</dd>
          <dt>Title</dt>
          <dd>{r.title ?? EMPTY}</dd>
          <dt>Host</dt>
          <dd className="detail__mono">{r.host}</dd>
          <dt>Finished</dt>
          <dd>{formatClock(r.finishedAt)}</dd>
        </dl>
      </section>

      {path}

      {r.error ? (
        <section className="detail__section detail__error" aria-label="Error">
          <h3>Error</h3>
          <p>
            <code className="detail__code">{r.error.code}</code> in phase <strong>{r.error.phase}</strong>
            {r.error.retryable ? ' (retryable)' : ''}
          </p>
          <p className="detail__message">{r.error.message}</p>
        </section>
      ) : null}

      <section className="detail__section">
        <h3>Timing (final attempt)</h3>
        <Waterfall timings={r.timings} redirects={r.redirects.length} />
      </section>

      <section className="detail__section">
        <h3>Attempts ({r.attempts.length})</h3>
        {r.attempts.length === 0 ? (
          <p className="detail__muted">No attempt was made (the URL was refused before fetching).</p>
        ) : (
          <table className="detail__table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">Outcome</th>
                <th scope="col">Then waited</th>
              </tr>
            </thead>
            <tbody>
              {r.attempts.map((a) => (
                <AttemptRow key={a.attempt} attempt={a} origin={r.startedAt} />
              ))}
            </tbody>
          </table>
        )}
      </section>

      {r.redirects.length > 0 ? (
        <section className="detail__section">
          <h3>Redirects ({r.redirects.length})</h3>
          <ol className="detail__redirects">
            {r.redirects.map((h, i) => (
              <li key={i}>
                <span className={`status-badge status-badge--${statusClassOf(h.status)}`}>{h.status}</span>{' '}
                <span className="detail__mono" title={h.url}>
                  {h.url}
                </span>
                <span aria-label="redirects to"> → </span>
                <span className="detail__mono" title={h.location}>
                  {h.location}
                </span>{' '}
                <span className="detail__muted">{formatMs(h.durationMs)}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section className="detail__section">
        <h3>Response headers</h3>
        {headers.length === 0 ? (
          <p className="detail__muted">No headers recorded.</p>
        ) : (
          <dl className="detail__headers">
            {headers.map(([name, v]) => (
              <div key={name} className="detail__header">
                <dt>{name}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    </>
  )
}

function AttemptRow({ attempt: a, origin }: { attempt: AttemptRecord; origin: number }): JSX.Element {
  return (
    <tr className={a.outcome === 'ok' ? '' : 'detail__attempt--bad'}>
      <td>{a.attempt}</td>
      <td title={formatClock(a.startedAt)}>{formatOffset(a.startedAt - origin)}</td>
      <td>{formatMs(a.durationMs)}</td>
      <td>
        {a.status !== null ? (
          <span className={`status-badge status-badge--${statusClassOf(a.status)}`}>{a.status}</span>
        ) : null}{' '}
        {a.error ? (
          <span title={a.error.message}>
            <code className="detail__code">{a.error.code}</code> {a.error.message}
          </span>
        ) : a.outcome === 'ok' ? (
          'ok'
        ) : null}
      </td>
      <td>
        {a.waitBeforeNextMs !== null ? (
          <>
            {formatMs(a.waitBeforeNextMs)}{' '}
            <span className="detail__muted">
              (
              {a.waitReason === 'retry-after'
                ? 'Retry-After'
                : a.waitReason === 'backoff'
                  ? 'backoff'
                  : 'wait'}
              )
            </span>
          </>
        ) : (
          EMPTY
        )}
      </td>
    </tr>
  )
}
