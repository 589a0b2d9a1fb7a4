import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, pickLive } from '../../../shared/config.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import { Politeness, type PolitenessSettings } from '../../../electron/core/politeness/politeness.ts'

/**
 * The politeness unit as the engine drives it: the scheduler's pacing and host limits, a host's
 * Crawl-delay, the adaptive limit fed attempts, the safeguard fed results, and live changes.
 */

const H = 'shop.example'
const settings = (over: Partial<PolitenessSettings> = {}): PolitenessSettings => ({
  ...pickLive(DEFAULT_CONFIG),
  ...over
})
const failed = (code: ErrorCode, host = H) => ({ host, error: { code } })
const ok = (host = H) => ({ host, error: null })

/** Starts `n` requests on one host as early as the pacing allows; returns their start times. */
function starts(p: Politeness, n: number, host = H): number[] {
  const out: number[] = []
  let now = 0
  for (let i = 0; i < n; i++) {
    now = p.earliestStart(host, now)
    p.noteStart(host, now)
    out.push(now)
  }
  return out
}

describe('Politeness: pacing', () => {
  it.each([
    ['nothing set: back to back', {}, null, [0, 0, 0]],
    ['Min delay', { perHostMinDelayMs: 250 }, null, [0, 250, 500]],
    ['a rate cap as an even spacing', { perHostMaxRequestsPerSecond: 3 }, null, [0, 334, 668]],
    ['a Crawl-delay above the Min delay wins', { perHostMinDelayMs: 100 }, 2_000, [0, 2_000, 4_000]],
    ['a huge Crawl-delay is capped', { maxCrawlDelayMs: 5_000 }, 86_400_000, [0, 5_000, 10_000]]
  ] as const)('%s', (_name, over, crawlDelayMs, expected) => {
    const p = new Politeness(settings(over))
    if (crawlDelayMs !== null) p.setCrawlDelay(H, crawlDelayMs)
    expect(starts(p, 3)).toEqual(expected)
    expect(starts(p, 1, 'other.example')).toEqual([0])
  })

  it('a live change of the gap applies to the next start', () => {
    const p = new Politeness(settings({ perHostMinDelayMs: 1_000 }))
    p.noteStart(H, 0)
    expect(p.earliestStart(H, 10)).toBe(1_000)
    p.update(settings({ perHostMinDelayMs: 100 }), 10)
    expect(p.earliestStart(H, 10)).toBe(100)
  })

  it('the hosts view shows the Crawl-delay honoured, capped', () => {
    const p = new Politeness(settings({ maxCrawlDelayMs: 3_000 }))
    expect(p.hostView(H, 6, 0)).toMatchObject({
      currentLimit: 6,
      crawlDelayMs: null,
      gapMs: 0,
      gapSource: 'none'
    })
    p.setCrawlDelay(H, 10_000)
    expect(p.hostView(H, 6, 0)).toMatchObject({
      currentLimit: 6,
      crawlDelayMs: 3_000,
      gapMs: 3_000,
      gapSource: 'crawl-delay-capped'
    })
  })

  it('the hosts view says when pacing holds the next start on a host, and by which setting', () => {
    const p = new Politeness(settings({ perHostMinDelayMs: 500 }))
    expect(p.hostView(H, 6, 1_000)).toMatchObject({ gapMs: 500, gapSource: 'min-delay', nextStartAt: null })
    p.noteStart(H, 1_000)
    expect(p.hostView(H, 6, 1_200).nextStartAt).toBe(1_500)
    expect(p.hostView(H, 6, 1_500).nextStartAt).toBeNull()
  })
})

describe('Politeness: adaptive limit', () => {
  it('off: no host limit of its own, and attempts change nothing', () => {
    const p = new Politeness(settings({ adaptiveConcurrency: false }))
    for (let i = 0; i < 5; i++) expect(p.noteAttempt(H, 429, 'HTTP_STATUS', 10, i)).toBeNull()
    expect(p.hostLimit(H)).toBe(Number.POSITIVE_INFINITY)
  })

  it('on: three 429s halve the host, said in words; a cancelled attempt says nothing', () => {
    const p = new Politeness(settings({ adaptiveConcurrency: true, perHostConcurrency: 8 }))
    expect(p.noteAttempt(H, null, 'ABORTED', 10, 0)).toBeNull()
    expect(p.noteAttempt(H, 429, 'HTTP_STATUS', 10, 1)).toBeNull()
    expect(p.noteAttempt(H, 429, 'HTTP_STATUS', 10, 2)).toBeNull()
    const decision = p.noteAttempt(H, 429, 'HTTP_STATUS', 10, 3)
    expect(decision).toMatchObject({ host: H, from: 8, to: 4, kind: 'decrease' })
    expect(decision?.reason).toBe(`${H}: 8 → 4 after three 429s in 10 s`)
    expect(p.hostLimit(H)).toBe(4)
    expect(p.hostView(H, 8, 3)).toMatchObject({ currentLimit: 4, limitReason: 'after three 429s in 10 s' })
  })

  it.each([
    ['turned on live: hosts start at the user limit', false, true, 8, 8, [], 8],
    ['turned off live: no limit of its own', true, false, 8, 8, [], Number.POSITIVE_INFINITY],
    ['user limit lowered below a host: it comes down, as a decision', true, true, 8, 2, [[H, 4, 2]], 2],
    ['user limit raised: no host goes up by itself', true, true, 8, 16, [], 4]
  ] as const)('%s', (_name, before, after, userBefore, userAfter, decisions, limit) => {
    const p = new Politeness(settings({ adaptiveConcurrency: before, perHostConcurrency: userBefore }))
    for (let i = 0; i < 3; i++) p.noteAttempt(H, 503, 'HTTP_STATUS', 10, i)
    const made = p.update(settings({ adaptiveConcurrency: after, perHostConcurrency: userAfter }), 100)
    expect(made.map((d) => [d.host, d.from, d.to])).toEqual(decisions)
    expect(p.hostLimit(H)).toBe(limit)
  })
})

describe('Politeness: failure safeguard', () => {
  const feed = (p: Politeness, n: number, sample: ReturnType<typeof failed | typeof ok>, from = 0) => {
    const reasons: string[] = []
    for (let i = 0; i < n; i++) {
      const reason = p.noteResult(sample, from + i)
      if (reason !== null) reasons.push(reason)
    }
    return reasons
  }

  it('trips once when most results fail, then stays quiet until rearmed', () => {
    const p = new Politeness(settings({ failureSafeguardPercent: 50 }))
    const reasons = feed(p, 40, failed('CONNECT_REFUSED'))
    expect(reasons).toEqual([
      'Paused: 100% of the last 20 requests failed (threshold 50%); most were CONNECT_REFUSED on shop.example'
    ])
    p.rearm()
    expect(feed(p, 19, failed('CONNECT_REFUSED'), 100)).toEqual([])
    expect(feed(p, 1, failed('CONNECT_REFUSED'), 200)).toHaveLength(1)
  })

  it.each([
    ['off (null threshold)', null, failed('CONNECT_REFUSED'), 0],
    ['robots.txt refusals say nothing about the target', 50, failed('ROBOTS_DISALLOWED'), 0],
    ['successes', 50, ok(), 0]
  ] as const)('never trips on %s', (_name, threshold, sample, trips) => {
    const p = new Politeness(settings({ failureSafeguardPercent: threshold }))
    expect(feed(p, 100, sample)).toHaveLength(trips)
  })

  it('turned off live, it stops judging; turned on again, it judges', () => {
    const p = new Politeness(settings({ failureSafeguardPercent: 50 }))
    p.update(settings({ failureSafeguardPercent: null }), 0)
    expect(feed(p, 30, failed('RESET'))).toEqual([])
    p.update(settings({ failureSafeguardPercent: 50 }), 0)
    expect(feed(p, 20, failed('RESET'), 50)).toHaveLength(1)
  })
})
