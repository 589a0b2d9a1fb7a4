import { useEffect, useRef, useState, type JSX } from 'react'
import type { CrawlerApi } from '../../../../shared/api.ts'
import type { LiveSettingsPatch } from '../../../../shared/config.ts'
import type { SettingSpec } from '../../../../shared/setting-spec.ts'
import { SETTING_KEYS, SETTINGS, type SettingKey } from '../../../../shared/settings.ts'
import { useRunStore } from '../../stores/run-store.ts'

/** Waits this long after the last change before sending it (a slider drag is one change). */
const APPLY_DELAY_MS = 350

/** The settings the table gives a live control (whole numbers from 1). */
type LimitKey = {
  [K in SettingKey]: (typeof SETTINGS)[K] extends { readonly liveControl: object } ? K : never
}[SettingKey]

interface LimitSpec {
  readonly key: LimitKey
  readonly label: string
  readonly max: number
  readonly sliderMax: number
}

const SPECS: readonly LimitSpec[] = SETTING_KEYS.flatMap((key) => {
  const spec: SettingSpec = SETTINGS[key]
  if (spec.liveControl === undefined || spec.type !== 'integer') return []
  return [{ key: key as LimitKey, label: spec.label, max: spec.max, sliderMax: spec.liveControl.sliderMax }]
})

/** Concurrency and per-host limits, changed while the run goes; each change is marked on the charts. */
export function LiveLimits({
  api,
  runId,
  disabled
}: {
  api: Pick<CrawlerApi, 'updateSettings'>
  runId: string
  disabled: boolean
}): JSX.Element {
  return (
    <section className="live-limits" aria-label="Live limits">
      {SPECS.map((spec) => (
        <LimitControl key={spec.key} spec={spec} api={api} runId={runId} disabled={disabled} />
      ))}
    </section>
  )
}

type Status =
  | { readonly kind: 'idle' }
  | { readonly kind: 'applying' }
  | { readonly kind: 'applied' }
  | { readonly kind: 'error'; readonly message: string }

function LimitControl({
  spec,
  api,
  runId,
  disabled
}: {
  spec: LimitSpec
  api: Pick<CrawlerApi, 'updateSettings'>
  runId: string
  disabled: boolean
}): JSX.Element {
  const current = useRunStore((s) => s.settings?.[spec.key] ?? null)
  /** What the person typed or dragged, until it is applied; null shows the run's value. */
  const [draft, setDraft] = useState<string | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current)
    },
    []
  )
  // The typed value stays until the run reports the new limit (in its next event batch), so the
  // field does not flick back to the old value in between.
  useEffect(
    () =>
      useRunStore.subscribe((s, prev) => {
        if (s.settings?.[spec.key] !== prev.settings?.[spec.key] && timer.current === null) setDraft(null)
      }),
    [spec.key]
  )

  const shown = draft ?? (current === null ? '' : String(current))
  const n = Number(shown)
  const invalid = draft !== null && (!/^\d+$/.test(draft.trim()) || n < 1 || n > spec.max)
  const id = `live-${spec.key}`

  const change = (text: string): void => {
    setDraft(text)
    if (timer.current !== null) clearTimeout(timer.current)
    const value = Number(text)
    if (!/^\d+$/.test(text.trim()) || value < 1 || value > spec.max) {
      setStatus({ kind: 'idle' })
      return
    }
    timer.current = setTimeout(() => {
      timer.current = null
      setStatus({ kind: 'applying' })
      const patch: LiveSettingsPatch = { [spec.key]: value }
      api.updateSettings(runId, patch).then(
        () => {
          setStatus({ kind: 'applied' })
        },
        (error: unknown) => {
          setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) })
        }
      )
    }, APPLY_DELAY_MS)
  }

  return (
    <div className="limit">
      <label className="limit__label" htmlFor={id}>
        {spec.label}
      </label>
      <input
        className="limit__slider"
        type="range"
        min={1}
        max={Math.max(spec.sliderMax, current ?? 1)}
        step={1}
        value={Number.isFinite(n) && n >= 1 ? n : 1}
        disabled={disabled}
        aria-label={`${spec.label} slider`}
        onChange={(e) => {
          change(e.currentTarget.value)
        }}
      />
      <input
        id={id}
        className="input limit__input"
        type="text"
        inputMode="numeric"
        value={shown}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={`${id}-status`}
        onChange={(e) => {
          change(e.currentTarget.value)
        }}
      />
      <span
        id={`${id}-status`}
        className={`limit__status limit__status--${invalid ? 'error' : status.kind}`}
        aria-live="polite"
      >
        {invalid
          ? `1–${spec.max.toLocaleString()}`
          : status.kind === 'applying'
            ? 'applying…'
            : status.kind === 'applied'
              ? 'applied'
              : status.kind === 'error'
                ? status.message
                : ''}
      </span>
    </div>
  )
}
