import { ApiError, type EventBatch, type RunInfo } from '../../../shared/api.ts'
import { openMemoryRunStore, type RunDatabase, type RunStore } from '../store/index.ts'
import {
  createRun,
  createStreamedRun,
  resumeRun,
  type NewRunRequest,
  type StreamedRunRequest
} from './lifecycle.ts'
import { LiveRun, type RunOutcome } from './live-run.ts'
import { holdClaim, newClaim, releaseClaim } from './owner.ts'
import type { RunHandle } from './run-handle.ts'
import { StoredRun } from './stored-run.ts'
import { infoOfStored, storedRunInfo, storedStatus } from './stored-runs.ts'
import type { IngestReport } from './url-ingest.ts'

/**
 * Every run this process can answer for, behind one RunHandle each: the runs an engine here drives
 * (LiveRun) and the ones a store holds (StoredRun). Runs are recorded in the run database, or —
 * while it cannot be used — in an in-memory store, so every run pages, filters and exports the
 * same way. The app's backend, the browser host and the headless runner all go through this.
 */

export interface RunRegistryOptions {
  /** The run database (null store while it cannot be used: runs are then kept in memory). */
  readonly database: Pick<RunDatabase, 'store'>
  /** The app pauses a run when the failure safeguard trips; the runner interrupts it. */
  readonly onSafeguard: 'pause' | 'interrupt'
  readonly batchIntervalMs?: number | undefined
  readonly log: (message: string, error?: unknown) => void
}

/**
 * Finished live runs kept besides the active one (their dashboards' aggregates; their results are
 * in the store, and an older run reopens from there).
 */
export const FINISHED_RUNS_KEPT = 20

export class RunRegistry {
  readonly #options: RunRegistryOptions
  readonly #live = new Map<string, LiveRun>()
  readonly #listeners = new Set<(batch: EventBatch) => void>()
  readonly #failingListeners = new WeakSet<(batch: EventBatch) => void>()
  /** Runs kept in memory while the run database is unavailable (opened on first need). */
  #memory: RunStore | null = null

  constructor(options: RunRegistryOptions) {
    this.#options = options
  }

  /** Where a new run is recorded: the run database, or the memory store while it is unavailable. */
  get recordingStore(): RunStore {
    return this.#options.database.store ?? (this.#memory ??= openMemoryRunStore())
  }

  /** The stores that hold runs: the database (when open) and the memory store (when used). */
  #stores(): RunStore[] {
    const stores: RunStore[] = []
    if (this.#options.database.store) stores.push(this.#options.database.store)
    if (this.#memory) stores.push(this.#memory)
    return stores
  }

  /** The store holding the run (null: none does). */
  storeOf(runId: string): RunStore | null {
    const live = this.#live.get(runId)
    if (live) return live.store
    return this.#stores().find((store) => store.hasRun(runId)) ?? null
  }

  get(runId: string): RunHandle {
    const live = this.#live.get(runId)
    if (live) return live
    const store = this.storeOf(runId)
    if (store === null) throw this.#notFound(runId)
    return new StoredRun(store, runId, {
      resume: (id) => {
        this.resume(id)
      },
      stop: (id) => {
        this.#stopStored(store, id)
      }
    })
  }

  /** The run an engine here drives, if it does. */
  live(runId: string): LiveRun | null {
    return this.#live.get(runId) ?? null
  }

  /** The run going here (running or paused), if any. */
  active(): LiveRun | null {
    for (const run of this.#live.values()) if (run.active) return run
    return null
  }

  /** This session's newest run, else the store's newest; null when there is none. */
  newest(): RunHandle | null {
    let newest: LiveRun | null = null
    for (const run of this.#live.values()) newest = run
    if (newest) return newest
    for (const store of this.#stores()) {
      const latest = store.listRuns()[0]
      if (latest) return this.get(latest.runId)
    }
    return null
  }

  /** Every run, newest first. */
  list(): RunInfo[] {
    const listed = new Map<string, RunInfo>()
    for (const store of this.#stores()) {
      for (const entry of store.listRuns()) listed.set(entry.runId, storedRunInfo(store, entry))
    }
    for (const run of this.#live.values()) listed.set(run.runId, run.info())
    return [...listed.values()].sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Records a new run and starts it. */
  start(request: NewRunRequest): LiveRun {
    this.#forgetOldRuns()
    return this.#launch(createRun(this.recordingStore, request, this.#drive()))
  }

  /**
   * Records a list run over its input's first batch and starts it; `ingested` settles once the
   * rest of the input is stored (it goes in while the run fetches).
   */
  startStreamed(request: StreamedRunRequest): { run: LiveRun; ingested: Promise<IngestReport> } {
    this.#forgetOldRuns()
    const { run, ingested } = createStreamedRun(this.recordingStore, request, this.#drive())
    this.#launch(run)
    return { run, ingested: ingested() }
  }

  /** Continues a run: a paused one here goes on; one nothing drives is claimed and resumed. */
  resume(runId: string): LiveRun {
    const live = this.#live.get(runId)
    if (live?.active) {
      live.resume()
      return live
    }
    const store = this.storeOf(runId)
    if (store === null) throw this.#notFound(runId)
    const run = resumeRun(store, runId, this.#drive())
    this.#live.delete(runId)
    return this.#launch(run)
  }

  rename(runId: string, name: string): RunInfo {
    const live = this.#live.get(runId)
    const store = this.storeOf(runId)
    if (!store?.renameRun(runId, name) && !live) throw this.#notFound(runId)
    if (live) live.name = name
    return this.get(runId).info()
  }

  setNote(runId: string, note: string): RunInfo {
    const live = this.#live.get(runId)
    const store = this.storeOf(runId)
    if (!store?.setNote(runId, note) && !live) throw this.#notFound(runId)
    if (live) live.note = note
    return this.get(runId).info()
  }

  delete(runId: string): void {
    const live = this.#live.get(runId)
    if (live?.active) {
      throw new ApiError('CONFLICT', `Run ${runId} is still going: stop it before deleting it.`)
    }
    const store = this.storeOf(runId)
    if (store === null) throw this.#notFound(runId)
    const status = live ? live.status() : storedStatus(this.#record(store, runId))
    if (status.kind === 'elsewhere') {
      throw new ApiError('CONFLICT', `Run ${runId} is being fetched by another Crawlboard process right now.`)
    }
    this.#live.delete(runId)
    store.deleteRun(runId)
  }

  /** Writes what live runs have pending (an export or a comparison then sees every result). */
  flush(runIds: readonly string[]): void {
    for (const id of runIds) this.#live.get(id)?.results.flushNow()
  }

  subscribe(listener: (batch: EventBatch) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /**
   * Stops driving every live run without ending it (the app quits, a signal came): each is left
   * interrupted (`reason`) or, when paused, suspended, with every result written. Then the memory
   * store closes; the database is its owner's to close.
   */
  async close(reason: string): Promise<RunOutcome[]> {
    const outcomes = await Promise.all(
      [...this.#live.values()].filter((r) => r.active).map((r) => r.interrupt(reason))
    )
    this.#memory?.close()
    this.#memory = null
    this.#listeners.clear()
    return outcomes
  }

  #drive() {
    return {
      onBatch: (batch: EventBatch) => {
        this.#broadcast(batch)
      },
      onSafeguard: this.#options.onSafeguard,
      batchIntervalMs: this.#options.batchIntervalMs,
      log: this.#options.log
    }
  }

  #launch(run: LiveRun): LiveRun {
    // Registered before it starts, so the first batch names a run the API already knows.
    this.#live.set(run.runId, run)
    run.start()
    return run
  }

  /** Marks a stored run nothing drives as stopped (it keeps every result): claimed first, so it cannot race a resume. */
  #stopStored(store: RunStore, runId: string): void {
    const run = this.#record(store, runId)
    const status = storedStatus(run)
    if (status.kind === 'completed' || status.kind === 'cancelled') {
      throw new ApiError(
        'CONFLICT',
        `Cannot stop run ${runId}: it has already ${status.kind === 'completed' ? 'completed' : 'been stopped'}.`
      )
    }
    if (status.kind === 'elsewhere') {
      throw new ApiError('CONFLICT', `Run ${runId} is being fetched by another Crawlboard process right now.`)
    }
    const claim = newClaim()
    if (!store.claimRun(runId, claim, run.owner)) {
      throw new ApiError('CONFLICT', `Run ${runId} was resumed by another Crawlboard process just now.`)
    }
    holdClaim(claim)
    const info = infoOfStored(store, run)
    const finishedAt = Date.now()
    try {
      store.releaseRun(runId, claim.token, {
        state: 'cancelled',
        paused: false,
        interruption: null,
        finishedAt,
        summary: { ...info.summary, state: 'cancelled', finishedAt }
      })
    } finally {
      releaseClaim(claim)
    }
  }

  #record(store: RunStore, runId: string) {
    const run = store.getRun(runId)
    if (run === null) throw this.#notFound(runId)
    return run
  }

  #notFound(runId: string): ApiError {
    return new ApiError(
      'NOT_FOUND',
      this.#options.database.store
        ? `No run ${runId}: it is not in the run database (it may have been deleted).`
        : `No run ${runId}: the run database is unavailable, so only this session's runs are known.`
    )
  }

  #broadcast(batch: EventBatch): void {
    for (const listener of this.#listeners) {
      try {
        listener(batch)
      } catch (error) {
        // One broken subscriber must not starve the others or stall the engine; report it once.
        if (!this.#failingListeners.has(listener)) {
          this.#failingListeners.add(listener)
          this.#options.log('crawlboard: an event batch subscriber threw:', error)
        }
      }
    }
  }

  #forgetOldRuns(): void {
    const finished = [...this.#live.values()].filter((r) => !r.active)
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_RUNS_KEPT))) {
      this.#live.delete(old.runId)
    }
  }
}
