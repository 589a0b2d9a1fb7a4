import { useState, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useRunStore } from '../../stores/run-store.ts'

/**
 * The failure safeguard paused the run: the reason, prominently, and Resume (which re-arms the
 * safeguard and judges the run afresh). Nothing while the run is not paused for that reason.
 */
export function SafeguardBanner({
  onResume
}: {
  onResume: (runId: string) => Promise<void>
}): JSX.Element | null {
  const { runId, reason, paused, threshold } = useRunStore(
    useShallow((s) => ({
      runId: s.runId,
      reason: s.safeguardReason,
      paused: s.status?.kind === 'paused',
      threshold: s.settings?.failureSafeguardPercent ?? null
    }))
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (runId === null || reason === null || !paused) return null
  return (
    <section className="safeguard notice notice--error" role="alert" aria-label="Failure safeguard">
      <div className="notice__body">
        <p className="safeguard__headline">The failure safeguard paused this run.</p>
        <p className="safeguard__reason">{reason}</p>
        <p className="muted">
          Look at the failures and hosts below. Resume goes on and judges the run afresh
          {threshold !== null ? `: it pauses again if ${String(threshold)} % of recent requests fail` : ''}.
        </p>
        {error !== null ? <p className="safeguard__error">Could not resume: {error}</p> : null}
      </div>
      <div className="safeguard__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={busy}
          onClick={() => {
            setBusy(true)
            setError(null)
            onResume(runId)
              .catch((e: unknown) => {
                setError(e instanceof Error ? e.message : String(e))
              })
              .finally(() => {
                setBusy(false)
              })
          }}
        >
          Resume
        </button>
      </div>
    </section>
  )
}
