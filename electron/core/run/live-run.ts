// Over 400 lines: one run's whole life (start, controls, events, saves, its end) in one place.
import {
  ApiError,
  type EventBatch,
  type FailureGroup,
  type HostRow,
  type PathStep,
  type RunInfo,
  type RunSnapshot,
  type SpiderRecord
} from '../../../shared/api.ts'
import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import type { EngineEvent, RunState } from '../../../shared/events.ts'
import { drivenStatus, SUSPENDED, type RunStatus } from '../../../shared/run-status.ts'
import { RunStats } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { CrawlEngine, type UrlTask, type WindowedListFrontier } from '../engine/engine.ts'
import type { RunOwner, RunPatch, RunStore } from '../store/index.ts'
import { EventBatcher } from './event-batcher.ts'
import { failureGroups } from './failure-groups.ts'
import { RunAggregates, type RestoredAggregates } from './run-aggregates.ts'
import type { RunHandle } from './run-handle.ts'
import { RunRecord } from './run-record.ts'
import { pathOf, type SpiderAggregates } from './spider-aggregates.ts'
import type { ResultSink, ResultStore } from './result-store.ts'
import { StoredResultStore } from './stored-result-store.ts'

/**
 * A run an engine in this process drives, from its start (or resume) to its end. It owns the
 * engine, the event batcher, the dashboard's aggregates and the run's record in the store:
 * results go to the store's batched writer as they finish; the record (counts, charts, settings)
 * is saved about once a second and at every state change, each save guarded by this process's
 * claim (owner.ts), which the same timer keeps alive while the run is paused. It ends one of
 * three ways (shared/run-status.ts): every URL done (completed), stopped (cancelled), or
 * interrupted — a signal, the app quitting, the runner's safeguard — after which it is resumable:
 * what was in flight has no result, so a resume fetches it again, and nothing else twice.
 */

export { SAVE_INTERVAL_MS } from './run-record.ts'

/** What a resumed run continues from: its counts, charts and marks as last saved. */
export interface RestoredRun extends RestoredAggregates {
  readonly createdAt: number
  /** When the record was last saved: the run stopped going then. */
  readonly savedAt: number
  readonly stats: RunStats
  /** Live settings in effect when it was saved (null: the config's). */
  readonly settings: LiveSettings | null
  readonly note: string
}

/** A resumed spider run's frontier: URLs already fetched, the next free id, recounted aggregates. */
export interface SpiderResume {
  readonly known: Iterable<string>
  readonly nextId: number
  readonly aggregates: SpiderAggregates
}

export interface LiveRunOptions {
  readonly runId: string
  readonly name: string
  readonly config: RunConfig
  /** What to fetch: a spider's seeds, a resumed spider's URLs without a result. */
  readonly tasks: readonly UrlTask[]
  /** A list run's URLs, read from the store a window at a time (then `tasks` is empty). */
  readonly list?: WindowedListFrontier | undefined
  /** URLs in the whole run. */
  readonly total: number
  /** Where the run is recorded (its record exists and `claim` holds it). */
  readonly store: RunStore
  readonly claim: RunOwner
  readonly restored?: RestoredRun | undefined
  /** Where results go (default: the run store's batched writer); `onError` reports a failed write. */
  readonly results?: ((onError: (error: Error) => void) => ResultStore & ResultSink) | undefined
  readonly spiderResume?: SpiderResume | undefined
  /**
   * What the failure safeguard does when it trips: the app pauses the run (someone is there to look
   * and resume); the headless runner interrupts it, resumable, with the reason.
   */
  readonly onSafeguard: 'pause' | 'interrupt'
  readonly onBatch: (batch: EventBatch) => void
  readonly batchIntervalMs?: number | undefined
  readonly log: (message: string, error?: unknown) => void
}

/**
 * What stopped a run that did not end by itself: a signal, the front end shutting down (the app
 * quits), the runner's failure safeguard, or another process taking the run over.
 */
export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'shutdown' | 'safeguard' | 'taken-over'

/** How a live run ended. */
export interface RunOutcome {
  readonly status: RunStatus
  readonly summary: RunSummary
  /** Why it was interrupted or suspended; null when it completed or was stopped. */
  readonly cause: InterruptCause | null
  /** False when its last save failed (the store said why in the log): its results may be partial. */
  readonly saved: boolean
}

type Ending =
  | { readonly kind: 'interrupt'; readonly reason: string; readonly cause: InterruptCause }
  | { readonly kind: 'suspend'; readonly cause: InterruptCause }
  | null

export class LiveRun implements RunHandle {
  readonly runId: string
  name: string
  note: string
  readonly config: RunConfig
  readonly createdAt: number
  /**
   * Where its results go and the tables read them: the result sink seam. Today the run's store
   * behind a batched writer; a shared store (many runners, one database) would sit here.
   */
  readonly results: ResultStore & ResultSink
  /** Settles once the run has ended and its record is saved. */
  readonly finished: Promise<RunOutcome>
  #tasks: readonly UrlTask[] | null
  #spiderResume: SpiderResume | null
  readonly #store: RunStore
  readonly #record: RunRecord
  readonly #engine: CrawlEngine
  readonly #stats: RunStats
  readonly #restored: boolean
  readonly #restoredAt: number
  readonly #aggregates: RunAggregates
  readonly #batcher: EventBatcher
  readonly #listeners = new Set<(event: EngineEvent) => void>()
  readonly #onSafeguard: LiveRunOptions['onSafeguard']
  readonly #log: LiveRunOptions['log']
  #settings: LiveSettings
  /** The state as the events so far tell it (the engine's own may run ahead during a cancel). */
  #eventState: RunState = 'idle'
  #ending: Ending = null
  #final: { status: RunStatus; summary: RunSummary } | null = null
  #settle: (outcome: RunOutcome) => void = () => undefined

  constructor(options: LiveRunOptions) {
    const restored = options.restored
    this.#onSafeguard = options.onSafeguard
    this.#log = options.log
    this.runId = options.runId
    this.name = options.name
    this.note = restored?.note ?? ''
    this.config = options.config
    this.createdAt = restored?.createdAt ?? Date.now()
    this.#tasks = options.tasks
    this.#spiderResume = options.spiderResume ?? null
    this.#store = options.store
    this.#record = new RunRecord({
      store: options.store,
      runId: options.runId,
      claim: options.claim,
      log: options.log,
      onLost: () => {
        void this.interrupt('another process took it over', 'taken-over')
      }
    })
    this.#restored = restored !== undefined
    this.#restoredAt = restored?.savedAt ?? 0
    this.#stats =
      restored?.stats ?? new RunStats({ runId: this.runId, total: options.total, startedAt: this.createdAt })
    this.#engine = new CrawlEngine({
      config: options.config,
      runId: options.runId,
      ...(options.list ? { frontier: options.list.factory } : {})
    })
    if (restored?.settings) this.#engine.updateSettings(restored.settings)
    this.#settings = this.#engine.settings
    this.#aggregates = new RunAggregates({
      config: options.config,
      createdAt: this.createdAt,
      restored,
      spider: options.spiderResume?.aggregates
    })
    const unsaved = (error: Error): void => {
      this.#log(`crawlboard: results of run ${this.runId} could not be saved yet (kept, retried):`, error)
    }
    this.results =
      options.results?.(unsaved) ??
      new StoredResultStore({
        store: this.#store,
        runId: this.runId,
        stored: this.#store.countResults(this.runId),
        writer: this.#store.resultWriter(this.runId, { onError: unsaved }),
        onError: unsaved
      })
    this.#batcher = new EventBatcher({
      runId: options.runId,
      settings: this.#settings,
      intervalMs: options.batchIntervalMs,
      summary: () => this.summary(),
      status: () => this.status(),
      inFlight: () => this.#aggregates.inFlightSample(this.#settings),
      spider: () => {
        const queued = this.#queuedNow()
        this.#aggregates.spider.noteQueued(Date.now(), queued)
        return this.#aggregates.spider.spiderState(queued)
      },
      onBatch: (batch) => {
        options.onBatch(batch)
        this.#saveProgress()
      }
    })
    this.finished = new Promise((resolve) => {
      this.#settle = resolve
    })
    this.#engine.onEvent((event) => {
      this.#ingest(event)
    })
  }

  /** Starts fetching; the first batch (run-started) is sent before this returns. */
  start(): void {
    const tasks = this.#tasks
    if (tasks === null) throw new Error(`run ${this.runId} was already started`)
    this.#tasks = null
    if (this.#restored) {
      // The time the run was not going (app closed, machine off) is not active time.
      this.#stats.notePaused(this.#restoredAt)
      this.#stats.noteResumed(Date.now())
    }
    const resume = this.#spiderResume
    this.#spiderResume = null
    this.#record.startHeartbeat()
    this.#engine
      .start(tasks, { stats: this.#stats, ...(resume ? { known: resume.known, nextId: resume.nextId } : {}) })
      .catch((error: unknown) => {
        this.#log(`crawlboard: run ${this.runId} failed unexpectedly:`, error)
      })
  }

  get settings(): LiveSettings {
    return this.#settings
  }

  /** Where the run is recorded. */
  get store(): RunStore {
    return this.#store
  }

  /** Running or paused here (not yet ending): holds the one active-run slot of an app. */
  get active(): boolean {
    const s = this.#engine.state
    return this.#final === null && (s === 'idle' || s === 'running' || s === 'paused')
  }

  status(): RunStatus {
    if (this.#final) return this.#final.status
    const ending = this.#ending
    if (ending?.kind === 'interrupt') return { kind: 'interrupted', reason: ending.reason }
    if (ending?.kind === 'suspend') return SUSPENDED
    return drivenStatus(this.#eventState)
  }

  summary(): RunSummary {
    if (this.#final) return this.#final.summary
    const live = this.#engine.summary()
    return live.state === this.#eventState ? live : { ...live, state: this.#eventState }
  }

  info(): RunInfo {
    const summary = this.summary()
    return {
      runId: this.runId,
      name: this.name,
      note: this.note,
      status: this.status(),
      createdAt: this.createdAt,
      total: summary.total,
      summary
    }
  }

  /**
   * The run's full aggregate state. It flushes the pending batch first, so `seq` is the toSeq of the
   * last batch subscribers were sent and the aggregates hold exactly the events up to it: a client
   * that subscribed before asking, then drops batches with toSeq ≤ seq, neither misses a result nor
   * counts one twice. (All of this runs synchronously, so no event can slip in between.)
   */
  snapshot(): RunSnapshot {
    this.#batcher.flush()
    return {
      runId: this.runId,
      name: this.name,
      note: this.note,
      seq: this.#batcher.lastFlushedSeq,
      status: this.status(),
      config: this.config,
      settings: this.#settings,
      summary: this.summary(),
      histogram: this.#stats.latency.toJSON(),
      inFlight: this.#aggregates.inFlightSample(this.#settings),
      ...this.#aggregates.snapshotParts(this.#queuedNow())
    }
  }

  hosts(): HostRow[] {
    return this.#aggregates.hostRows(this.#engine.hostStates(), this.#settings.perHostConcurrency)
  }

  failureGroups(): FailureGroup[] {
    const context = { settings: this.#settings, config: this.config, done: this.results.size }
    return failureGroups(this.results.failureTallies(), context)
  }

  path(id: number): PathStep[] {
    return pathOf(id, (n) => this.results.get(n))
  }

  /** What the closing report of a spider run lists (frontier, robots.txt, traps, decisions, …). */
  spiderRecord(): SpiderRecord {
    return this.#aggregates.spider.toRecord(this.#queuedNow())
  }

  /** Every engine event, after the run has counted it (the runner prints from these). */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  pause(): void {
    this.#assertGoing('pause')
    this.#engine.pause()
  }

  resume(): void {
    this.#assertGoing('resume')
    this.#engine.resume()
  }

  /** Ends the run on purpose (cancelled): in-flight requests are aborted; it keeps every result. */
  async stop(): Promise<void> {
    this.#assertGoing('stop')
    await this.#engine.cancel()
    await this.finished
  }

  updateSettings(patch: LiveSettingsPatch): LiveSettings {
    this.#assertGoing('change the settings of')
    const base = patch.backoffBaseMs ?? this.#engine.settings.backoffBaseMs
    const max = patch.backoffMaxMs ?? this.#engine.settings.backoffMaxMs
    if (max < base) {
      throw new ApiError(
        'BAD_REQUEST',
        `backoffMaxMs: must be at least backoffBaseMs (backoff cap ${max} ms < base ${base} ms)`
      )
    }
    return this.#engine.updateSettings(patch)
  }

  /**
   * Stops driving the run without ending it: in-flight requests are aborted (they have no result,
   * so a resume fetches them again), every result so far is written, and the record says why —
   * a running run is then interrupted (`reason`), a paused one suspended. Settles when saved.
   */
  async interrupt(reason: string, cause: InterruptCause = 'shutdown'): Promise<RunOutcome> {
    if (this.#tasks !== null) throw new Error(`run ${this.runId} was interrupted before it started`)
    if (this.#final === null && this.#ending === null) {
      this.#ending =
        this.#eventState === 'paused' ? { kind: 'suspend', cause } : { kind: 'interrupt', reason, cause }
      await this.#engine.cancel()
    }
    return this.finished
  }

  #assertGoing(action: string): void {
    if (this.#final !== null || this.#ending !== null) {
      const status = this.status()
      const how =
        status.kind === 'completed'
          ? 'completed'
          : status.kind === 'cancelled'
            ? 'been stopped'
            : 'been interrupted'
      throw new ApiError('CONFLICT', `Cannot ${action} run ${this.runId}: it has already ${how}.`)
    }
  }

  /** URLs waiting in the engine's queues (none once the run has ended). */
  #queuedNow(): number {
    return this.#final ? 0 : this.#engine.queuedNow()
  }

  /** Saves the counts about once a second while batches flow. */
  #saveProgress(): void {
    if (this.#record.due) this.#save({})
  }

  /** The record as it is now, with `patch` (whatever else is saved, counts go with it). */
  #recordPatch(patch: RunPatch): RunPatch {
    const summary = this.summary()
    return {
      ...patch,
      summary,
      total: summary.total,
      stats: this.#stats.toJSON(),
      series: this.#aggregates.buckets.toJSON(),
      spider: this.#aggregates.spider.toRecord(this.#queuedNow())
    }
  }

  #save(patch: RunPatch): void {
    this.#record.save(this.#recordPatch(patch), () => {
      this.results.flushNow()
    })
  }

  #ingest(event: EngineEvent): void {
    if (event.kind === 'request-finished') this.results.add(event.result)
    else if (event.kind === 'settings-changed') this.#settings = event.settings
    else if (event.kind === 'url-discovered' && event.urls.length > 0) this.#record.addUrls(event.urls)
    else if (event.kind === 'run-started') this.#eventState = 'running'
    else if (event.kind === 'run-state-changed') this.#eventState = event.state
    else if (event.kind === 'run-finished') {
      this.#eventState = event.state
      // Before the last batch goes out, so it carries the final status and summary.
      this.#settleStatus(event.summary)
    }
    this.#aggregates.ingest(event, this.#settings.concurrency)
    this.#persist(event)
    this.#batcher.push(event)
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        this.#log('crawlboard: a run event listener threw:', error)
      }
    }
    if (event.kind === 'run-finished') this.#finish()
  }

  /** What an event changes in the record: state changes and settings are saved at once. */
  #persist(event: EngineEvent): void {
    if (event.kind === 'settings-changed') {
      this.#save({ settings: this.#settings, marks: this.#aggregates.marks })
    } else if (event.kind === 'run-started') {
      this.#save({
        state: 'running',
        paused: false,
        finishedAt: null,
        interruption: null,
        settings: this.#settings,
        ...(this.#restored ? {} : { startedAt: event.at })
      })
    } else if (event.kind === 'run-state-changed') {
      // A pause is saved at once: it must survive an app restart.
      this.#save({ state: event.state, paused: event.state === 'paused' })
    } else if (event.kind === 'safeguard-tripped') {
      this.#save({})
      if (this.#onSafeguard === 'interrupt') {
        // Nobody is there to resume a paused runner: it stops, resumable, saying why.
        void this.interrupt(`the failure safeguard stopped it: ${event.reason}`, 'safeguard')
      }
    }
  }

  /** The run's last status and summary, once the engine has stopped. */
  #settleStatus(engineSummary: RunSummary): void {
    const ending = this.#ending
    // An interrupted run was going (state running), a suspended one paused: both resume.
    const state: RunState =
      ending === null ? engineSummary.state : ending.kind === 'suspend' ? 'paused' : 'running'
    const summary = { ...engineSummary, state, ...(ending === null ? {} : { finishedAt: null }) }
    this.#final = { status: ending === null ? drivenStatus(state) : this.status(), summary }
  }

  /** The engine has stopped: write the last results, save the record and let go of the run. */
  #finish(): void {
    const final = this.#final
    if (final === null) throw new Error(`run ${this.runId} finished without a final status`)
    const { status, summary } = final
    const ending = this.#ending
    let saved = this.#record.writable
    try {
      this.results.close()
    } catch (error) {
      saved = false
      this.#log(`crawlboard: the last results of run ${this.runId} could not be saved:`, error)
    }
    const patch = this.#recordPatch({
      state: summary.state,
      paused: summary.state === 'paused',
      finishedAt: ending === null ? (summary.finishedAt ?? Date.now()) : null,
      interruption: ending?.kind === 'interrupt' ? ending.reason : null
    })
    if (!this.#record.release(patch)) saved = false
    this.#batcher.close()
    this.#settle({ status, summary, saved, cause: ending?.cause ?? null })
  }
}
