import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { recordEngine, startServer, type TestServer } from '../../helpers/engine-harness.ts'

/**
 * Retries: which failures are retried, how long each wait is (with random() = 0.5 the backoff is
 * exactly floor(0.5 · min(max, base · 2^(n−1)))), Retry-After in both forms, and that a wait holds
 * back only its host and no concurrency slot.
 */

let target: DemoTarget
let run = 0
/** A fresh counter key per use, so /flaky and /retry-after state never leaks between tests. */
const key = (name: string): string => `${name}-${process.pid}-${(run += 1)}`

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
})

/** Time between the end of attempt n and the start of attempt n+1 (epoch ms, so ±1 ms). */
function gapAfter(result: RequestResult, n: number): number {
  const a = result.attempts[n - 1]
  const b = result.attempts[n]
  if (!a || !b) throw new Error(`attempts ${n} and ${n + 1} are missing`)
  return b.startedAt - (a.startedAt + a.durationMs)
}

describe('retry paths', () => {
  it('retries 503 with exponential backoff, then succeeds', async () => {
    const rec = recordEngine({ retries: 3, backoffBaseMs: 80, backoffMaxMs: 10_000 })
    const summary = await rec.run([target.url(`/flaky/${key('s')}?failures=2&status=503`)])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    expect(r.status).toBe(200)
    expect(r.title).toBe('Recovered after 2 failure(s)')
    expect(r.attempts.map((a) => [a.attempt, a.outcome, a.status, a.waitBeforeNextMs, a.waitReason])).toEqual(
      [
        [1, 'retry', 503, 40, 'backoff'], // floor(0.5 · 80)
        [2, 'retry', 503, 80, 'backoff'], // floor(0.5 · 160)
        [3, 'ok', 200, null, null]
      ]
    )
    expect(r.attempts[0]?.error).toMatchObject({ code: 'HTTP_STATUS', status: 503 })
    expect(gapAfter(r, 1)).toBeGreaterThanOrEqual(40 - 2)
    expect(gapAfter(r, 2)).toBeGreaterThanOrEqual(80 - 2)
    expect(gapAfter(r, 2)).toBeLessThan(80 + 1_000)

    const failed = rec.ofKind('attempt-failed')
    expect(failed.map((e) => [e.id, e.attempt, e.retryInMs, e.retryReason, e.error.status])).toEqual([
      [0, 1, 40, 'backoff', 503],
      [0, 2, 80, 'backoff', 503]
    ])
    expect(rec.ofKind('request-started').map((e) => e.attempt)).toEqual([1, 2, 3])
    expect(summary).toMatchObject({ ok: 1, failed: 0, retries: 2 })
  })

  it('retries a connection reset, then succeeds', async () => {
    const rec = recordEngine({ retries: 2, backoffBaseMs: 60 })
    await rec.run([target.url(`/flaky/${key('r')}?failures=1&mode=reset`)])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    expect(r.attempts).toHaveLength(2)
    expect(r.attempts[0]).toMatchObject({ outcome: 'retry', status: null, waitBeforeNextMs: 30 })
    expect(r.attempts[0]?.error).toMatchObject({ code: 'RESET', retryable: true })
    expect(gapAfter(r, 1)).toBeGreaterThanOrEqual(30 - 2)
  })

  it('retries timeouts and records every attempt when they are exhausted', async () => {
    const rec = recordEngine({ retries: 2, backoffBaseMs: 100, totalTimeoutMs: 150 })
    const summary = await rec.run([target.url('/stall-headers')])
    const r = rec.result(0)
    expect(r.ok).toBe(false)
    expect(r.error?.code).toBe('TIMEOUT_TOTAL')
    expect(r.attempts.map((a) => [a.outcome, a.error?.code, a.waitBeforeNextMs])).toEqual([
      ['retry', 'TIMEOUT_TOTAL', 50],
      ['retry', 'TIMEOUT_TOTAL', 100],
      ['failed', 'TIMEOUT_TOTAL', null]
    ])
    expect(rec.ofKind('attempt-failed').map((e) => e.retryInMs)).toEqual([50, 100])
    expect(summary).toMatchObject({ ok: 0, failed: 1, retries: 2, byError: { TIMEOUT_TOTAL: 1 } })
  })

  it('the backoff ceiling is capped by backoffMaxMs', async () => {
    const rec = recordEngine({ retries: 3, backoffBaseMs: 40, backoffMaxMs: 100 })
    await rec.run([target.url(`/flaky/${key('c')}?failures=3`)])
    // floor(0.5 · min(100, 40, 80, 160)) = 20, 40, 50
    expect(rec.result(0).attempts.map((a) => a.waitBeforeNextMs)).toEqual([20, 40, 50, null])
  })

  it('does not retry a 404, nor a status left out of retryStatuses', async () => {
    const rec = recordEngine({ retries: 3, backoffBaseMs: 10, retryStatuses: [503] })
    const summary = await rec.run([target.url('/status/404'), target.url('/status/500')])
    for (const [id, status] of [
      [0, 404],
      [1, 500]
    ] as const) {
      const r = rec.result(id)
      expect(r.status).toBe(status)
      expect(r.error).toMatchObject({ code: 'HTTP_STATUS', status, retryable: false })
      expect(r.attempts).toHaveLength(1)
      expect(r.attempts[0]).toMatchObject({ outcome: 'failed', waitBeforeNextMs: null })
    }
    expect(rec.ofKind('attempt-failed')).toHaveLength(0)
    expect(summary).toMatchObject({ failed: 2, retries: 0, byStatus: { '404': 1, '500': 1 } })
  })

  it('retries: 0 never retries', async () => {
    const rec = recordEngine({ retries: 0 })
    await rec.run([target.url(`/flaky/${key('z')}?failures=1`)])
    expect(rec.result(0).attempts).toHaveLength(1)
    expect(rec.result(0).status).toBe(503)
  })
})

describe('Retry-After', () => {
  it('honours delay-seconds', async () => {
    const rec = recordEngine({ retries: 2, backoffBaseMs: 10 })
    await rec.run([target.url(`/retry-after/429?seconds=1&key=${key('sec')}&times=1`)])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    expect(r.attempts[0]).toMatchObject({ status: 429, waitBeforeNextMs: 1_000, waitReason: 'retry-after' })
    expect(rec.ofKind('attempt-failed')[0]).toMatchObject({ retryInMs: 1_000, retryReason: 'retry-after' })
    expect(gapAfter(r, 1)).toBeGreaterThanOrEqual(1_000 - 5)
    expect(gapAfter(r, 1)).toBeLessThan(2_500)
  })

  it('honours an HTTP-date', async () => {
    const rec = recordEngine({ retries: 2, backoffBaseMs: 10 })
    // The date is now + 2 s, written with whole seconds: the wait is in (1 s, 2 s].
    await rec.run([target.url(`/retry-after/503?date=2&key=${key('date')}&times=1`)])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    const wait = r.attempts[0]?.waitBeforeNextMs ?? -1
    expect(r.attempts[0]?.waitReason).toBe('retry-after')
    expect(wait).toBeGreaterThan(900)
    expect(wait).toBeLessThanOrEqual(2_000)
    expect(gapAfter(r, 1)).toBeGreaterThanOrEqual(wait - 5)
  })

  it('clamps a long Retry-After to retryAfterMaxMs', async () => {
    const rec = recordEngine({ retries: 1, retryAfterMaxMs: 250 })
    const started = performance.now()
    await rec.run([target.url(`/retry-after/429?seconds=3600&key=${key('clamp')}&times=1`)])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    expect(r.attempts[0]).toMatchObject({ waitBeforeNextMs: 250, waitReason: 'retry-after' })
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  it('uses the backoff instead when respectRetryAfter is off', async () => {
    const rec = recordEngine({ retries: 1, respectRetryAfter: false, backoffBaseMs: 60 })
    await rec.run([target.url(`/retry-after/429?seconds=30&key=${key('off')}&times=1`)])
    expect(rec.result(0).attempts[0]).toMatchObject({ waitBeforeNextMs: 30, waitReason: 'backoff' })
  })

  it('pauses only the host that asked: other hosts keep going, queued work on that host waits', async () => {
    // Host A (127.0.0.1) answers 429 Retry-After: 1 once; host B (localhost, same server) is fine.
    const rec = recordEngine({ retries: 1, concurrency: 4, perHostConcurrency: 1 })
    const a = (path: string) => target.url(path)
    const b = (path: string) => target.url(path).replace('127.0.0.1', 'localhost')
    const urls = [
      a(`/retry-after/429?seconds=1&key=${key('host')}&times=1`),
      a('/delay/10'),
      ...Array.from({ length: 6 }, (_, i) => b(`/delay/40?i=${i}`))
    ]
    await rec.run(urls)
    const first = rec.result(0)
    expect(first.ok).toBe(true)
    const pauseStart = (first.attempts[0]?.startedAt ?? 0) + (first.attempts[0]?.durationMs ?? 0)
    const pauseEnd = pauseStart + 1_000

    // Host B's requests all ran during host A's pause.
    for (let id = 2; id < urls.length; id += 1) {
      expect(rec.result(id).ok).toBe(true)
      expect(rec.result(id).host).toBe(`localhost:${target.port}`)
      expect(rec.result(id).finishedAt).toBeLessThan(pauseEnd - 200)
    }
    // Host A's queued request did not start before the pause was over.
    expect(rec.result(1).host).toBe(`127.0.0.1:${target.port}`)
    expect(rec.result(1).startedAt).toBeGreaterThanOrEqual(pauseEnd - 5)
  })

  it('a 429 pause on one host does not stall an IPv6 host', async () => {
    const v6 = await startDemoTarget({ host: '::1' }).catch(() => null)
    if (!v6) return // no IPv6 loopback on this machine
    try {
      const rec = recordEngine({ retries: 1, concurrency: 1 })
      await rec.run([
        target.url(`/retry-after/429?seconds=1&key=${key('v6')}&times=1`),
        v6.url('/delay/20'),
        v6.url('/delay/20')
      ])
      const pauseEnd = (rec.result(0).attempts[1]?.startedAt ?? 0) - 5
      expect(rec.result(1)).toMatchObject({ ok: true, host: `[::1]:${v6.port}` })
      expect(rec.result(2)).toMatchObject({ ok: true, host: `[::1]:${v6.port}` })
      expect(rec.result(2).finishedAt).toBeLessThan(pauseEnd)
    } finally {
      await v6.close()
    }
  })
})

describe('a waiting retry holds no slot', () => {
  it('with concurrency 1, other URLs complete while one waits for its retry', async () => {
    let waitingSeen = 0
    const rec = recordEngine({ retries: 1, concurrency: 1, backoffBaseMs: 1_200 }, (event, r) => {
      if (event.kind === 'request-finished')
        waitingSeen = Math.max(waitingSeen, r.engine.summary().waitingRetry)
    })
    const urls = [
      target.url(`/flaky/${key('slot')}?failures=1`),
      ...[1, 2, 3, 4, 5].map((i) => target.url(`/delay/20?i=${i}`))
    ]
    await rec.run(urls)
    const flaky = rec.result(0)
    expect(flaky.ok).toBe(true)
    expect(flaky.attempts[0]?.waitBeforeNextMs).toBe(600)
    const retryStart = flaky.attempts[1]?.startedAt ?? 0
    for (let id = 1; id < urls.length; id += 1) {
      expect(rec.result(id).ok).toBe(true)
      expect(rec.result(id).finishedAt).toBeLessThanOrEqual(retryStart)
    }
    expect(waitingSeen).toBe(1)
  })

  it('a retry goes ahead of fresh work on its host once its wait is over', async () => {
    const rec = recordEngine({ retries: 1, concurrency: 1, backoffBaseMs: 100 })
    const urls = [
      target.url(`/flaky/${key('front')}?failures=1`),
      ...[1, 2, 3, 4, 5, 6].map((i) => target.url(`/delay/60?i=${i}`))
    ]
    await rec.run(urls)
    // The retry waited 50 ms; after that it ran next, before the last delayed URLs.
    const order = rec.ofKind('request-finished').map((e) => e.result.id)
    expect(order.indexOf(0)).toBeLessThan(urls.length - 1)
    expect(order.indexOf(0)).toBeGreaterThan(0)
  })
})

describe('Retry-After pause wake-up', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '1', 'content-length': '0' })
      res.end()
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('never strands a retry on a paused host (timer clock vs Date.now race)', async () => {
    // Regression: the host's wake-up timer could fire ~1 ms before Date.now() reached the pause's
    // end; the host then stayed paused with nothing to wake it and the run never finished. The
    // race hit a few percent of runs, so many small runs go at once.
    const runs = Array.from({ length: 80 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 13) % 400))
      const rec = recordEngine({ retries: 1 })
      const summary = await rec.run([server.url(`/r${i}`)], 6_000)
      return summary.state
    })
    const states = await Promise.allSettled(runs)
    const completed = states.filter((s) => s.status === 'fulfilled' && s.value === 'completed').length
    expect(completed).toBe(runs.length)
  }, 15_000)
})
