import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_BUCKETS,
  TimeBuckets,
  type SeriesPoint,
  type TimeBucketsData
} from '../../shared/time-series.ts'

const T0 = Date.parse('2026-11-22T12:00:00Z')

type Op =
  { at: number; ok?: boolean; latency?: number } | { inFlightAt: number; inFlight: number; limit: number }

function build(ops: readonly Op[], maxBuckets?: number): TimeBuckets {
  const tb = new TimeBuckets(maxBuckets === undefined ? { startedAt: T0 } : { startedAt: T0, maxBuckets })
  for (const op of ops) {
    if ('inFlightAt' in op) tb.noteInFlight(T0 + op.inFlightAt, op.inFlight, op.limit)
    else tb.record({ ok: op.ok ?? true, finishedAt: T0 + op.at, timings: { total: op.latency ?? 100 } })
  }
  return tb
}

const pick = (points: SeriesPoint[], keys: (keyof SeriesPoint)[]): Record<string, unknown>[] =>
  points.map((p) => Object.fromEntries(keys.map((k) => [k, p[k]])))

describe('TimeBuckets series', () => {
  it('is empty before anything happened', () => {
    expect(build([]).series({ maxPoints: 100 })).toEqual([])
  })

  it.each([
    {
      name: 'one point per second',
      ops: [
        { at: 100, latency: 10 },
        { at: 900, latency: 30 },
        { at: 1_500, ok: false, latency: 1_000 },
        { at: 3_000, latency: 50 }
      ],
      maxPoints: 100,
      expected: [
        { t: 0, spanS: 1, ok: 2, failed: 0, max: 30 },
        { t: 1, spanS: 1, ok: 0, failed: 1, max: 1_000 },
        { t: 2, spanS: 1, ok: 0, failed: 0, max: null },
        { t: 3, spanS: 1, ok: 1, failed: 0, max: 50 }
      ]
    },
    {
      name: 'merged spans give per-second rates',
      ops: Array.from({ length: 100 }, (_, i) => ({ at: i * 100, latency: i + 1 })), // 10 s at 10/s
      maxPoints: 2,
      expected: [
        { t: 0, spanS: 5, ok: 10, failed: 0, max: 50 },
        { t: 5, spanS: 5, ok: 10, failed: 0, max: 100 }
      ]
    },
    {
      name: 'uneven split: groups of ceil(n / maxPoints), last one shorter',
      ops: Array.from({ length: 25 }, (_, i) => ({ at: i * 1_000 + 1 })),
      maxPoints: 10,
      expected: Array.from({ length: 9 }, (_, g) => ({
        t: g * 3,
        spanS: g === 8 ? 1 : 3,
        ok: 1,
        failed: 0,
        max: 100
      }))
    },
    {
      name: 'results stamped before the start land in the first bucket',
      ops: [{ at: -5_000, latency: 7 }],
      maxPoints: 10,
      expected: [{ t: 0, spanS: 1, ok: 1, failed: 0, max: 7 }]
    }
  ])('$name', ({ ops, maxPoints, expected }) => {
    const points = build(ops).series({ maxPoints })
    expect(points.length).toBeLessThanOrEqual(maxPoints)
    expect(pick(points, ['t', 'spanS', 'ok', 'failed', 'max'])).toEqual(expected)
  })

  it('percentiles over time come from merged histograms (within 1%)', () => {
    const ops = Array.from({ length: 2_000 }, (_, i) => ({ at: i * 5, latency: (i % 1_000) + 1 })) // 10 s
    const [p] = build(ops).series({ maxPoints: 1 })
    const near = (v: number | null, x: number): boolean => v !== null && Math.abs(v - x) <= x * 0.01
    expect(near(p!.p50, 500)).toBe(true)
    expect(near(p!.p95, 950)).toBe(true)
    expect(near(p!.p99, 990)).toBe(true)
    expect(p!.max).toBe(1_000)
  })

  it('in flight and limit: max per span, carried forward over silent seconds', () => {
    const tb = build([
      { inFlightAt: 200, inFlight: 5, limit: 10 },
      { inFlightAt: 600, inFlight: 8, limit: 10 },
      { inFlightAt: 900, inFlight: 3, limit: 10 },
      { inFlightAt: 4_200, inFlight: 12, limit: 20 },
      { inFlightAt: 4_800, inFlight: 0, limit: 20 },
      { at: 6_500 }
    ])
    expect(pick(tb.series({ maxPoints: 100 }), ['t', 'inFlight', 'limit'])).toEqual([
      { t: 0, inFlight: 8, limit: 10 },
      { t: 1, inFlight: 3, limit: 10 },
      { t: 2, inFlight: 3, limit: 10 },
      { t: 3, inFlight: 3, limit: 10 },
      { t: 4, inFlight: 12, limit: 20 },
      { t: 5, inFlight: 0, limit: 20 },
      { t: 6, inFlight: 0, limit: 20 }
    ])
    expect(pick(tb.series({ maxPoints: 3 }), ['t', 'inFlight', 'limit'])).toEqual([
      { t: 0, inFlight: 8, limit: 10 },
      { t: 3, inFlight: 12, limit: 20 },
      { t: 6, inFlight: 0, limit: 20 }
    ])
  })

  it('limit is null and in flight 0 before anything was noted', () => {
    const [p] = build([{ at: 10 }]).series({ maxPoints: 10 })
    expect([p!.inFlight, p!.limit]).toEqual([0, null])
  })

  it('now extends the series through a stall and clips the last span', () => {
    const tb = build([{ inFlightAt: 0, inFlight: 4, limit: 4 }, { at: 500 }, { at: 1_200 }])
    const points = tb.series({ maxPoints: 100, now: T0 + 5_500 })
    expect(pick(points, ['t', 'spanS', 'ok', 'inFlight'])).toEqual([
      { t: 0, spanS: 1, ok: 1, inFlight: 4 },
      { t: 1, spanS: 1, ok: 1, inFlight: 4 },
      { t: 2, spanS: 1, ok: 0, inFlight: 4 },
      { t: 3, spanS: 1, ok: 0, inFlight: 4 },
      { t: 4, spanS: 1, ok: 0, inFlight: 4 },
      { t: 5, spanS: 0.5, ok: 0, inFlight: 4 }
    ])
    // The partial last second's rate is measured over the part that has elapsed.
    const [q] = build([{ at: 250 }]).series({ maxPoints: 10, now: T0 + 500 })
    expect([q!.spanS, q!.ok]).toEqual([0.5, 2])
  })
})

describe('TimeBuckets bounded memory', () => {
  it('doubles the width past maxBuckets, keeping totals, maxima and in-flight peaks', () => {
    const ops: Op[] = []
    for (let s = 0; s < 20; s++) {
      ops.push({ at: s * 1_000 + 10, latency: s + 1 }, { at: s * 1_000 + 20, ok: false, latency: 1 })
      ops.push({ inFlightAt: s * 1_000 + 30, inFlight: s, limit: 50 })
    }
    const tb = build(ops, 8)
    expect(tb.widthMs).toBe(4_000)
    expect(tb.length).toBe(5)
    const points = tb.series({ maxPoints: 100 })
    expect(pick(points, ['t', 'spanS', 'ok', 'failed', 'max', 'inFlight', 'limit'])).toEqual(
      [0, 1, 2, 3, 4].map((g) => ({
        t: g * 4,
        spanS: 4,
        ok: 1,
        failed: 1,
        max: g * 4 + 4,
        inFlight: g * 4 + 3,
        limit: 50
      }))
    )
  })

  it('a 24-hour run stays within maxBuckets', () => {
    const tb = new TimeBuckets({ startedAt: T0 })
    for (let s = 0; s < 86_400; s += 7) {
      tb.record({ ok: true, finishedAt: T0 + s * 1_000, timings: { total: 50 + (s % 300) } })
      tb.noteInFlight(T0 + s * 1_000, s % 50, 50)
    }
    expect(tb.length).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS)
    expect(tb.widthMs).toBe(64_000)
    const points = tb.series({ maxPoints: 2_000 })
    expect(points.length).toBeLessThanOrEqual(2_000)
    const total = points.reduce((a, p) => a + p.ok * p.spanS, 0)
    expect(total).toBeCloseTo(Math.ceil(86_400 / 7), 6)
  })

  it('a far-off now coarsens instead of looping over empty seconds', () => {
    const tb = build([{ at: 0 }], 16)
    const points = tb.series({ maxPoints: 100, now: T0 + 3_600_000 })
    expect(points.length).toBeLessThanOrEqual(16)
    expect(tb.widthMs).toBe(256_000)
  })
})

describe('TimeBuckets JSON', () => {
  it('round-trips through JSON text and keeps working', () => {
    const ops: Op[] = [
      { inFlightAt: 0, inFlight: 3, limit: 8 },
      ...Array.from({ length: 300 }, (_, i) => ({ at: i * 37, ok: i % 7 !== 0, latency: (i * 13) % 500 })),
      { inFlightAt: 9_000, inFlight: 1, limit: 4 }
    ]
    const a = build(ops, 64)
    const b = TimeBuckets.fromJSON(JSON.parse(JSON.stringify(a.toJSON())) as TimeBucketsData)
    expect(b.series({ maxPoints: 50 })).toEqual(a.series({ maxPoints: 50 }))
    for (const tb of [a, b]) tb.record({ ok: true, finishedAt: T0 + 20_000, timings: { total: 3 } })
    expect(b.toJSON()).toEqual(a.toJSON())
  })

  it.each([
    { name: 'unknown version', patch: { version: 2 }, error: /version/ },
    { name: 'width below a second', patch: { widthMs: 10 }, error: /Invalid/ },
    {
      name: 'more buckets than allowed',
      patch: { maxBuckets: 2, buckets: [null, null, null] },
      error: /Invalid/
    }
  ])('fromJSON rejects $name', ({ patch, error }) => {
    const data = { ...build([{ at: 0 }]).toJSON(), ...patch } as unknown as TimeBucketsData
    expect(() => TimeBuckets.fromJSON(data)).toThrow(error)
  })
})
