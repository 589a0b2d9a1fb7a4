import type { CrawlerApi, StartRunRequest } from '../../../shared/api.ts'
import { getApi, useConnection } from '../api/transport.ts'
import { Ingest } from '../stores/ingest.ts'
import { startMetricsTicker } from '../stores/metrics-store.ts'
import { isLive, useRunStore } from '../stores/run-store.ts'
import { settingsActions, startPreferencesAutosave } from '../stores/settings-store.ts'
import { navigate, useViewStore } from './view-store.ts'

/**
 * The app's long-lived parts, created once before React renders (StrictMode runs effects twice;
 * these must not): the transport, the ingest, the metrics ticker and preference autosave.
 */
export interface Services {
  readonly api: CrawlerApi
  readonly ingest: Ingest
  /** Starts a run, follows it and shows the dashboard. Throws what the host refused. */
  startRun(request: StartRunRequest): Promise<void>
  /** Opens a past or current run on the dashboard. */
  openRun(runId: string): Promise<void>
}

export function createServices(): Services {
  const api = getApi()
  const ingest = new Ingest(api)
  startMetricsTicker()

  api.getPreferences().then(
    (prefs) => {
      settingsActions.hydrate(prefs)
    },
    (error: unknown) => {
      settingsActions.loadFailed(error instanceof Error ? error.message : String(error))
    }
  )
  const autosave = startPreferencesAutosave(api)
  window.addEventListener('pagehide', autosave.flush)

  // The newest run: after a reload mid-run this continues it; a live run opens the dashboard.
  void ingest.open().then(() => {
    const { state } = useRunStore.getState()
    if (!useViewStore.getState().restored && isLive(state)) navigate('dashboard')
  })

  // After a reconnect, batches may have been missed: start again from a snapshot.
  let epoch = useConnection.getState().epoch
  useConnection.subscribe((c) => {
    if (c.epoch === epoch) return
    const reconnected = epoch > 0
    epoch = c.epoch
    if (reconnected || useRunStore.getState().phase === 'error') void ingest.resync()
  })

  return {
    api,
    ingest,
    async startRun(request) {
      const response = await api.startRun(request)
      navigate('dashboard')
      await ingest.open(response.runId)
    },
    async openRun(runId) {
      navigate('dashboard')
      await ingest.open(runId)
    }
  }
}
