import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../shared/errors.ts'
import type { RunState } from '../../shared/events.ts'
import { RunStats, type LiveCounts, type RunStatsData, type StatsResult } from '../../shared/stats.ts'
import { result as fixtureResult } from '../helpers/fixtures.ts'

const T0 = Date.parse('2026-11-22T12:00:00Z')

interface Res {
  /** ms after T0 when the result became final. */
  at: number
  ok?: boolean
  status?: number | null
  code?: ErrorCode
  latency?: number
  attempts?: number
  bytes?: number
}

function result(r: Res): StatsResult {
  // RunStats reads no id or URL: the results may all share one.
  return fixtureResult({
    id: 0,
    ok: r.ok,
    status: r.status,
    code: r.code,
    message: r.code,
    phase: 'connect',
    totalMs: r.latency ?? 100,
    bytes: r.bytes ?? 1_000,
    startedAt: T0 + r.at - (r.latency ?? 100),
    finishedAt: T0 + r.at,
    attempts: r.attempts
  })
}

type Step = Res | { pause: number } | { resume: number } | { retryScheduled: true } | { setTotal: number }

function run(total: number, steps: readonly Step[]): RunStats {
  const s = new RunStats({ runId: 'r1', total, startedAt: T0 })
  for (const step of steps) {
    if ('pause' in step) s.notePaused(T0 + step.pause)
    else if ('resume' in step) s.noteResumed(T0 + step.resume)
    else if ('retryScheduled' in step) s.noteRetryScheduled()
    else if ('setTotal' in step) s.setTotal(step.setTotal)
    else s.recordResult(result(step))
  }
  return s
}

function live(now: number, state: RunState = 'running', finishedAt?: number, queued = 3): LiveCounts {
  return {
    state,
    inFlight: 2,
    queued,
    waitingRetry: 1,
    now: T0 + now,
    finishedAt: finishedAt === undefined ? null : T0 + finishedAt
  }
}

/** n results spread evenly over [fromMs, toMs). */
function spread(n: number, fromMs: number, toMs: number, extra: Partial<Res> = {}): Res[] {
  return Array.from({ length: n }, (_, i) => ({ at: fromMs + ((toMs - fromMs) * i) / n, ...extra }))
}

describe('RunStats summary', () => {
  it('counts outcomes, statuses, errors, bytes and retries', () => {
    const s = run(10, [
      { at: 100, latency: 50, bytes: 10 },
      { at: 200, latency: 150, bytes: 20, status: 201 },
      { at: 300, ok: false, status: 503, code: 'HTTP_STATUS', attempts: 3, latency: 300, bytes: 5 },
      { at: 400, code: 'TIMEOUT_CONNECT', latency: 500, bytes: 0 }
    ])
    const sum = s.summary(live(1_000))
    expect(sum).toMatchObject({
      runId: 'r1',
      state: 'running',
      total: 10,
      done: 4,
      ok: 2,
      failed: 2,
      retries: 2,
      inFlight: 2,
      queued: 3,
      waitingRetry: 1,
      byStatus: { '200': 1, '201': 1, '503': 1, none: 1 },
      byError: { HTTP_STATUS: 1, TIMEOUT_CONNECT: 1 },
      bytes: 35,
      startedAt: T0,
      finishedAt: null,
      elapsedMs: 1_000,
      throughputPerSecond: 4,
      recentPerSecond: 4,
      speedup: 1
    })
    // 3 queued at about 4/s (750 ms), then the tail: a high percentile of how long URLs took
    // (50–500 ms here), so between 750 + 50 ms and 750 + 500 ms, with a little slack for the
    // rate's weighting by age (these four finished 0.6–0.9 s ago).
    expect(sum.etaMs).toBeGreaterThan(800)
    expect(sum.etaMs).toBeLessThan(1_300)
    expect(sum.latency.count).toBe(4)
    expect(sum.latency.min).toBe(50)
    expect(sum.latency.max).toBe(500)
    expect(sum.latency.mean).toBe(250)
  })

  it('has null figures before any result', () => {
    const sum = run(5, []).summary(live(2_000))
    expect(sum).toMatchObject({
      done: 0,
      throughputPerSecond: 0,
      recentPerSecond: 0,
      etaMs: null,
      speedup: null,
      byStatus: {},
      byError: {}
    })
    expect(sum.latency).toEqual({
      count: 0,
      min: null,
      mean: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null,
      max: null
    })
  })

  it('latency percentiles come from the histogram (within 1%)', () => {
    const steps = Array.from({ length: 1_000 }, (_, i) => ({ at: i, latency: i + 1 }))
    const { latency } = run(1_000, steps).summary(live(1_000))
    const within = (v: number | null, exact: number): boolean =>
      v !== null && Math.abs(v - exact) <= exact * 0.01
    expect([latency.min, latency.max, latency.count]).toEqual([1, 1_000, 1_000])
    expect(within(latency.p50, 500)).toBe(true)
    expect(within(latency.p90, 900)).toBe(true)
    expect(within(latency.p95, 950)).toBe(true)
    expect(within(latency.p99, 990)).toBe(true)
  })

  interface Case {
    name: string
    total: number
    steps: Step[]
    now: number
    state?: RunState
    finishedAt?: number
    expected: Record<string, number | null>
    etaBetween?: [number, number]
  }
  const cases: Case[] = [
    {
      name: 'steady 10/s: recent = overall, ETA from remaining',
      total: 500,
      steps: spread(200, 0, 20_000),
      now: 20_000,
      // 297 queued at 10/s, then the tail (the URLs took 100 ms).
      expected: { done: 200, throughputPerSecond: 10, recentPerSecond: 10, etaMs: 29_800 }
    },
    {
      // 80 left: the whole-run rate (6/s) would say 13 s, the last 10 s alone (2/s) 40 s; the rate
      // weighted over the last ~10 s (τ = 10 s, 10/s before that) lands in between, nearer the latter.
      name: 'slowdown: the weighted recent rate drives the ETA',
      total: 200,
      steps: [...spread(100, 0, 10_000), ...spread(20, 10_000, 20_000)],
      now: 20_000,
      expected: { throughputPerSecond: 6, recentPerSecond: 2 },
      etaBetween: [18_000, 40_000]
    },
    {
      name: 'stall: nothing finished recently, so the ETA is unknown rather than optimistic',
      total: 20,
      steps: spread(10, 0, 1_000),
      now: 10_000,
      expected: { throughputPerSecond: 1, recentPerSecond: 0, etaMs: null }
    },
    {
      name: 'early: the window is only as long as the run',
      total: 100,
      steps: spread(5, 0, 500),
      now: 500,
      expected: { elapsedMs: 500, throughputPerSecond: 10, recentPerSecond: 10, etaMs: 9_300 }
    },
    {
      name: 'window covers the whole seconds starting inside it (4.5 s at now = 20.5 s)',
      total: 1_000,
      steps: spread(205, 0, 20_500),
      now: 20_500,
      expected: { recentPerSecond: 10, throughputPerSecond: 10 }
    },
    {
      name: 'nothing remaining: ETA 0',
      total: 3,
      steps: spread(3, 0, 300),
      now: 1_000,
      expected: { etaMs: 0 }
    },
    {
      name: 'completed: elapsed and rates stop at finishedAt',
      total: 4,
      steps: spread(4, 0, 2_000),
      now: 60_000,
      state: 'completed',
      finishedAt: 2_000,
      expected: { elapsedMs: 2_000, throughputPerSecond: 2, recentPerSecond: 2, etaMs: 0 }
    },
    {
      name: 'cancelled with work left: no ETA',
      total: 10,
      steps: spread(4, 0, 2_000),
      now: 3_000,
      state: 'cancelled',
      finishedAt: 2_000,
      expected: { etaMs: null }
    },
    {
      name: 'speedup: Σ latency ÷ active elapsed',
      total: 10,
      steps: spread(10, 0, 1_000, { latency: 400 }),
      now: 1_000,
      expected: { speedup: 4 }
    },
    {
      name: 'speedup null under 1 ms elapsed',
      total: 10,
      steps: [{ at: 0, latency: 5 }],
      now: 0.5,
      expected: { speedup: null }
    },
    {
      name: 'setTotal changes remaining',
      total: 10,
      steps: [...spread(10, 0, 1_000), { setTotal: 30 }],
      now: 1_000,
      expected: { total: 30, etaMs: 1_800 }
    }
  ]
  it.each(cases)('$name', ({ total, steps, now, state, finishedAt, expected, etaBetween }) => {
    const stats = run(total, steps)
    // Live counts that add up: 2 in flight, 1 waiting to retry, the rest queued.
    const queued = Math.max(0, stats.totalUrls - stats.done - 3)
    const sum = stats.summary(live(now, state, finishedAt, queued)) as unknown as Record<string, unknown>
    for (const [key, value] of Object.entries(expected)) {
      // The ETA's rate is weighted by age, so a steady rate sampled in whole requests is within 1%.
      if (key === 'etaMs' && typeof value === 'number' && value > 0)
        expect(Math.abs(Number(sum[key]) / value - 1), key).toBeLessThan(0.01)
      else if (typeof value === 'number') expect(sum[key], key).toBeCloseTo(value, 6)
      else expect(sum[key], key).toBe(value)
    }
    if (etaBetween) {
      expect(sum['etaMs']).toBeGreaterThan(etaBetween[0])
      expect(sum['etaMs']).toBeLessThan(etaBetween[1])
    }
  })
})

describe('RunStats pause accounting', () => {
  const cases: {
    name: string
    steps: Step[]
    now: number
    expected: { elapsedMs: number; throughputPerSecond: number; recentPerSecond?: number; speedup?: number }
  }[] = [
    {
      name: 'a closed pause leaves throughput at the active rate',
      steps: [...spread(10, 0, 1_000), { pause: 1_000 }, { resume: 9_000 }, ...spread(10, 9_000, 10_000)],
      now: 10_000,
      // Active 2 s; the recent window [5 s, 10 s] holds 4 s of pause, so it covers 1 s with 10 results.
      expected: { elapsedMs: 10_000, throughputPerSecond: 10, recentPerSecond: 10 }
    },
    {
      name: 'an open pause stops the active clock',
      steps: [...spread(10, 0, 1_000, { latency: 300 }), { pause: 1_000 }],
      now: 61_000,
      expected: { elapsedMs: 61_000, throughputPerSecond: 10, recentPerSecond: 0, speedup: 3 }
    },
    {
      name: 'repeated pause/resume calls are idempotent',
      steps: [
        ...spread(10, 0, 1_000),
        { pause: 1_000 },
        { pause: 2_000 },
        { resume: 3_000 },
        { resume: 4_000 },
        ...spread(10, 3_000, 4_000)
      ],
      now: 4_000,
      expected: { elapsedMs: 4_000, throughputPerSecond: 10, recentPerSecond: 10 }
    },
    {
      name: 'several short pauses inside the window',
      steps: [
        ...spread(10, 0, 1_000),
        { pause: 1_000 },
        { resume: 2_000 },
        ...spread(10, 2_000, 3_000),
        { pause: 3_000 },
        { resume: 4_000 },
        ...spread(10, 4_000, 5_000)
      ],
      now: 5_000,
      expected: { elapsedMs: 5_000, throughputPerSecond: 10, recentPerSecond: 10 }
    }
  ]
  it.each(cases)('$name', ({ steps, now, expected }) => {
    const sum = run(1_000, steps).summary(live(now))
    expect(sum.elapsedMs).toBe(expected.elapsedMs)
    expect(sum.throughputPerSecond).toBeCloseTo(expected.throughputPerSecond, 6)
    if (expected.recentPerSecond !== undefined)
      expect(sum.recentPerSecond).toBeCloseTo(expected.recentPerSecond, 6)
    if (expected.speedup !== undefined) expect(sum.speedup).toBeCloseTo(expected.speedup, 6)
  })

  it('activeElapsedMs leaves out paused spans', () => {
    const s = run(1, [{ pause: 1_000 }, { resume: 3_000 }, { pause: 5_000 }])
    expect(s.activeElapsedMs(T0 + 4_000)).toBe(2_000)
    expect(s.activeElapsedMs(T0 + 8_000)).toBe(3_000)
  })
})

describe('RunStats retries', () => {
  it.each([
    {
      name: 'counted at finish when never noted',
      steps: [
        { at: 1, attempts: 3 },
        { at: 2, attempts: 2 }
      ],
      expected: 3
    },
    {
      name: 'noted live, not double counted at finish',
      steps: [{ retryScheduled: true }, { retryScheduled: true }, { at: 1, attempts: 3 }] as Step[],
      expected: 2
    },
    { name: 'live before the request finishes', steps: [{ retryScheduled: true }] as Step[], expected: 1 },
    {
      name: 'a scheduled retry that never ran (cancelled) still counts',
      steps: [
        { retryScheduled: true },
        { retryScheduled: true },
        { at: 1, code: 'ABORTED', attempts: 2 }
      ] as Step[],
      expected: 2
    }
  ])('$name', ({ steps, expected }) => {
    expect(run(10, steps).summary(live(1_000)).retries).toBe(expected)
  })
})

describe('RunStats JSON', () => {
  const steps: Step[] = [
    ...spread(50, 0, 5_000, { latency: 80 }),
    { retryScheduled: true },
    { at: 5_100, code: 'DNS', attempts: 2, latency: 20 },
    { at: 5_200, ok: false, status: 404, code: 'HTTP_STATUS', latency: 30 },
    { pause: 6_000 },
    { resume: 7_000 },
    ...spread(20, 7_000, 8_000, { latency: 120 }),
    { pause: 9_000 }
  ]

  it('round-trips through JSON text: same summary now and after more results', () => {
    const a = run(200, steps)
    const b = RunStats.fromJSON(JSON.parse(JSON.stringify(a.toJSON())) as RunStatsData)
    expect(b.summary(live(9_500))).toEqual(a.summary(live(9_500)))
    for (const s of [a, b]) {
      s.noteResumed(T0 + 10_000)
      s.recordResult(result({ at: 10_500, latency: 70 }))
      s.noteRetryScheduled()
    }
    expect(b.summary(live(11_000))).toEqual(a.summary(live(11_000)))
    expect(b.toJSON()).toEqual(a.toJSON())
  })

  it('rejects an unknown version', () => {
    const data = { ...run(1, []).toJSON(), version: 2 } as unknown as RunStatsData
    expect(() => RunStats.fromJSON(data)).toThrow(/version/)
  })
})

describe('RunStats at scale', () => {
  it('records 200k results and summarises them exactly', () => {
    const s = new RunStats({ runId: 'r', total: 200_000, startedAt: T0 })
    const r = result({ at: 0 })
    for (let i = 0; i < 200_000; i++)
      s.recordResult({ ...r, finishedAt: T0 + i, timings: { total: 1 + (i % 997) } })
    const summary = s.summary(live(200_000))
    expect(summary.done).toBe(200_000)
    expect(summary.latency.count).toBe(200_000)
    expect(summary.latency.max).toBe(997)
  })
})
