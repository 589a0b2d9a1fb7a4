import type { JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { reconnectNow, useConnection } from '../api/transport.ts'
import { useRunStore } from '../stores/run-store.ts'
import { settingsActions, useSettingsStore, type ThemeChoice } from '../stores/settings-store.ts'
import { navigate, useViewStore, VIEWS } from './view-store.ts'

const THEMES: readonly { readonly id: ThemeChoice; readonly label: string }[] = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' }
]

export function Header(): JSX.Element {
  const view = useViewStore((s) => s.view)
  // The dot says a run goes here: not for one interrupted or driven by the headless runner.
  const runState = useRunStore((s) => s.status?.kind ?? null)
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <svg className="app-header__logo" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 17l4-6 4 3 5-8 5 7" fill="none" stroke="currentColor" strokeWidth="2.2" />
        </svg>
        <span className="app-header__name">Crawlboard</span>
      </div>
      <nav className="app-nav" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className="app-nav__tab"
            aria-current={view === v.id ? 'page' : undefined}
            onClick={() => {
              navigate(v.id)
            }}
          >
            {v.label}
            {v.id === 'dashboard' && (runState === 'running' || runState === 'paused') ? (
              <span className={`app-nav__dot app-nav__dot--${runState}`} aria-label={`run ${runState}`} />
            ) : null}
          </button>
        ))}
      </nav>
      <div className="app-header__end">
        <ConnectionPill />
        <ThemeSwitch />
      </div>
    </header>
  )
}

function ConnectionPill(): JSX.Element | null {
  const { transport, status, attempt } = useConnection(
    useShallow((s) => ({ transport: s.transport, status: s.status, attempt: s.attempt }))
  )
  if (transport === 'electron') return null
  const label =
    status === 'connected'
      ? 'Connected'
      : status === 'connecting'
        ? 'Connecting…'
        : status === 'reconnecting'
          ? `Reconnecting… (${attempt})`
          : 'Disconnected'
  return (
    <span
      className={`conn conn--${status}`}
      role="status"
      aria-live="polite"
      title="Connection to the Crawlboard host"
    >
      <span className="conn__dot" aria-hidden="true" />
      {label}
    </span>
  )
}

/** A full-width notice under the header while the host cannot be reached. */
export function ConnectionBanner(): JSX.Element | null {
  const { status, message } = useConnection(useShallow((s) => ({ status: s.status, message: s.message })))
  if (status !== 'failed' && status !== 'reconnecting') return null
  return (
    <div className={`conn-banner conn-banner--${status}`} role="alert">
      <span className="conn-banner__text">
        {status === 'failed' ? 'Disconnected. ' : 'Connection lost, reconnecting. '}
        {message}
      </span>
      <button type="button" className="btn btn--small" onClick={reconnectNow}>
        Reconnect now
      </button>
    </div>
  )
}

function ThemeSwitch(): JSX.Element {
  const theme = useSettingsStore((s) => s.theme)
  return (
    <div className="segmented" role="group" aria-label="Theme">
      {THEMES.map((t) => (
        <button
          key={t.id}
          type="button"
          aria-pressed={theme === t.id}
          className="segmented__option"
          onClick={() => {
            settingsActions.setTheme(t.id)
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  )
}
