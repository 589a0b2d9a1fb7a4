import { describe, expect, it } from 'vitest'
import { TimeBuckets, type LatencyWindow } from '../../shared/time-series.ts'

const T0 = Date.parse('2026-11-22T12:00:00Z')
const WINDOW: LatencyWindow = { ms: 10_000, minSamples: 20 }

/** A deterministic generator (mulberry32), so the runs below are the same every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function record(tb: TimeBuckets, atMs: number, latency: number): void {
  tb.record({ ok: true, finishedAt: T0 + atMs, timings: { total: latency } })
}

describe('TimeBuckets percentiles over a rolling window', () => {
  it('a second holding one slow request does not make p50 jump to it', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    // 30 s at 50 requests a second, ~60 ms each, then a lone 5 s straggler in a quiet second.
    const r = seeded(1)
    for (let s = 0; s < 30; s++) for (let k = 0; k < 50; k++) record(tb, s * 1000 + k * 20, 50 + r() * 20)
    record(tb, 30_500, 5_000)
    const perBucket = tb.series({ maxPoints: 100 })
    const windowed = tb.series({ maxPoints: 100, window: WINDOW })
    // Per bucket, the quiet second reads p50 = p99 = 5 s: the old sawtooth.
    expect(perBucket[30]?.p50).toBeCloseTo(5_000, -2)
    // Over the last 10 s (451 results) the median stays the run's ~60 ms.
    const p = windowed[30]
    expect(p?.latencyCount).toBe(451)
    expect(p?.p50).toBeGreaterThan(50)
    expect(p?.p50).toBeLessThan(71)
    // Every point of a steady run draws a line value: no gaps for the seconds in between.
    expect(windowed.slice(0, 31).every((q) => q.p50 !== null)).toBe(true)
  })

  it('a window with fewer than the minimum results has no percentiles (a gap), never a jump', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    // 3 results a second: 10 s of them is 30, so only from the 7th second on does a window hold 20.
    for (let s = 0; s < 12; s++) for (let k = 0; k < 3; k++) record(tb, s * 1000 + k * 300, 100)
    const points = tb.series({ maxPoints: 100, window: WINDOW })
    const counts = points.map((q) => q.latencyCount)
    expect(counts.slice(0, 8)).toEqual([3, 6, 9, 12, 15, 18, 21, 24])
    expect(points.slice(0, 6).map((q) => q.p50)).toEqual([null, null, null, null, null, null])
    expect(points[6]?.p50).toBeCloseTo(100, 0)
    // A window slides: at 11 s it holds seconds 2–11 (30 results).
    expect(points[11]?.latencyCount).toBe(30)
  })

  it('an empty second inside a busy window keeps the line going', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    for (let s = 0; s < 20; s++) {
      if (s === 10) continue
      for (let k = 0; k < 30; k++) record(tb, s * 1000 + k * 30, 80)
    }
    const points = tb.series({ maxPoints: 100, window: WINDOW })
    expect(points[10]?.p50).toBeCloseTo(80, 0)
    expect(points[10]?.latencyCount).toBe(270)
  })

  it('late results update the windows they fall in (the cache is invalidated)', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    for (let s = 0; s < 5; s++) for (let k = 0; k < 30; k++) record(tb, s * 1000 + k * 30, 10)
    const before = tb.series({ maxPoints: 100, window: WINDOW })
    expect(before[4]?.p99).toBeCloseTo(10, 0)
    // A burst of slow results stamped in second 2 arrives late.
    for (let k = 0; k < 40; k++) record(tb, 2_000 + k, 900)
    const after = tb.series({ maxPoints: 100, window: WINDOW })
    expect(after[1]?.p99).toBeCloseTo(10, 0)
    expect(after[2]?.p99).toBeCloseTo(900, -1)
    expect(after[4]?.p99).toBeCloseTo(900, -1)
    expect(after[4]?.latencyCount).toBe(190)
  })

  it('a downsampled point as long as the window is its own window (long runs)', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    for (let s = 0; s < 200; s++)
      for (let k = 0; k < 5; k++) record(tb, s * 1000 + k * 100, s < 100 ? 10 : 20)
    // 200 buckets into 10 points: 20 s each, longer than the 10 s window.
    const points = tb.series({ maxPoints: 10, window: WINDOW })
    expect(points).toHaveLength(10)
    expect(points.map((q) => q.latencyCount)).toEqual(Array.from({ length: 10 }, () => 100))
    expect(points[9]?.p50).toBeCloseTo(20, 0)
  })

  it('the tail of a 20,000-request run: stragglers show as a gap, not a 0 ↔ 5 s sawtooth', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    const r = seeded(7)
    // 19,990 results of 40–100 ms over 30 s, then 10 stragglers of 5 s, one every 1.5 s.
    for (let i = 0; i < 19_990; i++) record(tb, r() * 30_000, 40 + r() * 60)
    for (let k = 0; k < 10; k++) record(tb, 30_500 + k * 1_500, 5_000)
    const perBucket = tb.series({ maxPoints: 100 })
    const windowed = tb.series({ maxPoints: 100, window: WINDOW })
    // Per bucket the tail alternates between 5 s and nothing.
    expect(perBucket.slice(30).some((q) => q.p50 !== null && q.p50 > 4_000)).toBe(true)
    // In windows the median never leaves the requests' real spread; once only stragglers remain,
    // too few for a percentile, the line stops.
    for (const q of windowed) if (q.p50 !== null) expect(q.p50).toBeLessThan(101)
    expect(windowed.at(-1)?.p50).toBeNull()
    expect(windowed.at(-1)?.latencyCount).toBeLessThan(20)
  })
})
