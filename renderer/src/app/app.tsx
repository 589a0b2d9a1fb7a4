import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import type { StartRunRequest } from '../../../shared/api.ts'
import type { MenuCommand } from '../../../shared/menu.ts'
import { HistoryView } from '../features/history/index.ts'
import { LiveView } from '../features/live/index.ts'
import { SetupView } from '../features/setup/index.ts'
import { isLive, useRunStore } from '../stores/run-store.ts'
import { buildStartRequest, useSettingsStore } from '../stores/settings-store.ts'
import { ChartsGrid, DashboardFailures } from './dashboard-charts.tsx'
import { ErrorBoundary } from './error-boundary.tsx'
import { ConnectionBanner, Header } from './header.tsx'
import { ResultsPage } from './results-page.tsx'
import type { Services } from './services.ts'
import { StopDialog } from './stop-dialog.tsx'
import { useThemeSync } from './theme.ts'
import { navigate, useViewStore, type View } from './view-store.ts'

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.userAgent)
const START_SHORTCUT = IS_MAC ? '⌘ Enter' : 'Ctrl+Enter'

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function App({ services }: { services: Services }): JSX.Element {
  useThemeSync()
  const { api, ingest } = services
  const view = useViewStore((s) => s.view)
  const [stopOpen, setStopOpen] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const mainRef = useRef<HTMLElement>(null)

  const startRun = useCallback(
    async (request: StartRunRequest): Promise<void> => {
      setNotice(null)
      await services.startRun(request)
    },
    [services]
  )

  const requestStop = useCallback((): void => {
    if (isLive(useRunStore.getState().state)) setStopOpen(true)
  }, [])

  const confirmStop = (): void => {
    setStopOpen(false)
    const runId = useRunStore.getState().runId
    if (runId === null) return
    api.stopRun(runId).catch((e: unknown) => {
      setNotice(`The run could not be stopped: ${errorText(e)}`)
    })
  }

  /** Start/stop from the keyboard or the menu: stop a live run (after asking), else start Setup's run. */
  const toggleRun = useCallback((): void => {
    if (isLive(useRunStore.getState().state)) {
      requestStop()
      return
    }
    const built = buildStartRequest(useSettingsStore.getState())
    if (!built.ok) {
      navigate('setup')
      setNotice(built.reason)
      return
    }
    startRun(built.request).catch((e: unknown) => {
      navigate('setup')
      setNotice(`The run did not start: ${errorText(e)}`)
    })
  }, [requestStop, startRun])

  const pauseResume = useCallback((): void => {
    const { runId, state } = useRunStore.getState()
    if (runId === null) return
    const call = state === 'running' ? api.pauseRun(runId) : state === 'paused' ? api.resumeRun(runId) : null
    call?.catch((e: unknown) => {
      setNotice(`Could not ${state === 'running' ? 'pause' : 'resume'}: ${errorText(e)}`)
    })
  }, [api])

  // Electron's menu carries the accelerators; in the browser, the page handles Ctrl/Cmd+Enter itself.
  useEffect(() => {
    const menu = window.crawlerMenu
    if (menu) {
      return menu.onCommand((command: MenuCommand) => {
        switch (command) {
          case 'new-run':
            navigate('setup')
            break
          case 'open-run':
            navigate('history')
            break
          case 'export':
            navigate('results')
            break
          case 'toggle-run':
            toggleRun()
            break
          case 'pause-resume':
            pauseResume()
            break
        }
      })
    }
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !e.repeat) {
        e.preventDefault()
        toggleRun()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
    }
  }, [toggleRun, pauseResume])

  // A dropped file outside the Setup view must not navigate the window to it.
  useEffect(() => {
    const block = (e: DragEvent): void => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault()
    }
    window.addEventListener('dragover', block)
    window.addEventListener('drop', block)
    return () => {
      window.removeEventListener('dragover', block)
      window.removeEventListener('drop', block)
    }
  }, [])

  // Moving between views puts focus at the top of the new one, for keyboard and screen reader users.
  const firstView = useRef(true)
  useEffect(() => {
    if (firstView.current) {
      firstView.current = false
      return
    }
    mainRef.current?.focus({ preventScroll: true })
    window.scrollTo({ top: 0 })
  }, [view])

  const goSetup = (): void => {
    navigate('setup')
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <ConnectionBanner />
      {notice !== null ? (
        <div className="app-notice notice notice--warn" role="alert">
          <div className="notice__body">{notice}</div>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label="Dismiss"
            onClick={() => {
              setNotice(null)
            }}
          >
            ✕
          </button>
        </div>
      ) : null}
      <main
        id="main"
        ref={mainRef}
        tabIndex={-1}
        className={`app-main app-main--${view}`}
        aria-label={VIEW_TITLES[view]}
      >
        <ErrorBoundary resetKey={view}>
          {view === 'setup' ? (
            <SetupView api={api} onStart={startRun} startShortcut={START_SHORTCUT} />
          ) : null}
          {view === 'dashboard' ? (
            <LiveView
              api={api}
              onStop={requestStop}
              onNewRun={goSetup}
              onShowResults={(outcome) => {
                navigate('results', outcome)
              }}
              onRetry={() => {
                void ingest.resync()
              }}
              charts={<ChartsGrid />}
              failures={(runId) => (
                <DashboardFailures
                  api={api}
                  runId={runId}
                  onPickCode={(code) => {
                    navigate('results', 'failed', [code])
                  }}
                />
              )}
            />
          ) : null}
          {view === 'results' ? <ResultsPage api={api} onNewRun={goSetup} /> : null}
          {view === 'history' ? (
            <HistoryView
              api={api}
              onNewRun={goSetup}
              onOpen={(runId) => {
                void services.openRun(runId)
              }}
            />
          ) : null}
        </ErrorBoundary>
      </main>
      <StopDialog
        open={stopOpen}
        onConfirm={confirmStop}
        onCancel={() => {
          setStopOpen(false)
        }}
      />
    </div>
  )
}

const VIEW_TITLES: Readonly<Record<View, string>> = {
  setup: 'Setup',
  dashboard: 'Dashboard',
  results: 'Results',
  history: 'History',
  compare: 'Compare'
}
