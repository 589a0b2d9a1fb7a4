import { describe, expect, it } from 'vitest'
import {
  HostPacer,
  PACING_DEFAULTS,
  pacingGap,
  type PacingPolicy,
  type PacingSource
} from '../../../electron/core/politeness/host-pacing.ts'

/**
 * Pacing as a scheduler would drive it: every request is ready at its arrival time and starts as
 * soon as the pacer lets it; the tests measure the gaps between starts on each host.
 */
function simulate(pacer: HostPacer, arrivals: readonly (readonly [host: string, at: number])[]) {
  const starts = new Map<string, number[]>()
  const pending = arrivals.map(([host, at]) => ({ host, at }))
  let now = 0
  // One start per step: bounded by the number of requests.
  for (let step = 0; step < arrivals.length; step += 1) {
    let index = -1
    let at = Number.POSITIVE_INFINITY
    for (const [i, request] of pending.entries()) {
      const earliest = pacer.earliestStart(request.host, Math.max(now, request.at))
      if (earliest < at) {
        index = i
        at = earliest
      }
    }
    const [request] = pending.splice(index, 1)
    if (!request) break
    now = at
    pacer.noteStart(request.host, now)
    starts.set(request.host, [...(starts.get(request.host) ?? []), now])
  }
  return starts
}

const gaps = (times: readonly number[] | undefined): number[] =>
  (times ?? []).slice(1).map((t, i) => t - (times?.[i] ?? 0))

const burst = (host: string, n: number, at = 0): [string, number][] =>
  Array.from({ length: n }, () => [host, at] as [string, number])

describe('pacingGap', () => {
  const cases: [string, Partial<PacingPolicy>, number, PacingSource, string][] = [
    ['nothing set', {}, 0, 'none', 'shop.example: not paced'],
    [
      'min delay',
      { minDelayMs: 250 },
      250,
      'min-delay',
      'shop.example: one request every 250 ms (Min delay)'
    ],
    [
      'rate',
      { maxRequestsPerSecond: 4 },
      250,
      'rate',
      'shop.example: one request every 250 ms (at most 4 requests/s)'
    ],
    [
      'a rate that does not divide 1000 rounds the gap up, never above the rate',
      { maxRequestsPerSecond: 3 },
      334,
      'rate',
      'shop.example: one request every 334 ms (at most 3 requests/s)'
    ],
    [
      'min delay above the rate gap',
      { minDelayMs: 500, maxRequestsPerSecond: 10 },
      500,
      'min-delay',
      'shop.example: one request every 500 ms (Min delay)'
    ],
    [
      'rate above the min delay',
      { minDelayMs: 50, maxRequestsPerSecond: 2 },
      500,
      'rate',
      'shop.example: one request every 500 ms (at most 2 requests/s)'
    ],
    [
      'Crawl-delay above both',
      { minDelayMs: 250, maxRequestsPerSecond: 5, crawlDelayMs: 2_000 },
      2_000,
      'crawl-delay',
      'shop.example: one request every 2000 ms (robots.txt Crawl-delay: 2 s)'
    ],
    [
      'Crawl-delay below the min delay',
      { minDelayMs: 1_000, crawlDelayMs: 500 },
      1_000,
      'min-delay',
      'shop.example: one request every 1000 ms (Min delay)'
    ],
    [
      'Crawl-delay ties go to robots.txt',
      { minDelayMs: 1_500, crawlDelayMs: 1_500 },
      1_500,
      'crawl-delay',
      'shop.example: one request every 1500 ms (robots.txt Crawl-delay: 1.5 s)'
    ],
    [
      'a hostile Crawl-delay is capped',
      { crawlDelayMs: 3_600_000 },
      60_000,
      'crawl-delay-capped',
      'shop.example: one request every 60000 ms: robots.txt asks for Crawl-delay: 3600 s, capped at 60 s (Max crawl delay) so one host cannot stall the run'
    ],
    [
      'a lower cap',
      { crawlDelayMs: 30_000, maxCrawlDelayMs: 5_000, minDelayMs: 100 },
      5_000,
      'crawl-delay-capped',
      'shop.example: one request every 5000 ms: robots.txt asks for Crawl-delay: 30 s, capped at 5 s (Max crawl delay) so one host cannot stall the run'
    ],
    ['Crawl-delay: 0', { crawlDelayMs: 0 }, 0, 'none', 'shop.example: not paced']
  ]

  it.each(cases)('%s', (_name, policy, gapMs, source, reason) => {
    expect(pacingGap('shop.example', { ...PACING_DEFAULTS, ...policy })).toEqual({ gapMs, source, reason })
  })
})

describe('HostPacer: measured gaps', () => {
  it.each([
    ['no pacing: a burst starts at once', {}, [0, 0, 0, 0]],
    ['min delay 250 ms', { minDelayMs: 250 }, [250, 250, 250, 250]],
    ['4 requests/s', { maxRequestsPerSecond: 4 }, [250, 250, 250, 250]],
    [
      'Crawl-delay 2 s over a 250 ms min delay',
      { minDelayMs: 250, crawlDelayMs: 2_000 },
      [2_000, 2_000, 2_000, 2_000]
    ],
    ['Crawl-delay 1 h capped at 60 s', { crawlDelayMs: 3_600_000 }, [60_000, 60_000, 60_000, 60_000]]
  ] as const)('%s', (_name, policy, expected) => {
    const starts = simulate(new HostPacer(policy), burst('a.example', 5))
    expect(gaps(starts.get('a.example'))).toEqual(expected)
  })

  it('never exceeds the rate in any one-second window', () => {
    const starts = simulate(new HostPacer({ maxRequestsPerSecond: 3 }), burst('a.example', 30))
    const times = starts.get('a.example') ?? []
    expect(times).toHaveLength(30)
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(3)
    expect(times.at(-1)).toBe(29 * 334)
  })

  it('paces hosts independently: a slow host does not hold back a fast one', () => {
    const pacer = new HostPacer({ minDelayMs: 100 })
    pacer.setPolicy('slow.example', { crawlDelayMs: 1_000 })
    const starts = simulate(pacer, [...burst('slow.example', 3), ...burst('fast.example', 6)])
    expect(starts.get('slow.example')).toEqual([0, 1_000, 2_000])
    expect(starts.get('fast.example')).toEqual([0, 100, 200, 300, 400, 500])
  })

  it('an idle host starts at once when work comes back, with no catch-up burst', () => {
    const pacer = new HostPacer({ minDelayMs: 300 })
    const starts = simulate(pacer, [['a.example', 0], ...burst('a.example', 3, 5_000)])
    expect(starts.get('a.example')).toEqual([0, 5_000, 5_300, 5_600])
  })

  it('a live change applies to the next start', () => {
    const pacer = new HostPacer({ minDelayMs: 100 })
    pacer.noteStart('a.example', 0)
    expect(pacer.earliestStart('a.example', 10)).toBe(100)
    pacer.setDefaults({ minDelayMs: 1_000 })
    expect(pacer.earliestStart('a.example', 10)).toBe(1_000)
    pacer.setPolicy('a.example', { crawlDelayMs: 4_000 })
    expect(pacer.earliestStart('a.example', 10)).toBe(4_000)
    expect(pacer.earliestStart('b.example', 10)).toBe(10)
    expect(pacer.gap('a.example').source).toBe('crawl-delay')
    pacer.setPolicy('a.example', { crawlDelayMs: null })
    expect(pacer.gap('a.example')).toMatchObject({ gapMs: 1_000, source: 'min-delay' })
  })

  it('spaces from the latest start even when one started early', () => {
    const pacer = new HostPacer({ minDelayMs: 500 })
    pacer.noteStart('a.example', 1_000)
    pacer.noteStart('a.example', 1_200)
    expect(pacer.earliestStart('a.example', 1_300)).toBe(1_700)
    // A late note for an earlier time does not pull the next start forward.
    pacer.noteStart('a.example', 900)
    expect(pacer.earliestStart('a.example', 1_300)).toBe(1_700)
  })

  it.each([
    [{ minDelayMs: -1 }, /minDelayMs/],
    [{ maxRequestsPerSecond: 0 }, /maxRequestsPerSecond/],
    [{ maxRequestsPerSecond: Number.POSITIVE_INFINITY }, /maxRequestsPerSecond/],
    [{ crawlDelayMs: Number.NaN }, /crawlDelayMs/],
    [{ maxCrawlDelayMs: -5 }, /maxCrawlDelayMs/]
  ])('refuses %j', (policy, message) => {
    expect(() => new HostPacer(policy)).toThrow(message)
    expect(() => {
      new HostPacer().setPolicy('a.example', policy)
    }).toThrow(message)
  })
})
