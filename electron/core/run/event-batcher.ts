import type {
  EventBatch,
  InFlightSample,
  RobotsRow,
  SettingsMark,
  SpiderState,
  RunNotice,
  TrapReport
} from '../../../shared/api.ts'
import type { LiveSettings } from '../../../shared/config.ts'
import { assertNever, type EngineEvent, type HostDecision } from '../../../shared/events.ts'
import type { RunStatus } from '../../../shared/run-status.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { emptyCompact, pushCompact } from './compact-results.ts'

/**
 * Coalesces one run's engine events into EventBatch messages: one about every `intervalMs` while
 * events arrive, never one per request (ARCHITECTURE.md, "Batch at every boundary").
 *
 * - Finished results are never dropped: each lands in exactly one batch, in CompactResults form.
 * - Progress is coalesced: a batch carries only the newest summary, read from `summary()` at flush
 *   time so it counts exactly the results up to the batch's toSeq.
 * - Seq ranges are contiguous: batch n+1's fromSeq is batch n's toSeq + 1, because every event
 *   (progress included) is covered by some batch.
 * - run-started, state changes, settings changes and run-finished flush at once, so the UI reacts
 *   without waiting for the timer, and the last batch of a run is the one carrying run-finished.
 */

export interface EventBatcherOptions {
  readonly runId: string
  /** Live settings before any settings-changed event (the run's config). */
  readonly settings: LiveSettings
  readonly intervalMs?: number
  /** The freshest summary, called at flush time. */
  readonly summary: () => RunSummary
  /** The run's status now, called at flush time. */
  readonly status: () => RunStatus
  /** In flight and the limit now, called at flush time. */
  readonly inFlight: () => InFlightSample
  /** Spider aggregates now (null in list mode), called at flush time. */
  readonly spider?: () => SpiderState | null
  readonly onBatch: (batch: EventBatch) => void
}

export const DEFAULT_BATCH_INTERVAL_MS = 100

export class EventBatcher {
  readonly runId: string
  private readonly intervalMs: number
  private readonly options: EventBatcherOptions
  private settings: LiveSettings
  private fromSeq = 0
  private toSeq = 0
  private flushedSeq = 0
  private results = emptyCompact()
  private retries = 0
  private marks: SettingsMark[] = []
  private decisions: HostDecision[] = []
  private traps: TrapReport[] = []
  private notices: RunNotice[] = []
  private robots: RobotsRow[] = []
  private safeguardReason: string | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(options: EventBatcherOptions) {
    this.runId = options.runId
    this.options = options
    this.settings = options.settings
    this.intervalMs = options.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS
  }

  /** toSeq of the last flushed batch (0 before the first): a snapshot taken right after a flush is at this seq. */
  get lastFlushedSeq(): number {
    return this.flushedSeq
  }

  get pending(): boolean {
    return this.fromSeq !== 0
  }

  push(event: EngineEvent): void {
    if (this.closed) return
    if (this.fromSeq === 0) this.fromSeq = event.seq
    this.toSeq = event.seq
    let urgent = false
    switch (event.kind) {
      case 'request-finished':
        pushCompact(this.results, event.result)
        break
      case 'attempt-failed':
        this.retries++
        break
      case 'request-started':
      case 'run-progress':
        break
      case 'settings-changed':
        this.settings = event.settings
        this.marks.push({ at: event.at, changed: event.changed })
        urgent = true
        break
      case 'run-started':
      case 'run-state-changed':
      case 'run-finished':
        urgent = true
        break
      case 'url-discovered':
        break
      case 'host-decision':
        this.decisions.push(event.decision)
        break
      case 'trap-detected':
        this.traps.push({
          at: event.at,
          url: event.url,
          code: event.code,
          message: event.message,
          foundOn: event.foundOn
        })
        break
      case 'sitemap-problem':
        this.notices.push({ at: event.at, source: 'sitemap', message: event.message })
        break
      case 'robots-status':
        this.robots.push({ origin: event.origin, label: event.label, crawlDelayMs: event.crawlDelayMs })
        break
      case 'safeguard-tripped':
        this.safeguardReason = event.reason
        urgent = true
        break
      default:
        assertNever(event, 'engine event')
    }
    if (urgent) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  /** Sends what is pending as one batch (nothing when nothing is); returns it. */
  flush(): EventBatch | null {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.fromSeq === 0) return null
    const batch: EventBatch = {
      runId: this.runId,
      fromSeq: this.fromSeq,
      toSeq: this.toSeq,
      results: this.results,
      retries: this.retries,
      marks: this.marks,
      status: this.options.status(),
      settings: this.settings,
      summary: this.options.summary(),
      inFlight: this.options.inFlight(),
      decisions: this.decisions,
      traps: this.traps,
      notices: this.notices,
      robots: this.robots,
      safeguardReason: this.safeguardReason,
      spider: this.options.spider?.() ?? null
    }
    this.flushedSeq = this.toSeq
    this.fromSeq = 0
    this.results = emptyCompact()
    this.retries = 0
    this.marks = []
    this.decisions = []
    this.traps = []
    this.notices = []
    this.robots = []
    this.safeguardReason = null
    this.options.onBatch(batch)
    return batch
  }

  /** Flushes what is pending and stops; later events are ignored. */
  close(): void {
    this.flush()
    this.closed = true
  }
}
