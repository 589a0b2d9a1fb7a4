import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import type { StartRunRequest } from '../../../shared/api.ts'
import type { MenuCommand } from '../../../shared/menu.ts'
import { HistoryView } from '../features/history/index.ts'
import { LiveView } from '../features/live/index.ts'
import { SetupView } from '../features/setup/index.ts'
import type { ExportNotice } from '../api/deliver-export.ts'
import { canResume } from '../stores/run-status.ts'
import { isLive, useRunStore } from '../stores/run-store.ts'
import { buildStartRequest, useSettingsStore } from '../stores/settings-store.ts'
import { ChartsGrid, DashboardFailures } from './dashboard-charts.tsx'
import { ComparePage } from './compare-page.tsx'
import { LimitExplanation, SafeguardBanner, SpiderDashboard } from './spider-dashboard.tsx'
import { ErrorBoundary } from './error-boundary.tsx'
import { ExportDialog, ExportMenu } from './export-controls.tsx'
import { ConnectionBanner, Header } from './header.tsx'
import { ResultsPage } from './results-page.tsx'
import type { Services } from './services.ts'
import { StopDialog } from './stop-dialog.tsx'
import { StoreBanner } from './store-banner.tsx'
import { useThemeSync } from './theme.ts'
import { navigate, useViewStore, type View } from './view-store.ts'

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.userAgent)
const START_SHORTCUT = IS_MAC ? '⌘ Enter' : 'Ctrl+Enter'

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A message over the views: a refusal (warn), a failure (error), or news such as "Saved to …" (ok). */
interface AppNotice {
  readonly tone: 'ok' | 'warn' | 'error'
  readonly text: string
}

const warn = (text: string): AppNotice => ({ tone: 'warn', text })

/** The open run, when an engine here drives it (pause, resume and stop apply). */
function drivenHere(): boolean {
  return isLive(useRunStore.getState().status)
}

export function App({ services }: { services: Services }): JSX.Element {
  useThemeSync()
  const { api, ingest } = services
  const view = useViewStore((s) => s.view)
  const [stopOpen, setStopOpen] = useState(false)
  const [notice, setNotice] = useState<AppNotice | null>(null)
  const [exportRun, setExportRun] = useState<{ runId: string; name: string } | null>(null)
  const showExportNotice = useCallback((n: ExportNotice): void => {
    setNotice(n)
  }, [])
  const mainRef = useRef<HTMLElement>(null)

  const startRun = useCallback(
    async (request: StartRunRequest): Promise<void> => {
      setNotice(null)
      await services.startRun(request)
    },
    [services]
  )

  const requestStop = useCallback((): void => {
    if (drivenHere()) setStopOpen(true)
  }, [])

  const confirmStop = (): void => {
    setStopOpen(false)
    const runId = useRunStore.getState().runId
    if (runId === null) return
    services.stopRun(runId).catch((e: unknown) => {
      setNotice(warn(`The run could not be stopped: ${errorText(e)}`))
    })
  }

  /** Start/stop from the keyboard or the menu: stop a live run (after asking), else start Setup's run. */
  const toggleRun = useCallback((): void => {
    if (drivenHere()) {
      requestStop()
      return
    }
    const built = buildStartRequest(useSettingsStore.getState())
    if (!built.ok) {
      navigate('setup')
      setNotice(warn(built.reason))
      return
    }
    startRun(built.request).catch((e: unknown) => {
      navigate('setup')
      setNotice(warn(`The run did not start: ${errorText(e)}`))
    })
  }, [requestStop, startRun])

  const pauseResume = useCallback((): void => {
    const { runId, status } = useRunStore.getState()
    if (runId === null || status === null) return
    // A running run pauses; a paused, interrupted or suspended one resumes.
    const pause = status.kind === 'running'
    const resume = canResume(status)
    const call = pause ? api.pauseRun(runId) : resume ? services.resumeRun(runId) : null
    call?.catch((e: unknown) => {
      setNotice(warn(`Could not ${pause ? 'pause' : 'resume'}: ${errorText(e)}`))
    })
  }, [api, services])

  /** The Export menu command: the open run, in a format asked for. */
  const exportOpenRun = useCallback((): void => {
    const { runId, name } = useRunStore.getState()
    if (runId === null) {
      navigate('history')
      setNotice(warn('Open a run to export it, or use Export in History.'))
      return
    }
    setExportRun({ runId, name })
  }, [])

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
            exportOpenRun()
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
  }, [toggleRun, pauseResume, exportOpenRun])

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
  const resync = useCallback((): void => {
    void ingest.resync()
  }, [ingest])

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <ConnectionBanner />
      <StoreBanner api={api} />
      {notice !== null ? (
        <div
          className={`app-notice notice notice--${notice.tone}`}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          <div className="notice__body">{notice.text}</div>
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
              onRetry={resync}
              onResume={(runId) => services.resumeRun(runId)}
              onMarkStopped={(runId) => services.stopRun(runId)}
              actions={<OpenRunExport api={api} onNotice={showExportNotice} />}
              charts={<ChartsGrid />}
              banner={<SafeguardBanner onResume={(runId) => services.resumeRun(runId)} />}
              spider={(runId) => <SpiderDashboard api={api} runId={runId} />}
              limitExplanation={(runId) => <LimitExplanation key={runId} runId={runId} />}
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
          {view === 'results' ? (
            <ResultsPage
              api={api}
              onNewRun={goSetup}
              exportMenu={(runId) => <ExportMenu api={api} runId={runId} onNotice={showExportNotice} />}
            />
          ) : null}
          {view === 'history' ? (
            <HistoryView
              api={api}
              onNewRun={goSetup}
              onOpen={(runId) => {
                void services.openRun(runId)
              }}
              onDeleted={(runId) => {
                // The dashboard no longer shows a deleted run: it shows the newest one instead.
                if (useRunStore.getState().runId === runId) void ingest.open()
              }}
            />
          ) : null}
          {view === 'compare' ? <ComparePage api={api} /> : null}
        </ErrorBoundary>
      </main>
      <ExportDialog
        api={api}
        run={exportRun}
        onClose={() => {
          setExportRun(null)
        }}
        onNotice={showExportNotice}
      />
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

/** Export for the run on the dashboard (keyed by run, so a switch of run resets its state). */
function OpenRunExport({
  api,
  onNotice
}: {
  api: Services['api']
  onNotice: (notice: ExportNotice) => void
}): JSX.Element | null {
  const runId = useRunStore((s) => s.runId)
  return runId === null ? null : <ExportMenu key={runId} api={api} runId={runId} onNotice={onNotice} />
}

const VIEW_TITLES: Readonly<Record<View, string>> = {
  setup: 'Setup',
  dashboard: 'Dashboard',
  results: 'Results',
  history: 'History',
  compare: 'Compare'
}
