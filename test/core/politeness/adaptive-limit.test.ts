import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../../shared/errors.ts'
import {
  adaptiveSignalOf,
  AdaptiveLimiter,
  type AdaptiveSignal
} from '../../../electron/core/politeness/adaptive-limit.ts'

type Event = readonly [at: number, signal: AdaptiveSignal, latencyMs: number | null]

const H = 'shop.example'

/** `signal` every `stepMs` from `from` (inclusive) to `to` (exclusive). */
function every(
  from: number,
  to: number,
  stepMs: number,
  signal: AdaptiveSignal,
  latencyMs: number | null = 40
) {
  const events: Event[] = []
  for (let at = from; at < to; at += stepMs) events.push([at, signal, latencyMs])
  return events
}

const at =
  (...times: number[]) =>
  (signal: AdaptiveSignal) =>
    times.map((t): Event => [t, signal, null])

/** Feeds the events in order; returns each decision as "at: reason". */
function play(limiter: AdaptiveLimiter, events: readonly Event[], host = H): string[] {
  const log: string[] = []
  for (const [t, signal, latency] of events) {
    const decision = limiter.noteResult(host, signal, latency, t)
    if (decision) log.push(`${decision.at}: ${decision.reason}`)
  }
  return log
}

describe('adaptiveSignalOf', () => {
  it.each([
    [200, null, 'ok'],
    [404, 'HTTP_STATUS', 'ok'],
    [500, 'HTTP_STATUS', 'ok'],
    [429, 'HTTP_STATUS', 'http-429'],
    [503, 'HTTP_STATUS', 'http-503'],
    [null, 'TIMEOUT_HEADERS', 'timeout'],
    [null, 'TIMEOUT_CONNECT', 'timeout'],
    [200, 'TIMEOUT_BODY', 'timeout'],
    [null, 'CONNECT_REFUSED', 'other-failure'],
    [null, 'DNS', 'other-failure']
  ] as [number | null, ErrorCode | null, AdaptiveSignal][])(
    'status %j, code %j → %s',
    (status, code, expected) => {
      expect(adaptiveSignalOf(status, code)).toBe(expected)
    }
  )
})

describe('AdaptiveLimiter: decisions', () => {
  const cases: [string, number, Event[], string[], number][] = [
    [
      'a burst of 429s halves the limit once; in-flight echoes during the cooldown do not count',
      8,
      [...at(0, 1_000, 2_000)('http-429'), ...at(2_100, 2_200, 2_300, 4_000, 6_999)('http-429')],
      ['2000: shop.example: 8 → 4 after three 429s in 10 s'],
      4
    ],
    [
      'a burst that goes on backs off again after each cooldown, down to 1 and no further',
      8,
      [
        ...at(0, 10, 20)('http-429'),
        ...at(5_020, 5_030, 5_040)('http-429'),
        ...at(10_040, 10_050, 10_060)('http-429'),
        ...at(15_060, 15_070, 15_080)('http-429')
      ],
      [
        '20: shop.example: 8 → 4 after three 429s in 10 s',
        '5040: shop.example: 4 → 2 after three 429s in 10 s',
        '10060: shop.example: 2 → 1 after three 429s in 10 s'
      ],
      1
    ],
    [
      'signals spread wider than the window do not add up',
      8,
      [...at(0, 6_000, 12_000)('http-429'), ...at(15_000)('http-429')],
      ['15000: shop.example: 8 → 4 after three 429s in 10 s'],
      4
    ],
    ['timeouts', 6, at(0, 100, 200)('timeout'), ['200: shop.example: 6 → 3 after three timeouts in 10 s'], 3],
    [
      'mixed signals',
      5,
      [
        [0, 'http-429', null],
        [1, 'http-503', null],
        [2, 'timeout', null],
        [3, 'http-503', null]
      ],
      ['2: shop.example: 5 → 2 after three throttling signals (one 429, one 503, one timeout) in 10 s'],
      2
    ],
    [
      'refused connections and plain errors are no throttling signal',
      8,
      [...at(0, 1, 2, 3)('other-failure'), ...at(4, 5)('http-503')],
      [],
      8
    ],
    [
      'slow recovery: +1 per healthy 20 s, up to the user limit and no further',
      8,
      [...at(0, 1, 2)('http-429'), ...every(10_000, 110_000, 1_000, 'ok', 38)],
      [
        '2: shop.example: 8 → 4 after three 429s in 10 s',
        '30000: shop.example: 4 → 5: healthy for 20 s (p50 38 ms)',
        '50000: shop.example: 5 → 6: healthy for 20 s (p50 38 ms)',
        '70000: shop.example: 6 → 7: healthy for 20 s (p50 38 ms)',
        '90000: shop.example: 7 → 8: healthy for 20 s (p50 38 ms)'
      ],
      8
    ],
    ['a host at the user limit stays there however healthy', 4, every(0, 120_000, 500, 'ok', 20), [], 4],
    [
      'too few answers in the period: no growth',
      8,
      [...at(0, 1, 2)('http-429'), ...every(10_000, 100_000, 5_000, 'ok', 40)],
      ['2: shop.example: 8 → 4 after three 429s in 10 s'],
      4
    ],
    [
      'a throttling signal restarts the healthy period',
      8,
      [
        ...at(0, 1, 2)('http-429'),
        ...every(10_000, 25_000, 500, 'ok', 40),
        [25_000, 'http-503', null],
        ...every(25_500, 50_000, 500, 'ok', 40)
      ],
      [
        '2: shop.example: 8 → 4 after three 429s in 10 s',
        '45500: shop.example: 4 → 5: healthy for 20 s (p50 40 ms)'
      ],
      5
    ],
    [
      'a period with p50 above 2× the baseline does not grow the limit',
      8,
      [
        ...at(0, 1, 2)('http-429'),
        ...every(10_000, 31_000, 1_000, 'ok', 40),
        ...every(31_000, 52_000, 1_000, 'ok', 100),
        ...every(52_000, 73_000, 1_000, 'ok', 75)
      ],
      [
        '2: shop.example: 8 → 4 after three 429s in 10 s',
        '30000: shop.example: 4 → 5: healthy for 20 s (p50 40 ms)',
        '70000: shop.example: 5 → 6: healthy for 20 s (p50 75 ms)'
      ],
      6
    ]
  ]

  it.each(cases)('%s', (_name, userLimit, events, expected, finalLimit) => {
    const limiter = new AdaptiveLimiter(userLimit)
    expect(play(limiter, events)).toEqual(expected)
    expect(limiter.limit(H)).toBe(finalLimit)
  })

  it('every decision carries host, from, to and time', () => {
    const limiter = new AdaptiveLimiter(8)
    play(limiter, at(0, 1)('http-429'))
    expect(limiter.noteResult(H, 'http-429', null, 2)).toEqual({
      host: H,
      from: 8,
      to: 4,
      at: 2,
      kind: 'decrease',
      reason: 'shop.example: 8 → 4 after three 429s in 10 s'
    })
  })

  it('hosts are independent', () => {
    const limiter = new AdaptiveLimiter(8)
    expect(play(limiter, at(0, 1, 2)('http-429'), 'a.example')).toHaveLength(1)
    expect(play(limiter, at(0, 1)('http-429'), 'b.example')).toEqual([])
    expect(limiter.limits()).toEqual([
      { host: 'a.example', limit: 4 },
      { host: 'b.example', limit: 8 }
    ])
    expect(limiter.limit('never-seen.example')).toBe(8)
  })
})

describe('AdaptiveLimiter: the user changes the per-host limit', () => {
  it('lowering it below a host’s value lowers the host at once and caps its recovery', () => {
    const limiter = new AdaptiveLimiter(8)
    play(limiter, every(0, 5_000, 500, 'ok'), 'steady.example')
    play(limiter, at(0, 1, 2)('http-429'), 'busy.example')
    play(limiter, [...at(10, 11, 12)('http-429'), ...at(6_000, 6_001, 6_002)('http-429')], 'slow.example')
    expect(limiter.limits().map((l) => l.limit)).toEqual([8, 4, 2])

    const decisions = limiter.setUserLimit(3, 7_000)
    expect(decisions.map((d) => d.reason)).toEqual([
      'steady.example: 8 → 3: per-host limit lowered to 3',
      'busy.example: 4 → 3: per-host limit lowered to 3'
    ])
    expect(decisions[0]).toMatchObject({
      host: 'steady.example',
      from: 8,
      to: 3,
      at: 7_000,
      kind: 'user-limit'
    })
    expect(limiter.limit('slow.example')).toBe(2)
    expect(limiter.limit('new.example')).toBe(3)

    expect(play(limiter, every(10_000, 100_000, 1_000, 'ok', 30), 'slow.example')).toEqual([
      '30000: slow.example: 2 → 3: healthy for 20 s (p50 30 ms)'
    ])
    expect(limiter.limit('slow.example')).toBe(3)
  })

  it('raising it lets hosts grow one step per healthy period, not jump', () => {
    const limiter = new AdaptiveLimiter(2)
    expect(play(limiter, every(0, 30_000, 1_000, 'ok', 50))).toEqual([])
    expect(limiter.setUserLimit(4, 30_000)).toEqual([])
    expect(play(limiter, every(30_000, 80_000, 1_000, 'ok', 50))).toEqual([
      '40000: shop.example: 2 → 3: healthy for 20 s (p50 50 ms)',
      '60000: shop.example: 3 → 4: healthy for 20 s (p50 50 ms)'
    ])
  })

  it.each([0, -1, 2.5, Number.NaN])('refuses a limit of %s', (limit) => {
    expect(() => new AdaptiveLimiter(limit)).toThrow(RangeError)
    expect(() => new AdaptiveLimiter(4).setUserLimit(limit, 0)).toThrow(RangeError)
  })
})
