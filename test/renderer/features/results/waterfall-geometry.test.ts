import { describe, expect, it } from 'vitest'
import type { TimingPhases } from '../../../../shared/result.ts'
import { MIN_BAR_PCT, waterfallBars } from '../../../../renderer/src/features/results/waterfall-geometry.ts'

const t = (over: Partial<TimingPhases>): TimingPhases => ({
  queue: 0,
  dns: 0,
  connect: 0,
  tls: 0,
  ttfb: 0,
  download: 0,
  total: 0,
  ...over
})

describe('waterfallBars', () => {
  it('lays the phases end to end in proportion to their time', () => {
    const { bars, totalMs } = waterfallBars(
      t({ dns: 10, connect: 20, tls: 30, ttfb: 100, download: 40, total: 200 })
    )
    expect(totalMs).toBe(200)
    expect(bars.map((b) => [b.phase, b.startMs, b.durationMs, b.leftPct, b.widthPct])).toEqual([
      ['dns', 0, 10, 0, 5],
      ['connect', 10, 20, 5, 10],
      ['tls', 30, 30, 15, 15],
      ['ttfb', 60, 100, 30, 50],
      ['download', 160, 40, 80, 20]
    ])
  })

  it('shows a reused connection as zero-width DNS, connect and TLS', () => {
    const { bars } = waterfallBars(t({ ttfb: 30, download: 10, total: 40 }))
    expect(bars.map((b) => [b.label, b.widthPct])).toEqual([
      ['DNS', 0],
      ['Connect', 0],
      ['TLS', 0],
      ['TTFB', 75],
      ['Download', 25]
    ])
  })

  it('adds the client queue only when it waited', () => {
    expect(waterfallBars(t({ queue: 5, ttfb: 5, total: 10 })).bars[0]?.phase).toBe('queue')
    expect(waterfallBars(t({ ttfb: 5, total: 5 })).bars[0]?.phase).toBe('dns')
  })

  it.each([
    [2, 'Redirects'],
    [0, 'Other']
  ])('shows the rest of the total as one bar (%i redirects → %s)', (redirects, label) => {
    const { bars } = waterfallBars(t({ ttfb: 50, download: 50, total: 300 }), { redirects })
    const last = bars[bars.length - 1]!
    expect(last).toMatchObject({ phase: 'other', label, startMs: 100, durationMs: 200 })
    expect(last.leftPct + last.widthPct).toBeCloseTo(100)
  })

  it('gives tiny phases a visible minimum width and keeps every bar inside the track', () => {
    const { bars } = waterfallBars(
      t({ dns: 0.1, connect: 0.1, tls: 0.1, ttfb: 5_000, download: 0.1, total: 5_000.4 })
    )
    // The first bar starts at the track's left edge and the others follow in the request's order.
    expect(bars[0]?.leftPct).toBe(0)
    let previousLeft = 0
    for (const b of bars) {
      if (b.durationMs > 0) expect(b.widthPct).toBeGreaterThanOrEqual(MIN_BAR_PCT)
      expect(b.leftPct).toBeGreaterThanOrEqual(previousLeft)
      expect(b.leftPct + b.widthPct).toBeLessThanOrEqual(100 + 1e-9)
      previousLeft = b.leftPct
    }
  })

  it('uses the sum of phases when the total is smaller (clock skew) and ignores bad numbers', () => {
    const { totalMs, bars } = waterfallBars(
      t({ ttfb: 60, download: 40, total: 90, dns: Number.NaN, tls: -3 })
    )
    expect(totalMs).toBe(100)
    expect(bars.find((b) => b.phase === 'dns')?.durationMs).toBe(0)
    expect(bars.find((b) => b.phase === 'tls')?.durationMs).toBe(0)
  })

  it('handles an all-zero timing (a request refused before fetching)', () => {
    const { bars, totalMs } = waterfallBars(t({}))
    expect(totalMs).toBe(0)
    expect(bars.every((b) => b.widthPct === 0 && b.leftPct === 0)).toBe(true)
  })
})
