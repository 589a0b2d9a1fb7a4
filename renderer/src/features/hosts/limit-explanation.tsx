import { useState, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { belowLimitSince, explainLimit, explanationDue } from '../../../../shared/limit-explanation.ts'
import { isLive, useRunStore } from '../../stores/run-store.ts'
import { useHostsFeed } from './hosts-feed.ts'
import { useNow } from './use-now.ts'

/**
 * One plain sentence on the dashboard of a run going here, saying why fewer requests are in flight
 * than the concurrency limit allows ("0 of 128 in flight: all 3 hosts are paused by Retry-After for
 * up to 12 s more."). The words come from shared/limit-explanation.ts; this only shows them. They
 * appear once in flight has stayed below the limit for LIMIT_EXPLANATION_AFTER_MS and go as soon as
 * it is back at the limit, so a slot freeing up for a moment shows nothing. The live region stays
 * mounted (empty meanwhile) so a screen reader hears the sentence when it appears.
 *
 * A paused run says nothing here: its badge says paused, and the safeguard banner says why when the
 * safeguard paused it.
 */
export function LimitExplanation({ runId }: { runId: string }): JSX.Element | null {
  const run = useRunStore(
    useShallow((s) => ({
      live: isLive(s.status),
      state: s.summary?.state ?? 'idle',
      inFlight: s.summary?.inFlight ?? 0,
      queued: (s.summary?.queued ?? 0) + (s.summary?.waitingRetry ?? 0),
      limit: s.settings?.concurrency ?? null,
      safeguardReason: s.safeguardReason
    }))
  )
  const feed = useHostsFeed(useShallow((s) => ({ runId: s.runId, rows: s.rows })))
  const now = useNow(run.live)
  const below = run.live && run.state === 'running' && run.limit !== null && run.inFlight < run.limit
  // Since when in flight has been below the limit (null while at it), kept across renders.
  const [since, setSince] = useState<number | null>(null)
  const next = below ? belowLimitSince(since, run.inFlight, run.limit ?? 0, now) : null
  if (next !== since) setSince(next)
  if (!run.live) return null
  const rows = feed.runId === runId ? (feed.rows ?? []) : []
  const sentence =
    below && explanationDue(next, now)
      ? explainLimit({
          concurrency: run.limit ?? 0,
          inFlight: run.inFlight,
          queued: run.queued,
          state: run.state,
          safeguardReason: run.safeguardReason,
          hosts: rows,
          now
        })
      : null
  return (
    <div className="limit-why" role="status" aria-live="polite" aria-label="Why in flight is below the limit">
      {sentence !== null ? <p className="limit-why__text">{sentence}</p> : null}
    </div>
  )
}
