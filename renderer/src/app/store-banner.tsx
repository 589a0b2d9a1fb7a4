import type { JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi } from '../../../shared/api.ts'
import { loadHistory } from '../stores/history-store.ts'
import { dismissStoreNotice, startFreshStore, useStoreStatus } from '../stores/store-status-store.ts'

/**
 * Under the header, on every view: the run database could not be opened (runs live in memory
 * only until a fresh one is started), or a fresh one replaced it and where the old file is.
 */
export function StoreBanner({
  api
}: {
  api: Pick<CrawlerApi, 'startFreshStore' | 'listRuns'>
}): JSX.Element | null {
  const { status, starting, error, dismissed } = useStoreStatus(
    useShallow((s) => ({ status: s.status, starting: s.starting, error: s.error, dismissed: s.dismissed }))
  )
  if (status === null || status.kind === 'ok') return null
  if (status.kind === 'replaced') {
    if (dismissed) return null
    return (
      <div className="store-banner store-banner--replaced" role="status">
        <p className="store-banner__text">
          <strong>Runs are recorded in a fresh database.</strong> The old database was kept as{' '}
          <code className="store-banner__path">{status.keptAs}</code>
        </p>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          aria-label="Dismiss the database notice"
          onClick={dismissStoreNotice}
        >
          ✕
        </button>
      </div>
    )
  }
  return (
    <div className="store-banner store-banner--unavailable" role="alert">
      <div className="store-banner__text">
        <p>
          <strong>Runs are not being saved.</strong> The run database at{' '}
          <code className="store-banner__path">{status.path}</code> could not be opened: {status.message}
        </p>
        <p>
          Runs are kept in memory only until a fresh database is started, and are lost when Crawlboard closes.
          {status.canStartFresh ? null : ' Move or repair the file, then restart Crawlboard.'}
        </p>
        {error !== null ? <p className="store-banner__error">{error}</p> : null}
      </div>
      {status.canStartFresh ? (
        <button
          type="button"
          className="btn btn--small"
          disabled={starting}
          onClick={() => {
            void startFreshStore(api).then((ok) => {
              if (ok) void loadHistory(api)
            })
          }}
        >
          {starting ? 'Starting a fresh database…' : 'Start a fresh database (keep the old file)'}
        </button>
      ) : null}
    </div>
  )
}
