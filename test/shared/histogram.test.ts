import { describe, expect, it } from 'vitest'
import {
  ALPHA,
  LogHistogram,
  MAX_INDEX,
  MAX_TRACKED_MS,
  MIN_INDEX,
  ZERO_THRESHOLD_MS,
  type HistogramData
} from '../../shared/histogram.ts'

/** mulberry32: small seeded PRNG so the data sets are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(r: () => number): number {
  // Box–Muller; 1 − r() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

const distributions: Record<string, (r: () => number) => number> = {
  lognormal: (r) => Math.exp(Math.log(120) + 0.9 * normal(r)),
  uniform: (r) => 0.5 + r() * 4_999.5,
  bimodal: (r) => (r() < 0.7 ? 4 + Math.abs(normal(r)) : 800 * Math.exp(0.3 * normal(r))),
  'wide (µs to hours)': (r) => Math.exp(Math.log(0.01) + r() * (Math.log(1e7) - Math.log(0.01)))
}

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? NaN
}

function sample(dist: string, n: number, seed: number): number[] {
  const r = rng(seed)
  const gen = distributions[dist]!
  return Array.from({ length: n }, () => gen(r))
}

function build(values: readonly number[]): LogHistogram {
  const h = new LogHistogram()
  for (const v of values) h.record(v)
  return h
}

describe('LogHistogram quantile accuracy', () => {
  const cases = Object.keys(distributions).flatMap((dist, d) =>
    [10, 1_000, 200_000].map((n) => ({ dist, n, seed: 1_000 * d + n }))
  )
  it.each(cases)('$dist, $n samples: every quantile within 1% of the exact one', ({ dist, n, seed }) => {
    const values = sample(dist, n, seed)
    const h = build(values)
    const sorted = Float64Array.from(values).sort()
    expect(h.count).toBe(n)
    expect(h.min).toBe(sorted[0])
    expect(h.max).toBe(sorted[n - 1])
    const exactSum = values.reduce((a, b) => a + b, 0)
    expect(Math.abs(h.sum - exactSum)).toBeLessThanOrEqual(exactSum * 1e-12)
    const batch = h.quantiles(QS)
    QS.forEach((q, k) => {
      const exact = exactQuantile(sorted, q)
      const est = h.quantile(q)!
      expect(Math.abs(est - exact) / exact, `q=${q}: est ${est} exact ${exact}`).toBeLessThanOrEqual(
        ALPHA + 1e-12
      )
      expect(batch[k]).toBe(est)
    })
  })
})

describe('LogHistogram basics', () => {
  it('is empty before any value', () => {
    const h = new LogHistogram()
    expect([h.count, h.sum, h.min, h.max, h.mean, h.quantile(0.5)]).toEqual([0, 0, null, null, null, null])
    expect(h.quantiles([0.5, 0.99])).toEqual([null, null])
    expect(h.buckets()).toEqual([])
    expect(h.toJSON()).toEqual({ counts: [], min: null, max: null, sum: 0, count: 0 })
    expect(LogHistogram.fromJSON(h.toJSON()).count).toBe(0)
  })

  it.each([
    { name: 'zero', values: [0, 0, 0, 10], q: 0.5, expected: 0 },
    { name: 'below the floor counts as zero', values: [ZERO_THRESHOLD_MS / 2, 5], q: 0, expected: 0.0005 },
    { name: 'negative counts as zero', values: [-3, 7, 7], q: 0.2, expected: 0 },
    { name: 'one value is exact', values: [123.456], q: 0.5, expected: 123.456 },
    { name: 'huge value beyond the range is clamped to max', values: [1e12], q: 0.5, expected: 1e12 },
    { name: 'q=1 is the exact max', values: [1, 2, 3e9], q: 1, expected: 3e9 },
    { name: 'q=0 is the exact min', values: [17.3, 20, 30], q: 0, expected: 17.3 },
    { name: 'q beyond 0..1 clamps', values: [5, 6], q: 7, expected: 6 }
  ])('$name', ({ values, q, expected }) => {
    expect(build(values).quantile(q)).toBe(expected)
  })

  it('ignores NaN, infinities and non-positive weights', () => {
    const h = new LogHistogram()
    h.record(Number.NaN)
    h.record(Infinity)
    h.record(-Infinity)
    h.record(5, 0)
    h.record(5, -1)
    expect(h.count).toBe(0)
    h.record(5)
    expect([h.count, h.sum, h.min, h.max]).toEqual([1, 5, 5, 5])
  })

  it('record(v, n) equals n single records', () => {
    const a = new LogHistogram()
    a.record(42, 1_000)
    a.record(0, 3)
    const b = new LogHistogram()
    for (let i = 0; i < 1_000; i++) b.record(42)
    for (let i = 0; i < 3; i++) b.record(0)
    expect(a.toJSON()).toEqual(b.toJSON())
  })

  it('mean is sum / count', () => {
    expect(build([10, 20, 60]).mean).toBe(30)
  })

  it('reset empties but stays usable', () => {
    const h = build(sample('lognormal', 500, 3))
    h.reset()
    expect(h.toJSON()).toEqual(new LogHistogram().toJSON())
    h.record(9)
    expect(h.quantile(0.5)).toBe(9)
  })

  it('covers the documented index range', () => {
    expect(MIN_INDEX).toBeLessThan(0)
    expect(MAX_INDEX).toBeGreaterThan(0)
    const h = build([ZERO_THRESHOLD_MS * 1.0001, MAX_TRACKED_MS, MAX_TRACKED_MS * 100])
    const idx = h.toJSON().counts.map(([i]) => i)
    expect(idx[0]).toBe(MIN_INDEX)
    expect(idx[idx.length - 1]).toBe(MAX_INDEX)
  })
})

describe('LogHistogram merge and JSON', () => {
  it.each([
    {
      name: 'disjoint ranges',
      a: sample('bimodal', 5_000, 1),
      b: sample('uniform', 3_000, 2).map((v) => v * 1e4)
    },
    { name: 'overlapping', a: sample('lognormal', 2_000, 3), b: sample('lognormal', 7_000, 4) },
    { name: 'with zeros', a: [0, 0, 1, 2], b: [0, 3e8] },
    { name: 'into empty', a: [], b: sample('uniform', 100, 5) },
    { name: 'from empty', a: sample('uniform', 100, 6), b: [] }
  ])('merge equals recording both: $name', ({ a, b }) => {
    const merged = build(a)
    merged.merge(build(b))
    const direct = build([...a, ...b])
    const m = merged.toJSON()
    const d = direct.toJSON()
    expect(m.counts).toEqual(d.counts)
    expect([m.count, m.min, m.max]).toEqual([d.count, d.min, d.max])
    // Addition order differs, so the sums may differ in the last bits.
    expect(Math.abs(m.sum - d.sum)).toBeLessThanOrEqual(Math.abs(d.sum) * 1e-12)
    expect(merged.quantiles(QS)).toEqual(direct.quantiles(QS))
  })

  it('round-trips through JSON text', () => {
    const h = build([...sample('wide (µs to hours)', 20_000, 7), 0, 0])
    const data = JSON.parse(JSON.stringify(h.toJSON())) as HistogramData
    const back = LogHistogram.fromJSON(data)
    expect(back.toJSON()).toEqual(h.toJSON())
    expect(back.quantiles(QS)).toEqual(h.quantiles(QS))
    expect(back.buckets({ maxBuckets: 20 })).toEqual(h.buckets({ maxBuckets: 20 }))
  })

  it('is compact: sparse counts only', () => {
    const h = new LogHistogram()
    for (let i = 0; i < 10_000; i++) h.record(100 + (i % 3))
    expect(h.toJSON().counts.length).toBeLessThanOrEqual(3)
  })

  it.each([
    {
      name: 'bucket index out of range',
      data: { counts: [[MAX_INDEX + 1, 1]], min: 1, max: 1, sum: 1, count: 1 }
    },
    { name: 'non-integer index', data: { counts: [[1.5, 1]], min: 1, max: 1, sum: 1, count: 1 } },
    { name: 'negative count', data: { counts: [[1, -1]], min: 1, max: 1, sum: 1, count: 1 } },
    { name: 'buckets exceed count', data: { counts: [[1, 5]], min: 1, max: 1, sum: 1, count: 2 } },
    { name: 'missing min', data: { counts: [[1, 1]], min: null, max: 1, sum: 1, count: 1 } },
    { name: 'min above max', data: { counts: [[1, 1]], min: 2, max: 1, sum: 1, count: 1 } },
    { name: 'counts not an array', data: { counts: null, min: 1, max: 1, sum: 1, count: 1 } }
  ])('fromJSON rejects $name', ({ data }) => {
    expect(() => LogHistogram.fromJSON(data as unknown as HistogramData)).toThrow(/Invalid histogram data/)
  })
})

describe('LogHistogram buckets()', () => {
  it.each([
    { name: 'lognormal default', values: sample('lognormal', 50_000, 8), opts: {} },
    { name: 'lognormal 10 bins', values: sample('lognormal', 50_000, 9), opts: { maxBuckets: 10 } },
    { name: 'with zeros', values: [0, 0, ...sample('uniform', 1_000, 10)], opts: { maxBuckets: 30 } },
    { name: 'narrow range: fewer bins than asked', values: [100, 101, 102], opts: { maxBuckets: 100 } }
  ])('$name: contiguous, within maxBuckets, all counts, spans min..max', ({ values, opts }) => {
    const h = build(values)
    const bins = h.buckets(opts)
    expect(bins.length).toBeGreaterThan(0)
    expect(bins.length).toBeLessThanOrEqual(opts.maxBuckets ?? 60)
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(values.length)
    expect(bins[0]!.lo).toBe(h.min)
    expect(bins[bins.length - 1]!.hi).toBe(h.max)
    for (let k = 1; k < bins.length; k++) expect(bins[k]!.lo).toBe(bins[k - 1]!.hi)
    for (const b of bins) expect(b.hi).toBeGreaterThanOrEqual(b.lo)
  })

  it('bins are log-spaced: inner bins have (nearly) equal width ratios', () => {
    const h = build(sample('uniform', 10_000, 11))
    const bins = h.buckets({ maxBuckets: 20 })
    const ratios = bins.slice(1, -1).map((b) => b.hi / b.lo)
    const lo = Math.min(...ratios)
    const hi = Math.max(...ratios)
    // Widths differ by at most one native bucket (a factor γ ≈ 1.02).
    expect(hi / lo).toBeLessThan(((1 + ALPHA) / (1 - ALPHA)) * 1.0001)
  })

  it('single value: one bin', () => {
    expect(build([42, 42]).buckets()).toEqual([{ lo: 42, hi: 42, count: 2 }])
  })

  it('only zeros: one bin', () => {
    expect(build([0, 0]).buckets()).toEqual([{ lo: 0, hi: 0, count: 2 }])
  })

  it('lo/hi zoom leaves out counts outside', () => {
    const h = build([1, 10, 100, 1_000, 10_000])
    const bins = h.buckets({ lo: 5, hi: 500, maxBuckets: 4 })
    expect(bins[0]!.lo).toBe(5)
    expect(bins[bins.length - 1]!.hi).toBe(500)
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(2)
  })
})

describe('LogHistogram at scale', () => {
  it('keeps a million values of a wide spread within 1% at every percentile', () => {
    const values = Float64Array.from(sample('wide (µs to hours)', 1_000_000, 12))
    const h = new LogHistogram()
    for (let i = 0; i < values.length; i++) h.record(values[i]!)
    expect(h.count).toBe(1_000_000)
    const sorted = Float64Array.from(values).sort()
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!
      expect(Math.abs(h.quantile(q)! - exact) / exact).toBeLessThanOrEqual(0.01 + 1e-9)
    }
  })
})
