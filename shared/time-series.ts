import { LogHistogram } from './histogram.ts'
import type { HistogramData } from './histogram.ts'
import { hasLatency, type RequestResult, type TimingPhases } from './result.ts'

/**
 * Time buckets behind the dashboard's over-time charts: for each slice of the run, finished ok and
 * failed counts, a latency histogram (p50/p95/p99 over time), the most requests in flight, and the
 * concurrency limit in effect.
 *
 * Bounded memory: buckets start one second wide. When a run outgrows `maxBuckets` (default 2,048,
 * about 34 minutes of seconds), every bucket doubles in width by merging neighbours in pairs, so a
 * 24-hour run ends at 64 s buckets (1,350 of them). All buckets share one width: a chart never
 * shows more than ~2,000 points, which over a whole long run is coarser than this anyway, and equal
 * widths keep rates and downsampling simple. Doubling is amortised O(1) per record. Per-bucket
 * histograms grow only over the latency range actually seen in that slice (a few KB each).
 *
 * Slots with no samples carry the last observed in-flight count and limit forward: the engine notes
 * in-flight when it changes, so a silent second means it stayed the same.
 *
 * Percentiles over time: per bucket, a second holding one slow request would draw p50 = p99 = its
 * latency, and a large run's lines would saw between extremes. With `window` set, each point's
 * p50/p95/p99 are those of every result finished in the window ending at the point (bucket
 * histograms merged), and a point whose window holds fewer than `minSamples` results has null
 * percentiles (drawn as a gap the legend explains) rather than a figure that means nothing. The
 * window and the minimum are our policy: 10 s and 20 results keep a 1 s chart responsive while a
 * p99 still rests on enough results to differ from the max.
 */

export const DEFAULT_MAX_BUCKETS = 2_048
const BASE_WIDTH_MS = 1_000

/** The dashboard's percentile window: the last 10 s of results, at least 20 of them. */
export const LATENCY_WINDOW_MS = 10_000
export const LATENCY_MIN_SAMPLES = 20

export interface LatencyWindow {
  /** Percentiles cover results finished in this span ending at the point's end (at least the point). */
  readonly ms: number
  /** Fewer results than this in the window: percentiles are null. */
  readonly minSamples: number
}

/** A result as the time series needs it (a full RequestResult fits). */
export type SeriesResult = Pick<RequestResult, 'ok' | 'finishedAt'> & {
  readonly timings: Pick<TimingPhases, 'total'>
  /** A robots.txt refusal has no latency (hasLatency); absent counts as a failure-free request. */
  readonly error?: { readonly code: string } | null
}

export interface SeriesPoint {
  /** Seconds since the run start at the start of this point's span. */
  readonly t: number
  /** Length of the span in seconds (the last point may be partial when `now` is given). */
  readonly spanS: number
  /** Finished ok results per second over the span. */
  readonly ok: number
  /** Finished failed results per second over the span. */
  readonly failed: number
  /**
   * Latency percentiles, ms: of results finished in the span, or with `window` of those finished in
   * the window ending at the span's end; null when none (or fewer than the window's minimum) finished.
   */
  readonly p50: number | null
  readonly p95: number | null
  readonly p99: number | null
  readonly max: number | null
  /** Results behind p50/p95/p99 (in the span, or in the window). */
  readonly latencyCount: number
  /** Most requests in flight during the span (carried forward when nothing was noted). */
  readonly inFlight: number
  /** Highest concurrency limit in effect during the span; null before any was noted. */
  readonly limit: number | null
}

export interface SeriesOptions {
  /** At most this many points; adjacent buckets are merged to fit. */
  readonly maxPoints: number
  /**
   * Epoch ms: extends the series up to now (so a stall shows as zeros) and clips the last span.
   * A `now` beyond capacity coarsens the buckets, exactly as recording at `now` would.
   */
  readonly now?: number
  /** Percentiles over a rolling window with a minimum sample count (see the top of this file). */
  readonly window?: LatencyWindow
}

interface Bucket {
  ok: number
  failed: number
  latency: LogHistogram | null
  /** -1 when nothing was noted in this bucket. */
  maxInFlight: number
  lastInFlight: number
  maxLimit: number
  lastLimit: number
}

export interface BucketData {
  readonly ok: number
  readonly failed: number
  readonly latency: HistogramData | null
  readonly maxInFlight: number
  readonly lastInFlight: number
  readonly maxLimit: number
  readonly lastLimit: number
}

export interface TimeBucketsData {
  readonly version: 1
  readonly startedAt: number
  readonly widthMs: number
  readonly maxBuckets: number
  /** Dense by index; null for a bucket with nothing recorded. */
  readonly buckets: readonly (BucketData | null)[]
}

export class TimeBuckets {
  readonly startedAt: number
  readonly maxBuckets: number
  private width = BASE_WIDTH_MS
  private buckets: (Bucket | undefined)[] = []
  /** Reused for merging spans in series(), so charts redraw without allocating histograms. */
  private readonly scratch = new LogHistogram()
  private readonly windowScratch = new LogHistogram()
  /**
   * Windowed percentiles per bucket index (p50, p95, p99, count: 4 numbers each), valid below
   * `windowValidTo` for `windowKey`. Only buckets at or after a newly recorded one can change, so a
   * live chart recomputes the last few windows per redraw, not the whole run.
   */
  private windowCache: number[] = []
  private windowValidTo = 0
  private windowKey = ''

  constructor(opts: { startedAt: number; maxBuckets?: number }) {
    this.startedAt = opts.startedAt
    this.maxBuckets = Math.max(2, Math.floor(opts.maxBuckets ?? DEFAULT_MAX_BUCKETS))
  }

  /** Current bucket width in ms (1,000 until the run outgrows maxBuckets). */
  get widthMs(): number {
    return this.width
  }

  /** Buckets in use (up to the latest one written). */
  get length(): number {
    return this.buckets.length
  }

  /** Records one finished result in the bucket of its finishedAt. */
  record(r: SeriesResult): void {
    const i = this.bucketIndexAt(r.finishedAt)
    const b = this.bucketAt(r.finishedAt)
    if (!b) return
    if (i < this.windowValidTo) this.windowValidTo = i
    if (r.ok) b.ok++
    else b.failed++
    b.latency ??= new LogHistogram()
    if (hasLatency({ error: r.error ?? null })) b.latency.record(r.timings.total)
  }

  /** Notes requests in flight and the concurrency limit at `now` (call when either changes). */
  noteInFlight(now: number, inFlight: number, limit: number): void {
    const b = this.bucketAt(now)
    if (!b) return
    if (inFlight > b.maxInFlight) b.maxInFlight = inFlight
    if (limit > b.maxLimit) b.maxLimit = limit
    b.lastInFlight = inFlight
    b.lastLimit = limit
  }

  /**
   * Chart points, at most maxPoints: adjacent buckets merged in equal groups (histograms merged,
   * counts summed and divided by the span into per-second rates).
   */
  series(opts: SeriesOptions): SeriesPoint[] {
    const maxPoints = Math.max(1, Math.floor(opts.maxPoints))
    // A `now` beyond capacity coarsens exactly as a record at `now` would, keeping the loop bounded.
    if (opts.now !== undefined) this.bucketIndexAt(opts.now)
    const w = this.width
    const nowIdx = opts.now === undefined ? -1 : Math.floor(Math.max(0, opts.now - this.startedAt) / w)
    const n = Math.max(this.buckets.length, nowIdx + 1)
    if (n <= 0) return []
    const group = Math.ceil(n / maxPoints)
    // Window length in buckets; a group at least that long is its own window.
    const win = opts.window
    const winBuckets = win ? Math.max(1, Math.ceil(win.ms / w)) : 0
    const windowed = win !== undefined && group < winBuckets
    if (windowed) this.fillWindows(n, winBuckets, win.minSamples)
    const out: SeriesPoint[] = []
    let carryInFlight = 0
    let carryLimit: number | null = null
    const h = this.scratch
    for (let g = 0; g * group < n; g++) {
      const from = g * group
      const to = Math.min(n, from + group)
      let ok = 0
      let failed = 0
      let maxInFlight = -1
      let maxLimit = -1
      h.reset()
      for (let i = from; i < to; i++) {
        const b = this.buckets[i]
        if (!b) {
          maxInFlight = Math.max(maxInFlight, carryInFlight)
          if (carryLimit !== null) maxLimit = Math.max(maxLimit, carryLimit)
          continue
        }
        ok += b.ok
        failed += b.failed
        if (b.latency) h.merge(b.latency)
        // The value carried in was in effect from the bucket's start until its first note.
        maxInFlight = Math.max(maxInFlight, carryInFlight)
        if (carryLimit !== null) maxLimit = Math.max(maxLimit, carryLimit)
        if (b.maxInFlight >= 0) {
          maxInFlight = Math.max(maxInFlight, b.maxInFlight)
          maxLimit = Math.max(maxLimit, b.maxLimit)
          carryInFlight = b.lastInFlight
          carryLimit = b.lastLimit
        }
      }
      const startMs = from * w
      let spanMs = (to - from) * w
      if (opts.now !== undefined && to - 1 === nowIdx) {
        spanMs = Math.max(1, Math.min(spanMs, opts.now - this.startedAt - startMs))
      }
      let p50: number | null
      let p95: number | null
      let p99: number | null
      let latencyCount: number
      if (windowed) {
        const k = 4 * (to - 1)
        p50 = nullIfNaN(this.windowCache[k])
        p95 = nullIfNaN(this.windowCache[k + 1])
        p99 = nullIfNaN(this.windowCache[k + 2])
        latencyCount = this.windowCache[k + 3] ?? 0
      } else {
        const few = win !== undefined && h.count < win.minSamples
        const q = few ? [null, null, null] : h.quantiles([0.5, 0.95, 0.99])
        p50 = q[0] ?? null
        p95 = q[1] ?? null
        p99 = q[2] ?? null
        latencyCount = h.count
      }
      out.push({
        t: startMs / 1000,
        spanS: spanMs / 1000,
        ok: (ok * 1000) / spanMs,
        failed: (failed * 1000) / spanMs,
        p50,
        p95,
        p99,
        max: h.max,
        latencyCount,
        inFlight: Math.max(0, maxInFlight),
        limit: maxLimit >= 0 ? maxLimit : null
      })
    }
    return out
  }

  /** Fills the windowed-percentile cache for buckets [windowValidTo, n). */
  private fillWindows(n: number, winBuckets: number, minSamples: number): void {
    const key = `${String(this.width)}:${String(winBuckets)}:${String(minSamples)}`
    if (key !== this.windowKey) {
      this.windowKey = key
      this.windowValidTo = 0
    }
    const h = this.windowScratch
    for (let i = Math.min(this.windowValidTo, n); i < n; i++) {
      h.reset()
      for (let j = Math.max(0, i - winBuckets + 1); j <= i; j++) {
        const lat = this.buckets[j]?.latency
        if (lat) h.merge(lat)
      }
      const k = 4 * i
      if (h.count >= minSamples && h.count > 0) {
        const [p50, p95, p99] = h.quantiles([0.5, 0.95, 0.99])
        this.windowCache[k] = p50 ?? NaN
        this.windowCache[k + 1] = p95 ?? NaN
        this.windowCache[k + 2] = p99 ?? NaN
      } else {
        this.windowCache[k] = NaN
        this.windowCache[k + 1] = NaN
        this.windowCache[k + 2] = NaN
      }
      this.windowCache[k + 3] = h.count
    }
    this.windowValidTo = n
  }

  toJSON(): TimeBucketsData {
    return {
      version: 1,
      startedAt: this.startedAt,
      widthMs: this.width,
      maxBuckets: this.maxBuckets,
      buckets: Array.from(this.buckets, (b) =>
        b
          ? {
              ok: b.ok,
              failed: b.failed,
              latency: b.latency ? b.latency.toJSON() : null,
              maxInFlight: b.maxInFlight,
              lastInFlight: b.lastInFlight,
              maxLimit: b.maxLimit,
              lastLimit: b.lastLimit
            }
          : null
      )
    }
  }

  static fromJSON(data: TimeBucketsData): TimeBuckets {
    // Typed as 1, but stored data may come from a later build.
    const version: unknown = data.version
    if (version !== 1) throw new Error(`Unsupported time buckets version: ${String(version)}`)
    const tb = new TimeBuckets({ startedAt: data.startedAt, maxBuckets: data.maxBuckets })
    if (!(data.widthMs >= BASE_WIDTH_MS) || data.buckets.length > tb.maxBuckets) {
      throw new Error('Invalid time buckets data: bad width or too many buckets')
    }
    tb.width = data.widthMs
    tb.buckets = data.buckets.map((b) =>
      b
        ? {
            ok: b.ok,
            failed: b.failed,
            latency: b.latency ? LogHistogram.fromJSON(b.latency) : null,
            maxInFlight: b.maxInFlight,
            lastInFlight: b.lastInFlight,
            maxLimit: b.maxLimit,
            lastLimit: b.lastLimit
          }
        : undefined
    )
    return tb
  }

  /** The bucket holding time `at`, created on demand; coarsens first when `at` lies beyond capacity. */
  private bucketAt(at: number): Bucket | null {
    const i = this.bucketIndexAt(at)
    if (i < 0) return null
    let b = this.buckets[i]
    if (!b) {
      b = { ok: 0, failed: 0, latency: null, maxInFlight: -1, lastInFlight: 0, maxLimit: -1, lastLimit: 0 }
      // Writing past the end leaves holes (undefined), which stand for empty buckets.
      this.buckets[i] = b
    }
    return b
  }

  /** Index of the bucket for time `at` (−1 when not finite), coarsening first if it lies beyond capacity. */
  private bucketIndexAt(at: number): number {
    if (!Number.isFinite(at)) return -1
    // Times before the start (clock skew) land in the first bucket.
    const ms = Math.max(0, at - this.startedAt)
    let i = Math.floor(ms / this.width)
    while (i >= this.maxBuckets) {
      this.coarsen()
      i = Math.floor(ms / this.width)
    }
    return i
  }

  /** Doubles the bucket width, merging neighbours pairwise. */
  private coarsen(): void {
    const old = this.buckets
    const next: (Bucket | undefined)[] = []
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]
      const b = old[i + 1]
      next[i / 2] = a && b ? mergeBuckets(a, b) : (a ?? b)
    }
    // Trim trailing holes so length still means "up to the latest bucket written".
    while (next.length > 0 && next[next.length - 1] === undefined) next.pop()
    this.buckets = next
    this.width *= 2
    this.windowValidTo = 0
  }
}

function nullIfNaN(v: number | undefined): number | null {
  return v === undefined || Number.isNaN(v) ? null : v
}

/** Merges b (the later bucket) into a. */
function mergeBuckets(a: Bucket, b: Bucket): Bucket {
  a.ok += b.ok
  a.failed += b.failed
  if (b.latency) {
    if (a.latency) a.latency.merge(b.latency)
    else a.latency = b.latency
  }
  if (b.maxInFlight >= 0) {
    a.maxInFlight = Math.max(a.maxInFlight, b.maxInFlight)
    a.maxLimit = Math.max(a.maxLimit, b.maxLimit)
    a.lastInFlight = b.lastInFlight
    a.lastLimit = b.lastLimit
  }
  return a
}
