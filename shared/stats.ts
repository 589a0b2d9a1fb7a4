import type { ErrorCode } from './errors.ts'
import { ERROR_CODES } from './errors.ts'
import type { RunState } from './events.ts'
import { LogHistogram } from './histogram.ts'
import type { HistogramData } from './histogram.ts'
import { hasLatency, type RequestResult, type TimingPhases } from './result.ts'
import type { LatencyFigures, RunSummary } from './summary.ts'

/**
 * The running-summary aggregator. The engine feeds it every final result and reports summary() in
 * progress events; the renderer keeps its own copy fed from the same events, so both sides compute
 * the same figures with the same code. Every update is O(1) and, once warm, allocation-free (new
 * byStatus/byError keys and the histogram's rare widening aside), so it keeps up with thousands of
 * results a second.
 *
 * Retries: `noteRetryScheduled()` counts a retry the moment it is scheduled (the engine's
 * attempt-failed event), so the dashboard shows retries live; `recordResult()` counts
 * `attempts.length − 1` for each finished request. The summary reports the larger of the two totals.
 * When every scheduled retry is noted, the noted total is never below the finished total (a finished
 * request's retries were all noted earlier), so nothing is counted twice; a consumer that never calls
 * noteRetryScheduled() (an export from stored results) still gets the exact finished total. One
 * consequence: a retry scheduled but cancelled before it ran still counts, as "scheduled".
 *
 * Time: elapsedMs is wall time since the start. Throughput, ETA and speedup use *active* time,
 * which leaves out the spans between notePaused() and noteResumed(), so a paused hour does not make
 * the run look slow. A restored run should notePaused(at save) / noteResumed(at resume) for the gap.
 */

/** The subset of a result the summary needs (a full RequestResult fits). */
export type StatsResult = Pick<RequestResult, 'ok' | 'status' | 'error' | 'bytes' | 'finishedAt'> & {
  readonly timings: Pick<TimingPhases, 'total'>
  readonly attempts: readonly unknown[]
  /** Epoch ms of the first attempt's start: with finishedAt, how long the URL took, retries included. */
  readonly startedAt?: number
}

export interface LiveCounts {
  readonly state: RunState
  readonly inFlight: number
  readonly queued: number
  readonly waitingRetry: number
  /** Epoch ms. */
  readonly now: number
  readonly finishedAt?: number | null
}

/** Window of the recent rate, and the per-second ring that serves it. */
export const RECENT_WINDOW_MS = 5_000
const SLOT_MS = 1_000
/** One more slot than the window holds, so the slot being filled never evicts one still in the window. */
const RING_SLOTS = RECENT_WINDOW_MS / SLOT_MS + 2
/** Completed pauses remembered for the recent window (more only happens with frantic clicking). */
const MAX_RECENT_PAUSES = 8
/** Time constant of the ETA's weighted completion rate (active ms). */
export const ETA_TAU_MS = 10_000

export interface RunStatsData {
  readonly version: 1
  readonly runId: string
  readonly total: number
  readonly startedAt: number
  readonly ok: number
  readonly failed: number
  readonly notedRetries: number
  readonly finishedRetries: number
  readonly byStatus: Readonly<Record<string, number>>
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
  readonly bytes: number
  readonly sumLatencyMs: number
  readonly pausedMs: number
  readonly pausedSince: number | null
  /** Completed pauses that may overlap the recent window, flat [start, end, start, end, …]. */
  readonly recentPauses: readonly number[]
  readonly latency: HistogramData
  /** Recent-rate ring: second number (since startedAt) and completions in it, per slot. */
  readonly recent: { readonly seconds: readonly (number | null)[]; readonly counts: readonly number[] }
  /** The ETA's weighted rate: weighted completions, weighted active ms, at active ms (absent before). */
  readonly eta?: { readonly weight: number; readonly span: number; readonly at: number }
  /** How long URLs took from first attempt to result (absent before). */
  readonly durations?: HistogramData
  /** Epoch ms when the queue was first seen empty with work in flight (absent before). */
  readonly drainedAt?: number | null
}

export class RunStats {
  readonly runId: string
  readonly startedAt: number
  readonly latency = new LogHistogram()
  private total: number
  private ok = 0
  private failed = 0
  private notedRetries = 0
  private finishedRetries = 0
  private byStatus: Record<string, number> = {}
  private byError: Partial<Record<ErrorCode, number>> = {}
  private bytes = 0
  private sumLatencyMs = 0
  private pausedMs = 0
  private pausedSince: number | null = null
  private recentPauses: number[] = []
  /** Per-second completion counts; slotSecond NaN marks an unused slot. */
  private readonly slotSecond = new Float64Array(RING_SLOTS).fill(NaN)
  private readonly slotCount = new Float64Array(RING_SLOTS)
  /** Σ e^(−age/τ) over completions, and ∫ e^(−age/τ) over active time, both as of active ms etaAt. */
  private etaWeight = 0
  private etaSpan = 0
  private etaAt = 0
  /** Whole-URL durations (first attempt start → result), for the tail of the ETA. */
  private readonly durations = new LogHistogram()
  private drainedAt: number | null = null

  constructor(opts: { runId: string; total: number; startedAt: number }) {
    this.runId = opts.runId
    this.total = opts.total
    this.startedAt = opts.startedAt
  }

  get done(): number {
    return this.ok + this.failed
  }

  /** URLs in the run (a resumed run's whole list, not just what is left). */
  get totalUrls(): number {
    return this.total
  }

  get retries(): number {
    return Math.max(this.notedRetries, this.finishedRetries)
  }

  recordResult(r: StatsResult): void {
    if (r.ok) this.ok++
    else this.failed++
    const status = r.status === null ? 'none' : String(r.status)
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1
    if (r.error) this.byError[r.error.code] = (this.byError[r.error.code] ?? 0) + 1
    this.finishedRetries += Math.max(0, r.attempts.length - 1)
    if (hasLatency(r)) {
      this.latency.record(r.timings.total)
      if (Number.isFinite(r.timings.total) && r.timings.total > 0) this.sumLatencyMs += r.timings.total
    }
    this.bytes += r.bytes
    this.noteCompletion(r.finishedAt)
    if (r.startedAt !== undefined && Number.isFinite(r.startedAt) && Number.isFinite(r.finishedAt))
      this.durations.record(Math.max(0, r.finishedAt - r.startedAt))
    if (Number.isFinite(r.finishedAt)) {
      const at = this.activeElapsedMs(r.finishedAt)
      if (at >= this.etaAt) {
        this.advanceEta(at)
        this.etaWeight += 1
      } else {
        // Stamped before the latest completion (results of one batch in any order): weigh it by its age.
        this.etaWeight += Math.exp(-(this.etaAt - at) / ETA_TAU_MS)
      }
    }
  }

  /** Completions per active second, exponentially weighted (τ = ETA_TAU_MS), as of `now`. */
  weightedPerSecond(now: number): number {
    const at = this.activeElapsedMs(now)
    const dt = Math.max(0, at - this.etaAt)
    const decay = Math.exp(-dt / ETA_TAU_MS)
    const weight = this.etaWeight * decay
    const span = this.etaSpan * decay + ETA_TAU_MS * (1 - decay)
    return span > 0 ? (weight * 1000) / span : 0
  }

  /**
   * Time left: what is still queued ÷ the weighted completion rate, plus the tail: once the queue is
   * empty the run lasts as long as its slowest requests still going (a header stall retried twice
   * at 4 s a try is 13 s), estimated by the 99.9th percentile of how long URLs have taken, retries
   * and backoff included, and counted down from when the queue ran dry. Remaining ÷ rate alone
   * said "0.7 s left" at 98% of a run whose last requests needed seconds more.
   *
   * When nothing finished in the recent window (the last requests are stuck on slow hosts) with
   * work still queued, any average would promise an end that is not coming, so the ETA is unknown
   * (null) rather than wrong. 0 when nothing remains; null before the first result or when the run
   * ended (cancelled) with work left.
   */
  private eta(live: LiveCounts, end: number, remaining: number, recent: number): number | null {
    if (remaining === 0) return 0
    if (live.state === 'completed' || live.state === 'cancelled' || this.done === 0) return null
    const tail = this.durations.quantile(0.999) ?? 0
    if (this.drainedAt !== null)
      return Math.round(Math.max(0, tail - this.activeBetween(this.drainedAt, end)))
    const weighted = this.weightedPerSecond(end)
    if (!(recent > 0 && weighted > 0)) return null
    const queued = Math.max(0, Math.min(remaining, live.queued))
    return Math.round((queued * 1000) / weighted + tail)
  }

  /** Active ms between two times (paused time left out). */
  private activeBetween(from: number, to: number): number {
    return Math.max(0, this.activeElapsedMs(to) - this.activeElapsedMs(from))
  }

  /** Moves the weighted rate's clock to active ms `at`, decaying both sums. */
  private advanceEta(at: number): void {
    const dt = at - this.etaAt
    if (!(dt > 0)) return
    const decay = Math.exp(-dt / ETA_TAU_MS)
    this.etaWeight *= decay
    this.etaSpan = this.etaSpan * decay + ETA_TAU_MS * (1 - decay)
    this.etaAt = at
  }

  /** A retry was scheduled (attempt-failed with a retry to follow): counts it now, not at finish. */
  noteRetryScheduled(): void {
    this.notedRetries++
  }

  setTotal(total: number): void {
    this.total = total
  }

  /** Starts a paused span; repeated calls while paused are ignored. */
  notePaused(now: number): void {
    if (this.pausedSince === null) this.pausedSince = now
  }

  /** Ends a paused span; ignored when not paused. */
  noteResumed(now: number): void {
    if (this.pausedSince === null) return
    this.pausedMs += Math.max(0, now - this.pausedSince)
    // Keep pauses that can still overlap a recent window, so the recent rate leaves them out too.
    const keep: number[] = []
    for (let k = 0; k < this.recentPauses.length; k += 2) {
      const end = this.recentPauses[k + 1] ?? 0
      if (end > now - RECENT_WINDOW_MS) keep.push(this.recentPauses[k] ?? 0, end)
    }
    keep.push(this.pausedSince, now)
    this.recentPauses = keep.slice(-2 * MAX_RECENT_PAUSES)
    this.pausedSince = null
  }

  /** Wall time since the start minus paused time, up to `end`. */
  activeElapsedMs(end: number): number {
    const open = this.pausedSince === null ? 0 : Math.max(0, end - this.pausedSince)
    return Math.max(0, end - this.startedAt - this.pausedMs - open)
  }

  /**
   * Completions per second over the last RECENT_WINDOW_MS before `now`: the whole seconds that start
   * inside the window plus the one being filled, divided by the active time they cover (paused spans
   * and time before the start left out).
   */
  recentPerSecond(now: number): number {
    const nowSec = Math.floor((now - this.startedAt) / SLOT_MS)
    const firstSec = Math.ceil((now - this.startedAt - RECENT_WINDOW_MS) / SLOT_MS)
    let count = 0
    for (let k = 0; k < RING_SLOTS; k++) {
      const s = this.slotSecond[k] ?? NaN
      if (s >= firstSec && s <= nowSec) count += this.slotCount[k] ?? 0
    }
    const from = this.startedAt + Math.max(0, firstSec) * SLOT_MS
    let covered = now - from
    if (this.pausedSince !== null) covered -= overlap(this.pausedSince, now, from, now)
    for (let k = 0; k < this.recentPauses.length; k += 2) {
      covered -= overlap(this.recentPauses[k] ?? 0, this.recentPauses[k + 1] ?? 0, from, now)
    }
    return covered > 0 ? (count * 1000) / covered : 0
  }

  summary(live: LiveCounts): RunSummary {
    const finishedAt = live.finishedAt ?? null
    const end = finishedAt ?? live.now
    const elapsedMs = Math.max(0, end - this.startedAt)
    const activeMs = this.activeElapsedMs(end)
    const done = this.done
    const remaining = Math.max(0, this.total - done)
    const throughputPerSecond = activeMs > 0 ? (done * 1000) / activeMs : 0
    const recentPerSecond = this.recentPerSecond(end)
    // The queue ran dry with requests still going: from here on only their own time is left.
    if (live.queued > 0 || remaining === 0) this.drainedAt = null
    else if (this.drainedAt === null && live.state === 'running') this.drainedAt = end
    return {
      runId: this.runId,
      state: live.state,
      total: this.total,
      done,
      ok: this.ok,
      failed: this.failed,
      retries: this.retries,
      inFlight: live.inFlight,
      queued: live.queued,
      waitingRetry: live.waitingRetry,
      byStatus: { ...this.byStatus },
      byError: { ...this.byError },
      latency: latencyFigures(this.latency),
      bytes: this.bytes,
      startedAt: this.startedAt,
      finishedAt,
      elapsedMs,
      throughputPerSecond,
      recentPerSecond,
      etaMs: this.eta(live, end, remaining, recentPerSecond),
      speedup: activeMs >= 1 && done > 0 ? this.sumLatencyMs / activeMs : null
    }
  }

  toJSON(): RunStatsData {
    return {
      version: 1,
      runId: this.runId,
      total: this.total,
      startedAt: this.startedAt,
      ok: this.ok,
      failed: this.failed,
      notedRetries: this.notedRetries,
      finishedRetries: this.finishedRetries,
      byStatus: { ...this.byStatus },
      byError: { ...this.byError },
      bytes: this.bytes,
      sumLatencyMs: this.sumLatencyMs,
      pausedMs: this.pausedMs,
      pausedSince: this.pausedSince,
      recentPauses: [...this.recentPauses],
      latency: this.latency.toJSON(),
      recent: {
        seconds: Array.from(this.slotSecond, (s) => (Number.isNaN(s) ? null : s)),
        counts: Array.from(this.slotCount)
      },
      eta: { weight: this.etaWeight, span: this.etaSpan, at: this.etaAt },
      durations: this.durations.toJSON(),
      drainedAt: this.drainedAt
    }
  }

  static fromJSON(data: RunStatsData): RunStats {
    // Typed as 1, but stored data may come from a later build.
    const version: unknown = data.version
    if (version !== 1) throw new Error(`Unsupported run stats version: ${String(version)}`)
    const s = new RunStats({ runId: data.runId, total: data.total, startedAt: data.startedAt })
    s.ok = data.ok
    s.failed = data.failed
    s.notedRetries = data.notedRetries
    s.finishedRetries = data.finishedRetries
    s.byStatus = { ...data.byStatus }
    s.byError = {}
    for (const code of ERROR_CODES) {
      const n = data.byError[code]
      if (n !== undefined) s.byError[code] = n
    }
    s.bytes = data.bytes
    s.sumLatencyMs = data.sumLatencyMs
    s.pausedMs = data.pausedMs
    s.pausedSince = data.pausedSince
    s.recentPauses = [...data.recentPauses]
    s.latency.merge(LogHistogram.fromJSON(data.latency))
    for (let k = 0; k < RING_SLOTS; k++) {
      s.slotSecond[k] = data.recent.seconds[k] ?? NaN
      s.slotCount[k] = data.recent.counts[k] ?? 0
    }
    if (data.durations) s.durations.merge(LogHistogram.fromJSON(data.durations))
    s.drainedAt = data.drainedAt ?? null
    if (data.eta) {
      s.etaWeight = data.eta.weight
      s.etaSpan = data.eta.span
      s.etaAt = data.eta.at
    }
    return s
  }

  private noteCompletion(at: number): void {
    if (!Number.isFinite(at)) return
    const sec = Math.floor((at - this.startedAt) / SLOT_MS)
    const k = ((sec % RING_SLOTS) + RING_SLOTS) % RING_SLOTS
    const cur = this.slotSecond[k] ?? NaN
    if (cur === sec) {
      this.slotCount[k] = (this.slotCount[k] ?? 0) + 1
    } else if (Number.isNaN(cur) || sec > cur) {
      // The slot held an older second (now outside any window): reuse it.
      this.slotSecond[k] = sec
      this.slotCount[k] = 1
    }
    // else: a result stamped older than the ring's reach; too old to affect the recent rate.
  }
}

/** Length of [a0, a1] ∩ [b0, b1]. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0))
}

/** Summary latency figures from a histogram; all null (count 0) when empty. */
export function latencyFigures(h: LogHistogram): LatencyFigures {
  const [p50, p90, p95, p99] = h.quantiles([0.5, 0.9, 0.95, 0.99])
  return {
    count: h.count,
    min: h.min,
    mean: h.mean,
    p50: p50 ?? null,
    p90: p90 ?? null,
    p95: p95 ?? null,
    p99: p99 ?? null,
    max: h.max
  }
}
