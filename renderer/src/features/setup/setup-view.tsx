import { useMemo, useState, type DragEvent, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CrawlerApi, StartRunRequest } from '../../../../shared/api.ts'
import { validateForm } from '../../stores/config-form.ts'
import { formatCount } from '../../../../shared/format.ts'
import { useConnection } from '../../api/transport.ts'
import { isLive, useRunStore } from '../../stores/run-store.ts'
import { settingsActions, useSettingsStore } from '../../stores/settings-store.ts'
import { draftText, urlDraftActions, useUrlDraftStore } from '../../stores/url-draft-store.ts'
import { readUrlFile } from './read-url-file.ts'
import { SettingsForm } from './settings-form.tsx'
import { UrlPanel } from './url-panel.tsx'
import { useUrlCheck } from './use-url-check.ts'
import { WelcomeCard } from './welcome-card.tsx'

export interface SetupViewProps {
  readonly api: Pick<CrawlerApi, 'startDemoTarget'>
  /** Starts the run and shows the dashboard; rejects with what the host refused. */
  readonly onStart: (request: StartRunRequest) => Promise<void>
  /** "Ctrl+Enter" or "⌘+Enter", for the Start button's hint. */
  readonly startShortcut: string
}

type FileMessage = { readonly kind: 'ok' | 'error'; readonly text: string } | null

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function SetupView({ api, onStart, startShortcut }: SetupViewProps): JSX.Element {
  const s = useSettingsStore(
    useShallow((st) => ({
      loaded: st.loaded,
      loadError: st.loadError,
      saveError: st.saveError,
      values: st.values,
      demoOffered: st.demoOffered,
      runName: st.runName
    }))
  )
  const runLive = useRunStore((st) => isLive(st.status))
  const connected = useConnection((c) => c.status === 'connected')
  const validation = useMemo(() => validateForm(s.values), [s.values])
  const draftSaveError = useUrlDraftStore((st) => st.saveError)
  const { check: parsed, pending, error: checkError, hasText, lines } = useUrlCheck()
  const [fileMessage, setFileMessage] = useState<FileMessage>(null)
  const [dragging, setDragging] = useState(false)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<string | null>(null)
  const [demoBusy, setDemoBusy] = useState(false)

  const errorCount = Object.keys(validation.errors).length + validation.general.length
  const urlCount = parsed?.urls ?? 0
  const blocker = !connected
    ? 'Waiting for the connection to the Crawlboard host…'
    : !s.loaded
      ? 'Loading your settings…'
      : runLive
        ? 'A run is in progress: stop it on the Dashboard before starting another.'
        : errorCount > 0
          ? `Fix ${errorCount} ${errorCount === 1 ? 'setting' : 'settings'} to start.`
          : !hasText
            ? s.values.mode === 'spider'
              ? 'Add a seed URL to start from, or use the demo site.'
              : 'Add URLs to crawl: paste them, import a file, or use the demo URLs.'
            : pending || parsed === null
              ? 'Checking the URL list…'
              : urlCount === 0
                ? 'None of the lines is a URL that can be fetched.'
                : null
  const canStart = blocker === null && !starting && validation.config !== null

  const start = async (request: StartRunRequest): Promise<void> => {
    setStarting(true)
    setStartError(null)
    try {
      await onStart(request)
    } catch (error) {
      setStartError(`The run did not start: ${message(error)}`)
    } finally {
      setStarting(false)
    }
  }

  const loadDemoUrls = async (): Promise<string | null> => {
    setDemoBusy(true)
    setStartError(null)
    try {
      const demo = await api.startDemoTarget()
      // Spider mode starts from the demo's synthetic site (robots.txt, sitemap, nofollow links, a trap).
      const spider = useSettingsStore.getState().values.mode === 'spider'
      const urlsText = spider ? `${demo.origin}/site/` : demo.urlsText
      urlDraftActions.setText(urlsText)
      settingsActions.applyPreset('workshop-demo')
      setFileMessage({
        kind: 'ok',
        text: spider
          ? `Loaded the demo site's start page (served by ${demo.origin}).`
          : `Loaded the workshop demo URLs (served by ${demo.origin}).`
      })
      return urlsText
    } catch (error) {
      setFileMessage({ kind: 'error', text: `The demo target did not start: ${message(error)}` })
      return null
    } finally {
      setDemoBusy(false)
    }
  }

  const runDemo = async (): Promise<void> => {
    settingsActions.markDemoOffered()
    const urlsText = await loadDemoUrls()
    if (urlsText === null) return
    const config = validateForm(useSettingsStore.getState().values).config
    if (!config) {
      setStartError('Fix the highlighted settings, then press Start.')
      return
    }
    await start({ urlsText, config, name: 'Workshop demo' })
  }

  const importFile = async (file: File): Promise<void> => {
    setFileMessage({ kind: 'ok', text: `Reading "${file.name}"…` })
    try {
      const outcome = await readUrlFile(file)
      if (!outcome.ok) {
        setFileMessage({ kind: 'error', text: outcome.message })
        return
      }
      urlDraftActions.setText(outcome.text)
      const lines = outcome.text === '' ? 0 : useUrlDraftStore.getState().doc.lines
      setFileMessage({ kind: 'ok', text: `Loaded "${file.name}" (${formatCount(lines)} lines).` })
    } catch (error) {
      setFileMessage({ kind: 'error', text: `"${file.name}" could not be read: ${message(error)}` })
    }
  }

  const hasFiles = (e: DragEvent): boolean => e.dataTransfer.types.includes('Files')

  return (
    <div
      className={`setup${dragging ? ' setup--dragging' : ''}`}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        setDragging(true)
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={(e) => {
        // Leaving for a child element is not leaving the view.
        if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return
        setDragging(false)
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        setDragging(false)
        const files = e.dataTransfer.files
        const file = files[0]
        if (!file) return
        if (files.length > 1) setFileMessage({ kind: 'error', text: 'Drop one file at a time.' })
        else void importFile(file)
      }}
    >
      {s.loaded && !s.demoOffered ? (
        <WelcomeCard
          busy={demoBusy || starting}
          onRunDemo={() => {
            void runDemo()
          }}
          onDismiss={() => {
            settingsActions.markDemoOffered()
          }}
        />
      ) : null}
      {s.loadError !== null ? (
        <div className="notice notice--warn" role="status">
          <div className="notice__body">
            Your saved settings could not be loaded ({s.loadError}); using the defaults.
          </div>
        </div>
      ) : null}
      <div className="setup__columns">
        <UrlPanel
          hasText={hasText}
          lines={lines}
          parsed={parsed}
          pending={pending}
          checkError={checkError}
          fileMessage={fileMessage}
          demoBusy={demoBusy}
          mode={s.values.mode === 'spider' ? 'spider' : 'list'}
          onMode={(mode) => {
            settingsActions.setValue('mode', mode)
          }}
          onClear={() => {
            urlDraftActions.setText('')
          }}
          onFile={(file) => {
            void importFile(file)
          }}
          onLoadDemoUrls={() => {
            void loadDemoUrls()
          }}
        />
        <SettingsForm errors={validation.errors} general={validation.general} />
      </div>
      <div className="start-bar panel">
        <div className="start-bar__name">
          <label htmlFor="run-name" className="field__label">
            Run name
          </label>
          <input
            id="run-name"
            className="input"
            type="text"
            maxLength={200}
            placeholder="Optional, e.g. Product pages"
            value={s.runName}
            onChange={(e) => {
              settingsActions.setRunName(e.currentTarget.value)
            }}
          />
        </div>
        <div className="start-bar__status" aria-live="polite">
          {startError !== null ? (
            <span className="start-bar__error" role="alert">
              {startError}
            </span>
          ) : blocker !== null ? (
            <span className="muted">{blocker}</span>
          ) : (
            <span>
              Ready: <strong>{formatCount(urlCount)}</strong>{' '}
              {s.values.mode === 'spider'
                ? urlCount === 1
                  ? 'seed URL'
                  : 'seed URLs'
                : urlCount === 1
                  ? 'URL'
                  : 'URLs'}
              {parsed && parsed.invalidCount > 0
                ? `, ${formatCount(parsed.invalidCount)} invalid skipped`
                : ''}
              .
            </span>
          )}
          {s.saveError !== null ? <span className="start-bar__save-error">{s.saveError}</span> : null}
          {draftSaveError !== null ? <span className="start-bar__save-error">{draftSaveError}</span> : null}
        </div>
        <button
          type="button"
          className="btn btn--primary btn--large"
          disabled={!canStart}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          onClick={() => {
            if (validation.config === null) return
            const name = s.runName.trim()
            const urlsText = draftText()
            void start(
              name === ''
                ? { urlsText, config: validation.config }
                : { urlsText, config: validation.config, name }
            )
          }}
        >
          {starting ? 'Starting…' : 'Start run'}
          <kbd className="btn__kbd">{startShortcut}</kbd>
        </button>
      </div>
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop a .txt or .csv file to load its URLs</p>
        </div>
      ) : null}
    </div>
  )
}
