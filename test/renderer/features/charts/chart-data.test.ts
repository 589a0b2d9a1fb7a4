import { describe, expect, it } from 'vitest'
import { LogHistogram } from '../../../../shared/histogram.ts'
import { statusClassOf } from '../../../../shared/result.ts'
import { TimeBuckets, type SeriesPoint } from '../../../../shared/time-series.ts'
import {
  errorBars,
  formatCountTick,
  formatElapsedTick,
  formatMsTick,
  histogramSteps,
  inFlightRows,
  latencyDomain,
  latencyRows,
  linearTicks,
  latestLatency,
  latestRatePoint,
  logTicks,
  niceCeil,
  pointBudget,
  scatterRows,
  statusBars,
  throughputRows,
  timeTicks
} from '../../../../renderer/src/features/charts/chart-data.ts'
import { markLines } from '../../../../renderer/src/features/charts/chart-marks.ts'

function point(t: number, over: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    t,
    spanS: 1,
    ok: 5,
    failed: 1,
    p50: 10,
    p95: 20,
    p99: 30,
    max: 40,
    latencyCount: 6,
    inFlight: 4,
    limit: 8,
    ...over
  }
}

describe('statusClassOf', () => {
  it.each([
    ['200', '2xx'],
    ['204', '2xx'],
    ['301', '3xx'],
    ['404', '4xx'],
    ['429', '4xx'],
    ['503', '5xx'],
    ['101', '1xx'],
    ['none', 'none'],
    [null, 'none'],
    [0, 'none'],
    [599, '5xx']
  ] as const)('%s → %s', (status, cls) => {
    expect(statusClassOf(status)).toBe(cls)
  })
})

describe('statusBars', () => {
  it('orders by code with no-response last, drops zero counts, colours by class', () => {
    const bars = statusBars({ '503': 2, none: 3, '200': 90, '404': 0, '301': 1 })
    expect(bars.map((b) => b.label)).toEqual(['200', '301', '503', 'none'])
    expect(bars.map((b) => b.statusClass)).toEqual(['2xx', '3xx', '5xx', 'none'])
    expect(bars[0]!.color).toContain('--chart-ok')
    expect(bars[2]!.color).toContain('--chart-failed')
  })
  it('is empty for no statuses', () => {
    expect(statusBars({})).toEqual([])
  })
})

describe('errorBars', () => {
  it('sorts by count, then code; drops zero and missing', () => {
    expect(errorBars({ RESET: 3, DNS: 3, TIMEOUT_CONNECT: 10, TLS: 0, ABORTED: undefined })).toEqual([
      { code: 'TIMEOUT_CONNECT', count: 10 },
      { code: 'DNS', count: 3 },
      { code: 'RESET', count: 3 }
    ])
  })
})

describe('series rows', () => {
  const long = Array.from({ length: 5_000 }, (_, i) => point(i, { p99: i === 2_500 ? 9_999 : 30 }))

  it.each([
    ['latency', () => latencyRows(long)],
    ['throughput', () => throughputRows(long)],
    ['in flight', () => inFlightRows(long)]
  ])('%s rows stay within 2,000 points and keep the ends', (_label, rows) => {
    const out = rows()
    expect(out.length).toBeLessThanOrEqual(2_000)
    expect(out[0]!.x).toBe(0)
    expect(out[out.length - 1]!.x).toBe(4_999)
  })

  it('keeps a latency spike through downsampling', () => {
    expect(latencyRows(long).some((r) => r.p99 === 9_999)).toBe(true)
  })

  it('never asks recharts for more than 2,000 points even when told to', () => {
    expect(latencyRows(long, 10_000).length).toBeLessThanOrEqual(2_000)
  })

  it('handles empty series', () => {
    expect(latencyRows([])).toEqual([])
    expect(latestLatency([])).toBeNull()
    expect(latestRatePoint([])).toBeNull()
  })

  it('works on the real TimeBuckets output', () => {
    const start = 1_000_000
    const tb = new TimeBuckets({ startedAt: start })
    for (let i = 0; i < 3_000; i++)
      tb.record({ ok: i % 7 !== 0, finishedAt: start + i * 20, timings: { total: 5 + (i % 50) } })
    const series = tb.series({ maxPoints: 2_000, now: start + 60_000 })
    const rows = latencyRows(series)
    expect(rows.length).toBe(series.length)
    expect(latestLatency(series)!.p50).toBeGreaterThan(0)
  })
})

describe('latestRatePoint', () => {
  it('skips a short partial live span', () => {
    const s = [point(0), point(1, { ok: 7 }), point(2, { spanS: 0.2, ok: 1 })]
    expect(latestRatePoint(s)!.ok).toBe(7)
  })
})

describe('scatterRows', () => {
  it('keeps the newest points, splits by outcome, x in seconds since start', () => {
    const recent = Array.from({ length: 1_000 }, (_, i) => ({ at: 10_000 + i * 10, ms: i, ok: i % 2 === 0 }))
    const { ok, failed } = scatterRows(recent, 10_000, 100)
    expect(ok.length + failed.length).toBe(100)
    expect(ok[ok.length - 1]).toEqual({ x: 9.98, ms: 998 })
    expect(failed[failed.length - 1]).toEqual({ x: 9.99, ms: 999 })
  })
  it('drops points before the start and non-finite latencies', () => {
    const { ok } = scatterRows(
      [
        { at: 5, ms: 1, ok: true },
        { at: 20, ms: Number.NaN, ok: true },
        { at: 30, ms: 2, ok: true }
      ],
      10
    )
    expect(ok).toEqual([{ x: 0.02, ms: 2 }])
  })
})

describe('markLines', () => {
  it('converts epoch ms to seconds since start and drops marks before the start', () => {
    const lines = markLines(
      [
        { at: 500, label: 'early' },
        { at: 13_500, label: 'concurrency 8 → 20' }
      ],
      1_000
    )
    expect(lines.map((l) => [l.x, l.label])).toEqual([[12.5, 'concurrency 8 → 20']])
  })
})

describe('histogramSteps', () => {
  it('returns one row per bin plus a closing edge, positive and ascending', () => {
    const h = new LogHistogram()
    for (let i = 1; i <= 1_000; i++) h.record(i)
    h.record(0)
    const buckets = h.buckets({ maxBuckets: 40 })
    const steps = histogramSteps(buckets)
    expect(steps.length).toBe(buckets.length + 1)
    for (let i = 0; i < steps.length; i++) {
      expect(steps[i]!.x).toBeGreaterThan(0)
      if (i > 0) expect(steps[i]!.x).toBeGreaterThan(steps[i - 1]!.x)
    }
    expect(steps.slice(0, -1).reduce((n, s) => n + s.count, 0)).toBe(1_001)
  })
  it('gives a single-value histogram some width', () => {
    const steps = histogramSteps([{ lo: 50, hi: 50, count: 3 }])
    expect(steps).toHaveLength(2)
    expect(steps[1]!.x).toBeGreaterThan(steps[0]!.x)
  })
  it('is empty for no bins', () => {
    expect(histogramSteps([])).toEqual([])
  })
})

describe('logTicks', () => {
  it.each([
    [1, 100, [1, 2, 5, 10, 20, 50, 100]],
    [3, 40, [5, 10, 20]],
    [0.5, 20_000, [1, 10, 100, 1_000, 10_000]],
    [7, 8, [7, 8]],
    [0, 10, []]
  ])('[%d, %d] → %j', (lo, hi, expected) => {
    expect(logTicks(lo, hi)).toEqual(expected)
  })
})

// Latencies as text are written by shared/format.ts (test/shared/format.test.ts); these are the chart's axis ticks.
describe('format', () => {
  it.each([
    [0, '0s'],
    [45.4, '45s'],
    [120, '2m'],
    [125, '2m05s'],
    [3_600, '1h'],
    [3_723, '1h02m']
  ])('formatElapsedTick(%d) = %s', (s, text) => {
    expect(formatElapsedTick(s)).toBe(text)
  })
  it.each([
    [0.5, '0.5'],
    [20, '20'],
    [1_500, '1,500'],
    [12_345, '12,300']
  ])('formatMsTick(%d) = %s', (ms, text) => {
    expect(formatMsTick(ms)).toBe(text)
  })
  it.each([
    [900, '900'],
    [7_500, '7.5k'],
    [13_500, '13.5k'],
    [75_000, '75k'],
    [1_234_567, '1.23M']
  ])('formatCountTick(%d) = %s', (n, text) => {
    expect(formatCountTick(n)).toBe(text)
  })
})

describe('timeTicks', () => {
  it.each([
    [0, [0]],
    [4, [0, 1, 2, 3, 4]],
    [25, [0, 5, 10, 15, 20, 25]],
    [601, [0, 120, 240, 360, 480, 600]],
    [86_400, [0, 21_600, 43_200, 64_800, 86_400]]
  ])('ticks to %d s: %j', (end, ticks) => {
    expect(timeTicks(end)).toEqual(ticks)
  })
  it('never gives more than 7 ticks', () => {
    for (const end of [1, 59, 61, 599, 3_599, 7_201, 100_000, 1_000_000]) {
      expect(timeTicks(end).length).toBeLessThanOrEqual(7)
    }
  })
})

describe('latency axis', () => {
  it.each([
    [0.7, 1],
    [1, 1],
    [1.2, 2],
    [2.2, 2.5],
    [4_321, 5_000],
    [7_000, 10_000]
  ])('niceCeil(%d) = %d', (v, nice) => {
    expect(niceCeil(v)).toBe(nice)
  })
  it.each([
    [5_000, [0, 1_000, 2_000, 3_000, 4_000, 5_000]],
    [2_500, [0, 500, 1_000, 1_500, 2_000, 2_500]],
    [2_000, [0, 500, 1_000, 1_500, 2_000]],
    [1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, [0]]
  ])('linearTicks(%d) = %j', (max, ticks) => {
    expect(linearTicks(max)).toEqual(ticks)
  })
  it('covers lines and dots; log domains are whole decades', () => {
    const rows = [{ x: 0, p50: 12, p95: 40, p99: 90 }]
    const scatter = { ok: [{ x: 1, ms: 3 }], failed: [{ x: 2, ms: 4_321 }] }
    expect(latencyDomain(rows, scatter, false)).toEqual([0, 5_000])
    expect(latencyDomain(rows, scatter, true)).toEqual([1, 10_000])
    expect(latencyDomain([], { ok: [], failed: [] }, false)).toEqual([0, 1])
  })
})

describe('pointBudget', () => {
  it.each([
    [null, 400],
    [1_200, 600],
    [480, 240],
    [50, 60],
    [10_000, 1_000]
  ])('width %s → %i rows', (w, n) => {
    expect(pointBudget(w)).toBe(n)
  })
})
