import type {
  HostRow,
  InFlightSample,
  ResultRow,
  RunSnapshot,
  SettingsMark,
  SpiderRecord
} from '../../../shared/api.ts'
import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import { assertNever, type EngineEvent } from '../../../shared/events.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import { CompactRing } from './compact-results.ts'
import { SpiderAggregates, type HostLive, type SpiderExtras } from './spider-aggregates.ts'

/**
 * What a live run's dashboard is made of, besides the counts (RunStats, which the engine feeds):
 * time buckets, the most recent results, settings marks, requests in flight and the spider
 * aggregates. Updated synchronously from each engine event before the event is batched, so a
 * snapshot holds exactly the events up to the last batch's seq. Latency is not here: the engine's
 * RunStats aggregates it, once.
 */

/** Recent results kept for the scatter of individual requests. */
export const RECENT_RESULTS = 2_000
/** Settings marks kept per run (a person clicking a slider for an hour makes thousands). */
const MAX_MARKS = 1_000

export interface RestoredAggregates {
  readonly series: TimeBuckets
  readonly marks: readonly SettingsMark[]
  /** The most recent results, oldest first. */
  readonly recent: readonly ResultRow[]
  readonly spider: SpiderRecord | null
}

export class RunAggregates {
  readonly buckets: TimeBuckets
  readonly spider: SpiderAggregates
  private readonly recent = new CompactRing(RECENT_RESULTS)
  private readonly markList: SettingsMark[]
  private inFlight = 0

  constructor(opts: {
    config: RunConfig
    createdAt: number
    restored?: RestoredAggregates | undefined
    /** A resumed spider run's aggregates, recounted from its stored results. */
    spider?: SpiderAggregates | undefined
  }) {
    const restored = opts.restored
    this.buckets = restored?.series ?? new TimeBuckets({ startedAt: opts.createdAt })
    this.markList = restored ? [...restored.marks] : []
    for (const row of restored?.recent ?? []) this.recent.pushRow(row)
    this.spider =
      opts.spider ??
      new SpiderAggregates(opts.config.mode === 'spider', opts.config.respectRobots, restored?.spider ?? null)
  }

  get marks(): readonly SettingsMark[] {
    return this.markList
  }

  /** Counts the event in; `limit` is the concurrency in effect after it. */
  ingest(event: EngineEvent, limit: number): void {
    switch (event.kind) {
      case 'request-started':
        this.inFlight++
        this.buckets.noteInFlight(event.at, this.inFlight, limit)
        break
      case 'attempt-failed':
        this.inFlight = Math.max(0, this.inFlight - 1)
        this.buckets.noteInFlight(event.at, this.inFlight, limit)
        break
      case 'request-finished': {
        const r = event.result
        // A URL robots.txt refused finishes without ever starting (no attempt): nothing was in flight.
        if (r.attempts.length > 0) this.inFlight = Math.max(0, this.inFlight - 1)
        this.buckets.record(r)
        this.buckets.noteInFlight(event.at, this.inFlight, limit)
        this.recent.push(r)
        break
      }
      case 'settings-changed':
        this.markList.push({ at: event.at, changed: event.changed })
        if (this.markList.length > MAX_MARKS) this.markList.splice(0, this.markList.length - MAX_MARKS)
        this.buckets.noteInFlight(event.at, this.inFlight, limit)
        break
      case 'run-started':
        this.buckets.noteInFlight(event.at, 0, limit)
        break
      case 'run-finished':
        this.inFlight = 0
        this.buckets.noteInFlight(event.at, 0, limit)
        break
      case 'run-state-changed':
      case 'url-discovered':
      case 'run-progress':
      case 'host-decision':
      case 'trap-detected':
      case 'sitemap-problem':
      case 'robots-status':
      case 'safeguard-tripped':
        break
      default:
        assertNever(event, 'engine event')
    }
    this.spider.ingest(event)
  }

  inFlightSample(settings: LiveSettings): InFlightSample {
    return { at: Date.now(), inFlight: this.inFlight, limit: settings.concurrency }
  }

  /** The snapshot's charts and logs (`queued`: the engine's queue now). */
  snapshotParts(queued: number): Pick<RunSnapshot, 'series' | 'recent' | 'marks'> & SpiderExtras {
    return {
      series: this.buckets.toJSON(),
      recent: this.recent.toCompact(),
      marks: [...this.markList],
      ...this.spider.snapshotExtras(queued)
    }
  }

  /** The hosts view: results per host with the engine's limits and pauses now. */
  hostRows(live: readonly HostLive[], userLimit: number): HostRow[] {
    return this.spider.hostRows(live, userLimit)
  }
}
