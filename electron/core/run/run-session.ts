import {
  ApiError,
  type EventBatch,
  type HostRow,
  type InFlightSample,
  type ResultRow,
  type RunInfo,
  type RunSnapshot,
  type SettingsMark,
  type SpiderRecord
} from '../../../shared/api.ts'
import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import { assertNever, type DiscoveredUrl, type EngineEvent, type RunState } from '../../../shared/events.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { hasLatency } from '../../../shared/result.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import type { RunStats } from '../../../shared/stats.ts'
import { CrawlEngine, type UrlTask } from '../engine/engine.ts'
import type { RunPatch } from '../store/index.ts'
import { CompactRing } from './compact-results.ts'
import { EventBatcher } from './event-batcher.ts'
import { SpiderAggregates } from './spider-aggregates.ts'
import { MemoryResultStore, type ResultStore } from './result-store.ts'

/**
 * One run as the backend keeps it: the engine, its event batcher, the aggregates a snapshot is made
 * of (time buckets, latency histogram, the most recent results, settings marks) and its result store.
 * Every aggregate is updated synchronously as each engine event arrives, before the event goes to
 * the batcher; that is what lets snapshot() promise exactly "everything up to seq".
 */

export const RECENT_RESULTS = 2_000
/** Settings marks kept per run (a person clicking a slider for an hour makes thousands). */
const MAX_MARKS = 1_000

/** How often a live run saves its counts, series and settings to the run database. */
export const SAVE_INTERVAL_MS = 1_000

/** Where a session records its run (the run database), besides its results. */
export interface RunPersistence {
  /** Saves these fields of the run's record, after writing pending results (so counts match rows). */
  save(patch: RunPatch): void
  /** Writes what is pending and stops. */
  close(): void
  /** Spider mode: URLs the frontier accepted, recorded so a resumed run continues its frontier. */
  addUrls?(urls: readonly DiscoveredUrl[]): void
}

/** What a resumed run continues from: its counts, charts and marks as last saved. */
export interface RestoredRun {
  readonly createdAt: number
  /** When the record was last saved: the run stopped going then. */
  readonly savedAt: number
  readonly stats: RunStats
  readonly series: TimeBuckets
  readonly marks: readonly SettingsMark[]
  /** The most recent results, oldest first (the scatter). */
  readonly recent: readonly ResultRow[]
  /** Live settings in effect when it was saved (null: the config's). */
  readonly settings: LiveSettings | null
  readonly note: string
  /** Its decision log, traps, robots.txt statuses and frontier series (null: none saved). */
  readonly spider: SpiderRecord | null
}

export interface RunSessionOptions {
  readonly runId: string
  readonly name: string
  readonly config: RunConfig
  /** What to fetch: a new run's whole list, a resumed run's URLs without a result. */
  readonly tasks: readonly UrlTask[]
  readonly onBatch: (batch: EventBatch) => void
  readonly store?: ResultStore
  readonly persistence?: RunPersistence
  /** Present when resuming a stored run. */
  readonly restored?: RestoredRun
  /** URLs in the whole run (default: tasks.length). */
  readonly total?: number
  /**
   * A resumed spider run: the URLs it already fetched (deduped against), the next free id, and its
   * spider aggregates rebuilt from the store (default: from `restored.spider` alone).
   */
  readonly spiderResume?: {
    readonly known: Iterable<string>
    readonly nextId: number
    readonly aggregates?: SpiderAggregates
  }
  readonly batchIntervalMs?: number
  readonly log?: (message: string, error?: unknown) => void
}

export class RunSession {
  readonly runId: string
  name: string
  note: string
  readonly config: RunConfig
  readonly createdAt: number
  readonly total: number
  readonly store: ResultStore
  /** Until start(): the engine keeps its own jobs, so the list is not held twice for the run's life. */
  private tasks: readonly UrlTask[] | null
  private spiderResume: RunSessionOptions['spiderResume'] | null
  private readonly log: (message: string, error?: unknown) => void
  private readonly engine: CrawlEngine
  private readonly batcher: EventBatcher
  private readonly buckets: TimeBuckets
  private readonly histogram: LogHistogram
  private readonly recent = new CompactRing(RECENT_RESULTS)
  private readonly marks: SettingsMark[]
  private readonly spider: SpiderAggregates
  private readonly persistence: RunPersistence | null
  private readonly restoredStats: RunStats | null
  private readonly restoredAt: number
  private lastSaveAt = 0
  private persistenceClosed = false
  /** Set by suspend(): the engine stops, but the record keeps the state it had (resumable). */
  private suspending = false
  /** The state as the events so far tell it (the engine's own may run ahead during a cancel). */
  private eventState: RunState = 'idle'
  private liveSettings: LiveSettings
  private inFlight = 0
  private finalSummary: RunSummary | null = null

  constructor(options: RunSessionOptions) {
    const restored = options.restored
    this.runId = options.runId
    this.tasks = options.tasks
    this.spiderResume = options.spiderResume ?? null
    this.name = options.name
    this.note = restored?.note ?? ''
    this.config = options.config
    this.createdAt = restored?.createdAt ?? Date.now()
    this.total = options.total ?? options.tasks.length
    this.store = options.store ?? new MemoryResultStore()
    this.persistence = options.persistence ?? null
    this.engine = new CrawlEngine({ config: options.config, runId: options.runId })
    if (restored?.settings) this.engine.updateSettings(restored.settings)
    this.liveSettings = this.engine.settings
    this.restoredStats = restored?.stats ?? null
    this.restoredAt = restored?.savedAt ?? 0
    this.buckets = restored?.series ?? new TimeBuckets({ startedAt: this.createdAt })
    this.histogram = restored ? LogHistogram.fromJSON(restored.stats.latency.toJSON()) : new LogHistogram()
    this.marks = restored ? [...restored.marks] : []
    for (const row of restored?.recent ?? []) this.recent.pushRow(row)
    this.spider =
      options.spiderResume?.aggregates ??
      new SpiderAggregates(
        options.config.mode === 'spider',
        options.config.respectRobots,
        restored?.spider ?? null
      )
    this.batcher = new EventBatcher({
      runId: options.runId,
      settings: this.liveSettings,
      intervalMs: options.batchIntervalMs,
      summary: () => this.summary(),
      inFlight: () => this.inFlightSample(),
      spider: () => {
        const queued = this.queuedNow()
        this.spider.noteQueued(Date.now(), queued)
        return this.spider.spiderState(queued)
      },
      onBatch: (batch) => {
        options.onBatch(batch)
        this.saveProgress()
      }
    })
    this.engine.onEvent((event) => {
      this.ingest(event)
    })
    this.log =
      options.log ??
      ((message: string, error?: unknown) => {
        console.error(message, error)
      })
  }

  /**
   * Starts the engine; settles with the final summary when the run completes or is cancelled. The
   * first batch (run-started) is sent before this returns.
   */
  start(): Promise<RunSummary> {
    if (!this.tasks) throw new Error(`run ${this.runId} was already started`)
    const tasks = this.tasks
    this.tasks = null
    const stats = this.restoredStats ?? undefined
    if (stats) {
      // The time the run was not going (app closed, machine off) is not active time.
      stats.notePaused(this.restoredAt)
      stats.noteResumed(Date.now())
    }
    const resume = this.spiderResume
    this.spiderResume = null
    const finished = this.engine.start(tasks, {
      ...(stats ? { stats } : {}),
      ...(resume ? { known: resume.known, nextId: resume.nextId } : {})
    })
    finished.catch((error: unknown) => {
      this.log(`crawlboard: run ${this.runId} failed unexpectedly:`, error)
    })
    return finished
  }

  /** Live settings in effect now. */
  get settings(): LiveSettings {
    return this.liveSettings
  }

  get state(): RunState {
    return this.eventState
  }

  /** Running or paused: holds the one active-run slot. */
  get active(): boolean {
    const s = this.engine.state
    return s === 'running' || s === 'paused'
  }

  summary(): RunSummary {
    if (this.finalSummary) return this.finalSummary
    const live = this.engine.summary()
    return live.state === this.eventState ? live : { ...live, state: this.eventState }
  }

  info(): RunInfo {
    return {
      runId: this.runId,
      name: this.name,
      note: this.note,
      state: this.eventState,
      interrupted: false,
      elsewhere: false,
      createdAt: this.createdAt,
      // A spider run's total grows as it finds pages.
      total: this.config.mode === 'spider' ? this.summary().total : this.total,
      summary: this.summary()
    }
  }

  /**
   * The run's full aggregate state. It flushes the pending batch first, so `seq` is the toSeq of the
   * last batch subscribers were sent and the aggregates hold exactly the events up to it: a client
   * that subscribed before asking, then drops batches with toSeq ≤ seq, neither misses a result nor
   * counts one twice. (All of this runs synchronously, so no event can slip in between.)
   */
  snapshot(): RunSnapshot {
    this.batcher.flush()
    return {
      runId: this.runId,
      name: this.name,
      note: this.note,
      interrupted: false,
      elsewhere: false,
      seq: this.batcher.lastFlushedSeq,
      state: this.eventState,
      config: this.config,
      settings: this.liveSettings,
      summary: this.summary(),
      series: this.buckets.toJSON(),
      histogram: this.histogram.toJSON(),
      recent: this.recent.toCompact(),
      marks: [...this.marks],
      inFlight: this.inFlightSample(),
      ...this.spider.snapshotExtras(this.queuedNow())
    }
  }

  /** URLs waiting in the engine's queues (none once the run has ended). */
  private queuedNow(): number {
    return this.finalSummary ? 0 : this.engine.queuedNow()
  }

  /** The hosts view: results per host with the engine's current limits and pauses. */
  hosts(): HostRow[] {
    return this.spider.hostRows(this.engine.hostStates(), this.liveSettings.perHostConcurrency)
  }

  pause(): void {
    this.assertNotFinished('pause')
    this.engine.pause()
  }

  resume(): void {
    this.assertNotFinished('resume')
    this.engine.resume()
  }

  async stop(): Promise<void> {
    this.assertNotFinished('stop')
    await this.engine.cancel()
  }

  updateSettings(patch: LiveSettingsPatch): LiveSettings {
    this.assertNotFinished('change the settings of')
    const base = patch.backoffBaseMs ?? this.engine.settings.backoffBaseMs
    const max = patch.backoffMaxMs ?? this.engine.settings.backoffMaxMs
    if (max < base) {
      throw new ApiError(
        'BAD_REQUEST',
        `backoffMaxMs: must be at least backoffBaseMs (backoff cap ${max} ms < base ${base} ms)`
      )
    }
    return this.engine.updateSettings(patch)
  }

  /** Cancels the run if it still goes, sends its last batch and saves its record. */
  async close(): Promise<void> {
    if (this.engine.state !== 'completed' && this.engine.state !== 'cancelled') await this.engine.cancel()
    this.batcher.close()
    this.closePersistence()
  }

  /**
   * Stops driving the run without ending it (the app is quitting): in-flight requests are aborted
   * (they have no result yet, so a resume fetches them again), and the record keeps the state the
   * run had — running shows as interrupted next time, paused stays paused — with every result so
   * far saved.
   */
  async suspend(): Promise<void> {
    if (this.active) {
      this.suspending = true
      this.save({ state: this.eventState, paused: this.eventState === 'paused' })
    }
    await this.close()
  }

  private assertNotFinished(action: string): void {
    const s = this.engine.state
    if (s === 'completed' || s === 'cancelled') {
      throw new ApiError(
        'CONFLICT',
        `Cannot ${action} run ${this.runId}: it has already ${s === 'completed' ? 'completed' : 'been stopped'}.`
      )
    }
  }

  /** Saves the counts, charts and settings about once a second while the run goes. */
  private saveProgress(): void {
    if (!this.persistence || this.suspending) return
    const now = Date.now()
    if (now - this.lastSaveAt < SAVE_INTERVAL_MS) return
    this.save({})
  }

  /** Saves the patch with the current aggregates (whatever else is saved, counts go with it). */
  private save(patch: RunPatch): void {
    if (!this.persistence || this.persistenceClosed) return
    this.lastSaveAt = Date.now()
    const stats = this.engine.statsData()
    try {
      this.persistence.save({
        ...patch,
        summary: this.summary(),
        ...(this.config.mode === 'spider' ? { total: this.summary().total } : {}),
        ...(stats ? { stats } : {}),
        series: this.buckets.toJSON(),
        spider: this.spider.toRecord(this.queuedNow())
      })
    } catch (error) {
      this.log(`crawlboard: run ${this.runId} could not be saved (kept in memory, retried):`, error)
    }
  }

  private recordUrls(urls: readonly DiscoveredUrl[]): void {
    if (!this.persistence?.addUrls || this.persistenceClosed) return
    try {
      this.persistence.addUrls(urls)
    } catch (error) {
      this.log(
        `crawlboard: URLs found by run ${this.runId} could not be recorded (a resume will miss them):`,
        error
      )
    }
  }

  private closePersistence(): void {
    if (!this.persistence || this.persistenceClosed) return
    this.persistenceClosed = true
    try {
      this.persistence.close()
    } catch (error) {
      this.log(`crawlboard: the last results of run ${this.runId} could not be saved:`, error)
    }
  }

  private inFlightSample(): InFlightSample {
    return { at: Date.now(), inFlight: this.inFlight, limit: this.liveSettings.concurrency }
  }

  private ingest(event: EngineEvent): void {
    switch (event.kind) {
      case 'request-started':
        this.inFlight++
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        break
      case 'attempt-failed':
        this.inFlight = Math.max(0, this.inFlight - 1)
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        break
      case 'request-finished': {
        const r = event.result
        // A URL robots.txt refused finishes without ever starting (no attempt): nothing was in flight.
        if (r.attempts.length > 0) this.inFlight = Math.max(0, this.inFlight - 1)
        this.store.add(r)
        this.buckets.record(r)
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        if (hasLatency(r)) this.histogram.record(r.timings.total)
        this.recent.push(r)
        break
      }
      case 'settings-changed':
        this.liveSettings = event.settings
        this.marks.push({ at: event.at, changed: event.changed })
        if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length - MAX_MARKS)
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        this.save({ settings: this.liveSettings, marks: this.marks })
        break
      case 'run-started':
        this.eventState = 'running'
        this.buckets.noteInFlight(event.at, 0, this.liveSettings.concurrency)
        this.save({
          state: 'running',
          paused: false,
          finishedAt: null,
          total: this.total,
          settings: this.liveSettings,
          ...(this.restoredStats ? {} : { startedAt: event.at })
        })
        break
      case 'run-state-changed':
        this.eventState = event.state
        // A pause is saved at once: it must survive an app restart.
        this.save({ state: event.state, paused: event.state === 'paused' })
        break
      case 'run-finished':
        this.eventState = event.state
        this.finalSummary = event.summary
        this.inFlight = 0
        this.buckets.noteInFlight(event.at, 0, this.liveSettings.concurrency)
        if (!this.suspending) {
          this.save({ state: event.state, paused: false, finishedAt: event.summary.finishedAt ?? event.at })
          // Every result has arrived: write the last ones and release the writer.
          this.closePersistence()
        }
        break
      case 'url-discovered':
        if (event.urls.length > 0) this.recordUrls(event.urls)
        break
      case 'run-progress':
      case 'host-decision':
      case 'trap-detected':
      case 'sitemap-problem':
      case 'robots-status':
        break
      case 'safeguard-tripped':
        this.save({})
        break
      default:
        assertNever(event, 'engine event')
    }
    this.spider.ingest(event)
    this.batcher.push(event)
  }
}
