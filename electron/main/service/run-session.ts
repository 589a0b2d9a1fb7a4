import {
  ApiError,
  type EventBatch,
  type InFlightSample,
  type RunInfo,
  type RunSnapshot,
  type SettingsMark
} from '../../../shared/api.ts'
import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import { assertNever, type EngineEvent, type RunState } from '../../../shared/events.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import { CrawlEngine } from '../engine/engine.ts'
import { CompactRing } from './compact-results.ts'
import { EventBatcher } from './event-batcher.ts'
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

export interface RunSessionOptions {
  readonly runId: string
  readonly name: string
  readonly config: RunConfig
  readonly urls: readonly string[]
  readonly onBatch: (batch: EventBatch) => void
  readonly store?: ResultStore
  readonly batchIntervalMs?: number
  readonly log?: (message: string, error?: unknown) => void
}

export class RunSession {
  readonly runId: string
  readonly name: string
  readonly config: RunConfig
  readonly createdAt = Date.now()
  readonly total: number
  readonly store: ResultStore
  /** Until start(): the engine keeps its own jobs, so the list is not held twice for the run's life. */
  private urls: readonly string[] | null
  private readonly log: (message: string, error?: unknown) => void
  private readonly engine: CrawlEngine
  private readonly batcher: EventBatcher
  private readonly buckets: TimeBuckets
  private readonly histogram = new LogHistogram()
  private readonly recent = new CompactRing(RECENT_RESULTS)
  private readonly marks: SettingsMark[] = []
  /** The state as the events so far tell it (the engine's own may run ahead during a cancel). */
  private eventState: RunState = 'idle'
  private liveSettings: LiveSettings
  private inFlight = 0
  private finalSummary: RunSummary | null = null

  constructor(options: RunSessionOptions) {
    this.runId = options.runId
    this.urls = options.urls
    this.name = options.name
    this.config = options.config
    this.total = options.urls.length
    this.store = options.store ?? new MemoryResultStore()
    this.engine = new CrawlEngine({ config: options.config, runId: options.runId })
    this.liveSettings = this.engine.settings
    this.buckets = new TimeBuckets({ startedAt: this.createdAt })
    this.batcher = new EventBatcher({
      runId: options.runId,
      settings: this.liveSettings,
      intervalMs: options.batchIntervalMs,
      summary: () => this.summary(),
      inFlight: () => this.inFlightSample(),
      onBatch: options.onBatch
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
    if (!this.urls) throw new Error(`run ${this.runId} was already started`)
    const tasks = this.urls.map((url, id) => ({ id, url }))
    this.urls = null
    const finished = this.engine.start(tasks)
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
      state: this.eventState,
      createdAt: this.createdAt,
      total: this.total,
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
      seq: this.batcher.lastFlushedSeq,
      state: this.eventState,
      config: this.config,
      settings: this.liveSettings,
      summary: this.summary(),
      series: this.buckets.toJSON(),
      histogram: this.histogram.toJSON(),
      recent: this.recent.toCompact(),
      marks: [...this.marks],
      inFlight: this.inFlightSample()
    }
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

  /** Cancels the run if it still goes and sends its last batch. */
  async close(): Promise<void> {
    if (this.engine.state !== 'completed' && this.engine.state !== 'cancelled') await this.engine.cancel()
    this.batcher.close()
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
        this.inFlight = Math.max(0, this.inFlight - 1)
        this.store.add(r)
        this.buckets.record(r)
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        this.histogram.record(r.timings.total)
        this.recent.push(r)
        break
      }
      case 'settings-changed':
        this.liveSettings = event.settings
        this.marks.push({ at: event.at, changed: event.changed })
        if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length - MAX_MARKS)
        this.buckets.noteInFlight(event.at, this.inFlight, this.liveSettings.concurrency)
        break
      case 'run-started':
        this.eventState = 'running'
        this.buckets.noteInFlight(event.at, 0, this.liveSettings.concurrency)
        break
      case 'run-state-changed':
        this.eventState = event.state
        break
      case 'run-finished':
        this.eventState = event.state
        this.finalSummary = event.summary
        this.inFlight = 0
        this.buckets.noteInFlight(event.at, 0, this.liveSettings.concurrency)
        break
      case 'run-progress':
        break
      default:
        assertNever(event, 'engine event')
    }
    this.batcher.push(event)
  }
}
