import type { CrawlerApi, StartRunRequest } from '../../../shared/api.ts'
import { getApi, useConnection } from '../api/transport.ts'
import { Ingest } from '../stores/ingest.ts'
import { startMetricsTicker } from '../stores/metrics-store.ts'
import { isUnfinished } from '../../../shared/run-status.ts'
import { useRunStore } from '../stores/run-store.ts'
import { settingsActions, startPreferencesAutosave } from '../stores/settings-store.ts'
import { startUrlDraftAutosave, urlDraftActions } from '../stores/url-draft-store.ts'
import { loadStoreStatus } from '../stores/store-status-store.ts'
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
  /**
   * Resumes a paused or interrupted run and follows it again from a fresh snapshot: an
   * interrupted run (or one paused before a restart) continues in a new engine session, whose
   * events the old snapshot's seq would misjudge. Throws what the host refused.
   */
  resumeRun(runId: string): Promise<void>
  /**
   * Stops a run and re-reads it: an interrupted or restored one has no engine here to report the
   * change, so it is marked stopped in the store and only a fresh snapshot shows it. Throws what
   * the host refused.
   */
  stopRun(runId: string): Promise<void>
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
  api.getUrlDraft().then(
    (text) => {
      urlDraftActions.hydrate(text)
    },
    (error: unknown) => {
      console.warn('The saved URL list could not be loaded:', error)
      urlDraftActions.loadFailed()
    }
  )
  const draftAutosave = startUrlDraftAutosave(api)
  window.addEventListener('pagehide', draftAutosave.flush)

  // The newest run: after a reload mid-run this continues it; one not finished (going here or
  // elsewhere, or left interrupted or paused by a restart) opens the dashboard.
  void ingest.open().then(() => {
    const { status } = useRunStore.getState()
    if (!useViewStore.getState().restored && status !== null && isUnfinished(status)) navigate('dashboard')
  })

  // Whether runs are recorded: the app says so from every view when they are not.
  void loadStoreStatus(api)

  // After a reconnect, batches may have been missed: start again from a snapshot.
  let epoch = useConnection.getState().epoch
  useConnection.subscribe((c) => {
    if (c.epoch === epoch) return
    const reconnected = epoch > 0
    epoch = c.epoch
    if (reconnected || useRunStore.getState().phase === 'error') void ingest.resync()
    // The host may have restarted with another database.
    if (reconnected) void loadStoreStatus(api)
  })

  /** Re-reads the run if it is the one on screen. */
  const refollow = async (runId: string): Promise<void> => {
    if (useRunStore.getState().runId === runId) await ingest.open(runId)
  }

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
    },
    async resumeRun(runId) {
      await api.resumeRun(runId)
      await refollow(runId)
    },
    async stopRun(runId) {
      await api.stopRun(runId)
      await refollow(runId)
    }
  }
}
