/**
 * A mergeable log-bucketed latency histogram (the DDSketch idea with a dense store).
 *
 * Why this shape: the engine and the renderer both aggregate latencies of runs from ten to millions
 * of requests, merge per-second histograms into chart points, and ship histograms over IPC and into
 * the run store. Log buckets give every quantile a bounded *relative* error (≤ ALPHA) whatever the
 * run size, in fixed memory, and two histograms merge by adding counts.
 *
 * Bucket i holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1−α); the estimate 2γ^i/(γ+1) is within α
 * of every value in the bucket. Values ≤ ZERO_THRESHOLD_MS (and negatives) share one zero bucket whose
 * estimate is 0; values above MAX_TRACKED_MS are clamped into the top bucket (their exact max still
 * counts, and quantile results are clamped into [min, max]). Non-finite values are ignored: they are
 * never a latency, and Infinity would poison sum/mean and JSON.
 */

/** Relative accuracy of every quantile estimate. */
export const ALPHA = 0.01
const GAMMA = (1 + ALPHA) / (1 - ALPHA)
const INV_LN_GAMMA = 1 / Math.log(GAMMA)
/** Estimate factor: 2γ^i/(γ+1) = γ^i · ESTIMATE_FACTOR. */
const ESTIMATE_FACTOR = 2 / (GAMMA + 1)

/** At or below this (ms) a value counts as zero: sub-microsecond latencies are noise. */
export const ZERO_THRESHOLD_MS = 0.001
/** Above this (ms, ~28 hours) values are clamped into the top bucket. */
export const MAX_TRACKED_MS = 1e8

export const MIN_INDEX = Math.ceil(Math.log(ZERO_THRESHOLD_MS) * INV_LN_GAMMA)
export const MAX_INDEX = Math.ceil(Math.log(MAX_TRACKED_MS) * INV_LN_GAMMA)

/**
 * The store grows in steps of at least this many buckets (a factor of ~3.6 in value), so a histogram
 * reallocates only a handful of times in its life while a per-second chart histogram stays small.
 */
const GROW_STEP = 64

/** Sparse wire form: compact for IPC and the run store. The zero bucket is `count − Σ counts`. */
export interface HistogramData {
  readonly counts: readonly (readonly [index: number, count: number])[]
  readonly min: number | null
  readonly max: number | null
  readonly sum: number
  readonly count: number
}

export interface HistogramBucket {
  readonly lo: number
  readonly hi: number
  readonly count: number
}

export interface BucketOptions {
  /** Upper bound on the number of bins (default 60). */
  readonly maxBuckets?: number
  /** Lower edge of the chart (default min). */
  readonly lo?: number
  /** Upper edge of the chart (default max). */
  readonly hi?: number
}

/** Bucket index of a value above ZERO_THRESHOLD_MS, clamped into [MIN_INDEX, MAX_INDEX]. */
export function bucketIndex(v: number): number {
  const i = Math.ceil(Math.log(v) * INV_LN_GAMMA)
  return i < MIN_INDEX ? MIN_INDEX : i > MAX_INDEX ? MAX_INDEX : i
}

/** The value reported for bucket i: within ALPHA of anything in (γ^(i-1), γ^i]. */
export function bucketEstimate(i: number): number {
  return Math.pow(GAMMA, i) * ESTIMATE_FACTOR
}

/** Upper edge γ^i of bucket i (its lower edge is the upper edge of i − 1). */
function bucketUpper(i: number): number {
  return Math.pow(GAMMA, i)
}

export class LogHistogram {
  /** Dense counts for indices [offset, offset + counts.length); empty until the first value. */
  private counts: Float64Array = new Float64Array(0)
  private offset = 0
  private zero = 0
  private n = 0
  private total = 0
  private lo = Infinity
  private hi = -Infinity

  get count(): number {
    return this.n
  }

  get sum(): number {
    return this.total
  }

  get min(): number | null {
    return this.n > 0 ? this.lo : null
  }

  get max(): number | null {
    return this.n > 0 ? this.hi : null
  }

  get mean(): number | null {
    return this.n > 0 ? this.total / this.n : null
  }

  /** Records `n` occurrences of `v` ms. O(1); allocates only when the store must widen. */
  record(v: number, n = 1): void {
    if (!Number.isFinite(v) || !(n > 0) || !Number.isFinite(n)) return
    if (v <= ZERO_THRESHOLD_MS) {
      this.zero += n
    } else {
      const i = bucketIndex(v)
      let j = i - this.offset
      if (j < 0 || j >= this.counts.length) {
        this.ensureRange(i, i)
        j = i - this.offset
      }
      this.counts[j] = (this.counts[j] ?? 0) + n
    }
    this.n += n
    this.total += v * n
    if (v < this.lo) this.lo = v
    if (v > this.hi) this.hi = v
  }

  /**
   * The value at quantile q (0..1) within ALPHA relative error: the estimate of the bucket holding the
   * element of rank ⌊q·(count−1)⌋, clamped into [min, max]. q ≤ 0 and q ≥ 1 give the exact min and max.
   */
  quantile(q: number): number | null {
    if (this.n === 0 || Number.isNaN(q)) return null
    if (q <= 0) return this.lo
    if (q >= 1) return this.hi
    const rank = q * (this.n - 1)
    let cum = this.zero
    if (cum > rank) return this.clamp(0)
    const c = this.counts
    for (let j = 0; j < c.length; j++) {
      cum += c[j] ?? 0
      if (cum > rank) return this.clamp(bucketEstimate(this.offset + j))
    }
    return this.hi
  }

  /** Several quantiles in one pass over the buckets (same results as quantile() for each). */
  quantiles(qs: readonly number[]): (number | null)[] {
    const out: (number | null)[] = qs.map(() => null)
    if (this.n === 0) return out
    // Ascending order lets one cumulative walk serve every q; NaN entries stay null.
    const order = qs
      .map((_, k) => k)
      .filter((k) => !Number.isNaN(qs[k]))
      .sort((a, b) => (qs[a] ?? 0) - (qs[b] ?? 0))
    let cum = this.zero
    let j = -1 // -1 is the zero bucket
    const c = this.counts
    for (const idx of order) {
      const q = qs[idx] ?? 0
      if (q <= 0) {
        out[idx] = this.lo
        continue
      }
      if (q >= 1) {
        out[idx] = this.hi
        continue
      }
      const rank = q * (this.n - 1)
      while (cum <= rank && j < c.length - 1) cum += c[++j] ?? 0
      out[idx] = cum > rank ? this.clamp(j < 0 ? 0 : bucketEstimate(this.offset + j)) : this.hi
    }
    return out
  }

  /** Adds another histogram's counts: the result equals having recorded both inputs here. */
  merge(other: LogHistogram): void {
    if (other.n === 0) return
    const oc = other.counts
    let first = -1
    let last = -1
    for (let j = 0; j < oc.length; j++) {
      if ((oc[j] ?? 0) !== 0) {
        if (first < 0) first = j
        last = j
      }
    }
    if (first >= 0) {
      this.ensureRange(other.offset + first, other.offset + last)
      const shift = other.offset - this.offset
      for (let j = first; j <= last; j++) {
        const v = oc[j] ?? 0
        if (v !== 0) this.counts[j + shift] = (this.counts[j + shift] ?? 0) + v
      }
    }
    this.zero += other.zero
    this.n += other.n
    this.total += other.total
    if (other.lo < this.lo) this.lo = other.lo
    if (other.hi > this.hi) this.hi = other.hi
  }

  /** Empties the histogram but keeps its store, so a scratch histogram can be reused without allocation. */
  reset(): void {
    this.counts.fill(0)
    this.zero = 0
    this.n = 0
    this.total = 0
    this.lo = Infinity
    this.hi = -Infinity
  }

  clone(): LogHistogram {
    const h = new LogHistogram()
    h.merge(this)
    return h
  }

  toJSON(): HistogramData {
    const counts: [number, number][] = []
    const c = this.counts
    for (let j = 0; j < c.length; j++) {
      const v = c[j] ?? 0
      if (v !== 0) counts.push([this.offset + j, v])
    }
    return { counts, min: this.min, max: this.max, sum: this.total, count: this.n }
  }

  /** Rebuilds a histogram from toJSON() output. Throws on malformed data: stored runs must not lie. */
  static fromJSON(data: HistogramData): LogHistogram {
    const h = new LogHistogram()
    if (!isFiniteNumber(data.count) || data.count < 0 || !isFiniteNumber(data.sum)) {
      throw new Error('Invalid histogram data: count and sum must be finite numbers')
    }
    // Checked through `unknown`: Array.isArray would widen the typed tuples to any[].
    const rawCounts: unknown = data.counts
    if (!Array.isArray(rawCounts)) throw new Error('Invalid histogram data: counts must be an array')
    if (data.count === 0) return h
    if (!isFiniteNumber(data.min) || !isFiniteNumber(data.max) || data.min > data.max) {
      throw new Error('Invalid histogram data: min and max must be finite numbers with min ≤ max')
    }
    let lo = Infinity
    let hi = -Infinity
    let inBuckets = 0
    for (const entry of data.counts) {
      const [i, c] = entry
      if (!Number.isInteger(i) || i < MIN_INDEX || i > MAX_INDEX || !isFiniteNumber(c) || c < 0) {
        throw new Error(`Invalid histogram data: bad bucket [${String(i)}, ${String(c)}]`)
      }
      if (i < lo) lo = i
      if (i > hi) hi = i
      inBuckets += c
    }
    // Tolerate float dust from fractional weights; anything more means the data is inconsistent.
    const zero = data.count - inBuckets
    if (zero < -1e-9 * data.count) throw new Error('Invalid histogram data: bucket counts exceed count')
    if (inBuckets > 0) {
      h.ensureRange(lo, hi)
      for (const [i, c] of data.counts) h.counts[i - h.offset] = (h.counts[i - h.offset] ?? 0) + c
    }
    h.zero = Math.max(0, zero)
    h.n = data.count
    h.total = data.sum
    h.lo = data.min
    h.hi = data.max
    return h
  }

  /**
   * Bins for a distribution chart: contiguous, log-spaced, at most maxBuckets, between lo and hi
   * (default min and max). Each bin is a whole run of native buckets, so bins are never finer than the
   * histogram's resolution (no comb of empty bins) and widths are equal to within one native bucket.
   * Counts whose bucket estimate lies outside [lo, hi] are left out; zero-bucket counts land in the
   * first bin when lo ≤ ZERO_THRESHOLD_MS. Empty histogram → [].
   */
  buckets(opts: BucketOptions = {}): HistogramBucket[] {
    if (this.n === 0) return []
    const maxBins = Math.max(1, Math.floor(opts.maxBuckets ?? 60))
    const lo = opts.lo ?? this.lo
    const hi = opts.hi ?? this.hi
    if (!(hi >= lo)) return []
    const includeZero = lo <= ZERO_THRESHOLD_MS
    const zeroCount = includeZero && hi >= 0 ? this.zero : 0
    if (hi <= ZERO_THRESHOLD_MS) return [{ lo, hi, count: zeroCount }]

    // Native index range: from lo's bucket (or the first populated one when lo is in the zero bucket).
    const last = bucketIndex(hi)
    let first = includeZero ? (this.firstPopulated() ?? last) : bucketIndex(lo)
    if (first > last) first = last
    const span = last - first + 1
    const bins = Math.min(maxBins, span)
    const out: { lo: number; hi: number; count: number }[] = []
    for (let k = 0; k < bins; k++) {
      // Bin k covers native indices [a, b]; distributing the remainder keeps widths within one bucket.
      const a = first + Math.floor((k * span) / bins)
      const b = first + Math.floor(((k + 1) * span) / bins) - 1
      let count = 0
      for (let i = a; i <= b; i++) {
        const c = this.counts[i - this.offset] ?? 0
        if (c === 0) continue
        const est = this.clamp(bucketEstimate(i))
        if (est >= lo && est <= hi) count += c
      }
      out.push({
        lo: k === 0 ? lo : Math.max(lo, bucketUpper(a - 1)),
        hi: k === bins - 1 ? hi : Math.min(hi, bucketUpper(b)),
        count
      })
    }
    const head = out[0]
    if (head && zeroCount > 0) head.count += zeroCount
    return out
  }

  private clamp(v: number): number {
    return v < this.lo ? this.lo : v > this.hi ? this.hi : v
  }

  /** Lowest populated bucket index; null when only the zero bucket has counts. */
  private firstPopulated(): number | null {
    const c = this.counts
    for (let j = 0; j < c.length; j++) if ((c[j] ?? 0) !== 0) return this.offset + j
    return null
  }

  /** Widens the dense store to cover indices [lo, hi], growing geometrically to keep reallocations rare. */
  private ensureRange(lo: number, hi: number): void {
    const len = this.counts.length
    const curLo = this.offset
    const curHi = this.offset + len - 1
    if (len > 0 && lo >= curLo && hi <= curHi) return
    let newLo: number
    let newHi: number
    if (len === 0) {
      newLo = lo - GROW_STEP / 2
      newHi = hi + GROW_STEP / 2
    } else {
      const step = Math.max(GROW_STEP, len)
      newLo = lo < curLo ? Math.min(lo, curLo - step) : curLo
      newHi = hi > curHi ? Math.max(hi, curHi + step) : curHi
    }
    newLo = Math.max(MIN_INDEX, newLo)
    newHi = Math.min(MAX_INDEX, newHi)
    const next = new Float64Array(newHi - newLo + 1)
    if (len > 0) next.set(this.counts, curLo - newLo)
    this.counts = next
    this.offset = newLo
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}
