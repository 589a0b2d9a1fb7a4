import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../../shared/errors.ts'
import {
  FailureSafeguard,
  type SafeguardOptions,
  type SafeguardSample
} from '../../../electron/core/politeness/failure-safeguard.ts'

type Step = readonly [at: number, sample: SafeguardSample]

const ok = (host = 'shop.example'): SafeguardSample => ({ host, failure: null })
const fail = (code: ErrorCode, host = 'shop.example', status?: number): SafeguardSample => ({
  host,
  failure: status === undefined ? { code } : { code, status }
})

/** `n` copies of a sample, one every `stepMs` from `from`. */
const times = (n: number, sample: SafeguardSample, from = 0, stepMs = 10): Step[] =>
  Array.from({ length: n }, (_, i) => [from + i * stepMs, sample] as const)

/** Deterministic mix: each list's items evenly spread over the whole sequence, so every prefix has about the final shares. */
function spread(...lists: SafeguardSample[][]): SafeguardSample[] {
  return lists
    .flatMap((list) => list.map((sample, j) => ({ sample, key: (j + 0.5) / list.length })))
    .sort((a, b) => a.key - b.key)
    .map(({ sample }) => sample)
}

/** Feeds the steps; returns [index, reason] of every trip. */
function play(guard: FailureSafeguard, steps: readonly Step[]): [number, string][] {
  const trips: [number, string][] = []
  steps.forEach(([at, sample], index) => {
    const verdict = guard.note(sample, at)
    if (verdict.trip) trips.push([index, verdict.reason])
  })
  return trips
}

const fill = (n: number, sample: SafeguardSample): SafeguardSample[] =>
  Array.from({ length: n }, () => sample)
const at10ms = (samples: SafeguardSample[]): Step[] => samples.map((s, i) => [i * 10, s] as const)

describe('FailureSafeguard', () => {
  const cases: [string, Partial<SafeguardOptions>, Step[], [number, string][]][] = [
    ['the first failures of a run do not pause it', {}, times(2, fail('CONNECT_REFUSED')), []],
    [
      'the minimum sample size reached: all failed',
      {},
      times(25, fail('CONNECT_REFUSED')),
      [
        [
          19,
          'Paused: 100% of the last 20 requests failed (threshold 50%); most were CONNECT_REFUSED on shop.example'
        ]
      ]
    ],
    [
      'judged only once 200 results are in: 62% failed, mostly one host refusing',
      { minResults: 200 },
      at10ms(
        spread(
          fill(76, ok('shop.example')),
          fill(100, fail('CONNECT_REFUSED', 'shop.example')),
          fill(24, fail('TIMEOUT_HEADERS', 'cdn.example'))
        )
      ),
      [
        [
          199,
          'Paused: 62% of the last 200 requests failed (threshold 50%); most were CONNECT_REFUSED on shop.example'
        ]
      ]
    ],
    ['below the threshold: no pause', {}, at10ms(spread(fill(300, ok()), fill(190, fail('RESET')))), []],
    [
      'HTTP statuses are named, and a cause spread over hosts says so',
      {},
      at10ms(
        spread(
          fill(10, ok()),
          fill(4, fail('HTTP_STATUS', 'a.example', 503)),
          fill(4, fail('HTTP_STATUS', 'b.example', 503)),
          fill(4, fail('HTTP_STATUS', 'c.example', 503))
        )
      ),
      [[19, 'Paused: 55% of the last 20 requests failed (threshold 50%); most were HTTP 503 across 3 hosts']]
    ],
    [
      'robots.txt refusals, cancellations and bad input are not failures of the target',
      {},
      [
        ...times(50, fail('ROBOTS_DISALLOWED')),
        ...times(50, fail('ABORTED'), 500),
        ...times(50, fail('INVALID_URL'), 1_000)
      ],
      []
    ],
    [
      'failures older than the window fall out of it',
      {},
      [...times(15, fail('RESET')), ...times(15, ok(), 61_000), ...times(10, fail('RESET'), 61_200)],
      []
    ],
    [
      'without the time bound the same run would pause',
      { windowMs: 3_600_000 },
      [...times(15, fail('RESET')), ...times(15, ok(), 61_000), ...times(10, fail('RESET'), 61_200)],
      [[19, 'Paused: 75% of the last 20 requests failed (threshold 50%); most were RESET on shop.example']]
    ],
    ['switched off', { thresholdPercent: null }, times(500, fail('DNS')), []]
  ]

  it.each(cases)('%s', (_name, options, steps, expected) => {
    expect(play(new FailureSafeguard(options), steps)).toEqual(expected)
  })

  it('the most common cause below half of failures is named with its share', () => {
    const guard = new FailureSafeguard({ thresholdPercent: 50, minResults: 20 })
    const samples = spread(
      fill(8, fail('TIMEOUT_HEADERS', 'a.example')),
      fill(6, fail('RESET', 'b.example')),
      fill(6, fail('DNS', 'c.example'))
    )
    const trips = play(guard, at10ms(samples))
    expect(trips).toEqual([
      [
        19,
        'Paused: 100% of the last 20 requests failed (threshold 50%); the most common was TIMEOUT_HEADERS (40% of failures) on a.example'
      ]
    ])
  })

  it('trips once, then stays quiet until rearmed; rearming judges the run afresh', () => {
    const guard = new FailureSafeguard()
    expect(play(guard, times(20, fail('RESET')))).toHaveLength(1)
    expect(guard.tripped).toBe(true)
    expect(play(guard, times(100, fail('RESET'), 1_000))).toEqual([])

    guard.rearm()
    expect(guard.tripped).toBe(false)
    expect(guard.window(3_000)).toEqual({ failed: 0, total: 0, failedPercent: 0 })
    expect(play(guard, times(19, fail('RESET'), 3_000))).toEqual([])
    const verdict = guard.note(fail('RESET'), 4_000)
    expect(verdict).toMatchObject({
      trip: true,
      failed: 20,
      total: 20,
      failedPercent: 100,
      topCause: 'RESET'
    })
  })

  it('the window holds the last windowResults results', () => {
    const guard = new FailureSafeguard({ thresholdPercent: null })
    play(guard, [...times(150, fail('RESET')), ...times(150, ok(), 2_000)])
    expect(guard.window(3_500)).toEqual({ failed: 50, total: 200, failedPercent: 25 })
    expect(guard.window(62_500)).toEqual({ failed: 0, total: 99, failedPercent: 0 })
  })

  it('a live change of threshold or window applies to the next result', () => {
    const guard = new FailureSafeguard()
    expect(play(guard, at10ms(spread(fill(30, ok()), fill(10, fail('DNS')))))).toEqual([])
    guard.setOptions({ thresholdPercent: 25 })
    expect(guard.note(ok(), 400)).toEqual({ trip: false })
    expect(guard.note(fail('DNS'), 410)).toMatchObject({
      trip: true,
      reason: 'Paused: 26% of the last 42 requests failed (threshold 25%); most were DNS on shop.example'
    })
  })

  it('shrinking the window keeps its latest results', () => {
    const guard = new FailureSafeguard({ thresholdPercent: null })
    play(guard, [...times(30, ok()), ...times(10, fail('DNS'), 300)])
    guard.setOptions({ windowResults: 10 })
    expect(guard.window(500)).toEqual({ failed: 10, total: 10, failedPercent: 100 })
  })

  it.each([
    [{ thresholdPercent: 0 }, /thresholdPercent/],
    [{ thresholdPercent: 101 }, /thresholdPercent/],
    [{ windowResults: 0 }, /windowResults/],
    [{ windowMs: 0 }, /windowMs/],
    [{ minResults: 1.5 }, /minResults/]
  ])('refuses %j', (options, message) => {
    expect(() => new FailureSafeguard(options)).toThrow(message)
  })
})
