import { ALPHA, type HistogramData } from '../../../../shared/histogram.ts'

/**
 * Two runs' latency histograms on shared bins, for the Compare view's overlaid distributions.
 * LogHistogram.buckets() chooses bins per histogram; two runs need the same edges, or their areas
 * would not line up. So the bins are cut here from the union of both runs' native buckets, the
 * way buckets() cuts them (whole runs of native buckets, widths equal to within one bucket), and
 * each run's counts are given as a share of its own requests: runs of 1,000 and 100,000 requests
 * then compare by shape.
 */

const GAMMA = (1 + ALPHA) / (1 - ALPHA)
/** Upper edge of native bucket i (see shared/histogram.ts). */
const upper = (i: number): number => Math.pow(GAMMA, i)
/** The smallest edge a log axis gets (the zero bucket starts at 0), as in histogramSteps. */
const LOG_FLOOR_MS = 0.01
/** Bins per factor of ten in latency: about 12% wide each. */
export const BINS_PER_DECADE = 20

export interface ComparisonStep {
  /** Lower edge of the bin in ms (the last row is the upper edge of the last bin). */
  readonly x: number
  /** Share of each run's requests in this bin, in percent. */
  readonly base: number
  readonly other: number
  /** Requests of each run in this bin. */
  readonly baseCount: number
  readonly otherCount: number
}

/** At most `maxBins` shared bins as step rows (stepAfter areas on a log axis); [] when both are empty. */
export function comparisonSteps(
  base: HistogramData,
  other: HistogramData,
  maxBins = 60
): readonly ComparisonStep[] {
  const runs = [base, other].filter((h) => h.count > 0)
  if (runs.length === 0) return []
  let first = Infinity
  let last = -Infinity
  for (const h of runs) {
    for (const [i] of h.counts) {
      if (i < first) first = i
      if (i > last) last = i
    }
  }
  const lo = Math.max(LOG_FLOOR_MS, Math.min(...runs.map((h) => h.min ?? Infinity)))
  const hi = Math.max(LOG_FLOOR_MS, ...runs.map((h) => h.max ?? 0))
  if (!Number.isFinite(first)) {
    // Only zero-bucket values (under a microsecond): one bar of some width, so it shows.
    const only = { baseCount: base.count, otherCount: other.count }
    const row = { x: LOG_FLOOR_MS, base: pct(base.count, base.count), other: pct(other.count, other.count), ...only }
    return [row, { ...row, x: LOG_FLOOR_MS * 1.1 }]
  } // prettier-ignore
  const span = last - first + 1
  // At most BINS_PER_DECADE across the range, so a few values over a narrow range (15–40 ms) are
  // bars a person can see, not 2%-wide slivers at the histogram's native resolution.
  const decades = Math.log10(upper(last) / upper(first - 1))
  const bins = Math.max(1, Math.min(Math.floor(maxBins), span, Math.ceil(decades * BINS_PER_DECADE)))
  const binOf = (i: number): number => Math.min(bins - 1, Math.floor(((i - first) * bins) / span))
  const counts = { base: new Float64Array(bins), other: new Float64Array(bins) }
  for (const [side, h] of [
    ['base', base],
    ['other', other]
  ] as const) {
    let inBuckets = 0
    for (const [i, c] of h.counts) {
      const k = binOf(i)
      counts[side][k] = (counts[side][k] ?? 0) + c
      inBuckets += c
    }
    // Values under a microsecond (the zero bucket) belong to the first bin.
    counts[side][0] = (counts[side][0] ?? 0) + Math.max(0, h.count - inBuckets)
  }
  const rows: { x: number; baseCount: number; otherCount: number }[] = []
  for (let k = 0; k < bins; k++) {
    const a = first + Math.ceil((k * span) / bins)
    const edge = k === 0 ? lo : Math.max(lo, upper(a - 1))
    const baseCount = counts.base[k] ?? 0
    const otherCount = counts.other[k] ?? 0
    const prev = rows[rows.length - 1]
    if (prev && edge <= prev.x) {
      // Clamped to the smallest value: the bin has no width of its own; its counts join the previous.
      prev.baseCount += baseCount
      prev.otherCount += otherCount
    } else rows.push({ x: edge, baseCount, otherCount })
  }
  const tail = rows[rows.length - 1] ?? { x: lo, baseCount: 0, otherCount: 0 }
  // A single value has lo = hi: give the bar some width so it is visible.
  rows.push({ ...tail, x: hi > tail.x ? hi : tail.x * 1.1 })
  return rows.map((r) => ({
    ...r,
    base: pct(r.baseCount, base.count),
    other: pct(r.otherCount, other.count)
  }))
}

const pct = (n: number, total: number): number => (total > 0 ? (n * 100) / total : 0)
