import { describe, expect, it } from 'vitest'
import {
  belowLimitSince,
  explainLimit,
  explanationDue,
  formatWait,
  hostCause,
  LIMIT_EXPLANATION_AFTER_MS,
  type LimitHost,
  type LimitSnapshot
} from '../../shared/limit-explanation.ts'

const NOW = 1_000_000

/** A host with work queued, nothing in flight, at the user's limit of 32, nothing holding it. */
function host(name: string, over: Partial<LimitHost> = {}): LimitHost {
  return {
    host: name,
    inFlight: 0,
    queued: 100,
    retrying: 0,
    currentLimit: 32,
    userLimit: 32,
    pausedUntil: null,
    pauseReason: null,
    gapMs: 0,
    pacing: null,
    nextStartAt: null,
    limitReason: null,
    ...over
  }
}

const retryAfter = (name: string, leftMs: number, over: Partial<LimitHost> = {}): LimitHost =>
  host(name, { pauseReason: 'retry-after', pausedUntil: NOW + leftMs, retrying: 5, ...over })
const full = (name: string, limit = 32): LimitHost =>
  host(name, { inFlight: limit, currentLimit: limit, userLimit: Math.max(limit, 32) })

function snapshot(over: Partial<LimitSnapshot>): LimitSnapshot {
  return {
    concurrency: 128,
    inFlight: 0,
    queued: 19_000,
    state: 'running',
    safeguardReason: null,
    hosts: [],
    now: NOW,
    ...over
  }
}

describe('explainLimit', () => {
  it('says nothing while in flight is at the global limit, or the run is over', () => {
    expect(explainLimit(snapshot({ inFlight: 128, hosts: [retryAfter('a', 4_000)] }))).toBeNull()
    expect(explainLimit(snapshot({ state: 'completed', hosts: [retryAfter('a', 4_000)] }))).toBeNull()
    expect(explainLimit(snapshot({ state: 'idle' }))).toBeNull()
  })

  it('Retry-After on every host (the 20k demo list run)', () => {
    const hosts = [retryAfter('a.test', 4_000), retryAfter('b.test', 11_200), retryAfter('c.test', 2_000)]
    expect(explainLimit(snapshot({ inFlight: 1, hosts }))).toBe(
      '1 of 128 in flight: all 3 hosts are paused by Retry-After for up to 12 s more.'
    )
  })

  it('Retry-After on two hosts, the third at its per-host limit', () => {
    const hosts = [retryAfter('a.test', 3_500), retryAfter('b.test', 3_900), full('c.test')]
    expect(explainLimit(snapshot({ inFlight: 32, hosts }))).toBe(
      '32 of 128 in flight: 2 of 3 hosts are paused by Retry-After for 4 s more; c.test is at its per-host limit 32.'
    )
  })

  it('names a single host paused by Retry-After, and the only host as such', () => {
    expect(
      explainLimit(
        snapshot({
          inFlight: 3,
          hosts: [retryAfter('a.test', 61_000), host('b.test', { inFlight: 3, queued: 0 })]
        })
      )
    ).toBe('3 of 128 in flight: a.test is paused by Retry-After for 1 min 1 s more.')
    expect(explainLimit(snapshot({ hosts: [retryAfter('a.test', 900)] }))).toBe(
      '0 of 128 in flight: the only host (a.test) is paused by Retry-After for 1 s more.'
    )
  })

  it('a pause that has just ended holds nothing back', () => {
    expect(explainLimit(snapshot({ hosts: [retryAfter('a.test', -10)] }))).toBeNull()
  })

  it('every host at its per-host limit: the limits add up to less than the global one', () => {
    const hosts = [full('a.test'), full('b.test'), full('c.test')]
    expect(explainLimit(snapshot({ inFlight: 96, hosts }))).toBe(
      '96 of 128 in flight: all 3 hosts are at their per-host limit 32 (3 × 32 = 96 at most).'
    )
    expect(explainLimit(snapshot({ inFlight: 32, hosts: [full('a.test')] }))).toBe(
      '32 of 128 in flight: the only host (a.test) is at its per-host limit 32 (1 × 32 = 32 at most).'
    )
  })

  it('a full host alongside hosts that may start at once is no cause (a slot just freed)', () => {
    expect(
      explainLimit(snapshot({ inFlight: 40, hosts: [full('a.test'), host('b.test', { inFlight: 8 })] }))
    ).toBeNull()
  })

  it('the list is nearly done, unless a host is held back (then that is why)', () => {
    const hosts = [host('a.test', { inFlight: 12, queued: 0 })]
    expect(explainLimit(snapshot({ inFlight: 12, queued: 0, hosts }))).toBe(
      '12 of 128 in flight: the list is nearly done: 12 URLs left.'
    )
    expect(
      explainLimit(
        snapshot({ inFlight: 0, queued: 1, hosts: [retryAfter('a.test', 2_000, { queued: 0, retrying: 1 })] })
      )
    ).toBe('0 of 128 in flight: the only host (a.test) is paused by Retry-After for 2 s more.')
  })

  it('min delay, the rate cap and Crawl-delay', () => {
    const paced = (name: string, pacing: LimitHost['pacing'], gapMs: number): LimitHost =>
      host(name, { inFlight: 1, pacing, gapMs, nextStartAt: NOW + 200 })
    expect(
      explainLimit(
        snapshot({ inFlight: 2, hosts: [paced('a', 'min-delay', 500), paced('b', 'min-delay', 500)] })
      )
    ).toBe('2 of 128 in flight: both hosts wait on min delay 500 ms per host.')
    expect(explainLimit(snapshot({ inFlight: 1, hosts: [paced('a', 'rate', 250)] }))).toBe(
      '1 of 128 in flight: the only host (a) waits on the rate cap (one request every 250 ms per host).'
    )
    expect(
      explainLimit(
        snapshot({
          inFlight: 1,
          hosts: [paced('a', 'crawl-delay', 2_000), host('b', { inFlight: 1, queued: 0 })]
        })
      )
    ).toBe('1 of 128 in flight: a waits on robots.txt Crawl-delay 2 s.')
    expect(explainLimit(snapshot({ inFlight: 1, hosts: [paced('a', 'crawl-delay-capped', 60_000)] }))).toBe(
      '1 of 128 in flight: the only host (a) waits on robots.txt Crawl-delay (capped at 60 s).'
    )
  })

  it('the adaptive limit lowered a host, with its reason', () => {
    const lowered = host('slow.test', {
      inFlight: 4,
      currentLimit: 4,
      userLimit: 32,
      limitReason: 'after three timeouts in 10 s'
    })
    expect(explainLimit(snapshot({ inFlight: 4, hosts: [lowered] }))).toBe(
      '4 of 128 in flight: the adaptive limit lowered slow.test to 4 after three timeouts in 10 s.'
    )
    const two = [lowered, { ...lowered, host: 'other.test' }]
    expect(explainLimit(snapshot({ inFlight: 8, hosts: two }))).toBe(
      '8 of 128 in flight: the adaptive limit lowered both hosts to 4 after three timeouts in 10 s.'
    )
  })

  it('retries asleep in backoff', () => {
    const hosts = [
      host('a.test', { queued: 0, retrying: 3, pauseReason: 'backoff', pausedUntil: NOW + 1_500 })
    ]
    expect(explainLimit(snapshot({ hosts }))).toBe(
      '0 of 128 in flight: the only host (a.test) waits on retry backoff for 2 s more.'
    )
  })

  it('combines causes in a fixed order: Retry-After, backoff, adaptive, pacing, full hosts', () => {
    const hosts = [
      full('full.test'),
      host('paced.test', { inFlight: 1, pacing: 'min-delay', gapMs: 500, nextStartAt: NOW + 100 }),
      retryAfter('throttled.test', 5_000),
      host('lowered.test', { inFlight: 2, currentLimit: 2, limitReason: 'after three 429s in 10 s' }),
      host('idle.test', { queued: 0 })
    ]
    expect(explainLimit(snapshot({ inFlight: 35, hosts }))).toBe(
      '35 of 128 in flight: throttled.test is paused by Retry-After for 5 s more; the adaptive limit lowered lowered.test to 2 after three 429s in 10 s; paced.test waits on min delay 500 ms per host; full.test is at its per-host limit 32.'
    )
  })

  it('a paused run: by the safeguard (with its reason) or by hand', () => {
    expect(
      explainLimit(snapshot({ state: 'paused', safeguardReason: '60% of the last 100 requests failed' }))
    ).toBe('The failure safeguard paused the run: 60% of the last 100 requests failed.')
    expect(explainLimit(snapshot({ state: 'paused' }))).toBe(
      'The run is paused: nothing new starts until it is resumed.'
    )
  })

  it('hosts with no work left count for nothing', () => {
    const idle = host('done.test', { queued: 0 })
    expect(hostCause(idle, NOW)).toBeNull()
    expect(explainLimit(snapshot({ inFlight: 1, hosts: [retryAfter('a.test', 2_000), idle] }))).toBe(
      '1 of 128 in flight: the only host (a.test) is paused by Retry-After for 2 s more.'
    )
  })
})

describe('when the sentence shows', () => {
  it(`appears after ${String(LIMIT_EXPLANATION_AFTER_MS)} ms below the limit and goes when in flight is back at it`, () => {
    let since = belowLimitSince(null, 10, 128, 0)
    expect(since).toBe(0)
    since = belowLimitSince(since, 20, 128, 2_999)
    expect(explanationDue(since, 2_999)).toBe(false)
    since = belowLimitSince(since, 5, 128, 3_000)
    expect(explanationDue(since, 3_000)).toBe(true)
    since = belowLimitSince(since, 128, 128, 3_100)
    expect(since).toBeNull()
    expect(explanationDue(since, 3_100)).toBe(false)
    // Below again: the wait starts over.
    since = belowLimitSince(since, 1, 128, 4_000)
    expect(explanationDue(since, 6_000)).toBe(false)
    expect(explanationDue(since, 7_000)).toBe(true)
  })
})

describe('formatWait', () => {
  it('rounds up to the second', () => {
    expect([
      formatWait(1),
      formatWait(4_000),
      formatWait(59_001),
      formatWait(120_000),
      formatWait(3_723_000)
    ]).toEqual(['1 s', '4 s', '1 min', '2 min', '1 h 2 min'])
  })
})
