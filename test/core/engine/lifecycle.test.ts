import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import type { EngineEvent } from '../../../shared/events.ts'
import { activeResources, recordEngine, sleep, waitFor } from '../../helpers/engine-harness.ts'

/** Pause, resume, cancel, and the shape of the event stream. */

let target: DemoTarget
let keys = 0
const key = (name: string): string => `${name}-${process.pid}-${(keys += 1)}`

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
})

describe('pause and resume', () => {
  it('pause stops new starts while in-flight requests finish; resume completes the run', async () => {
    let startedWhilePaused = 0
    let finishedWhilePaused = 0
    const rec = recordEngine({ concurrency: 4, retries: 0 }, (event, r) => {
      if (r.engine.state !== 'paused') return
      if (event.kind === 'request-started') startedWhilePaused += 1
      if (event.kind === 'request-finished') finishedWhilePaused += 1
    })
    const urls = Array.from({ length: 20 }, (_, i) => target.url(`/delay/150?i=${i}`))
    const done = rec.run(urls)
    await waitFor(() => rec.ofKind('request-started').length === 4, 'four requests to start')

    rec.engine.pause()
    expect(rec.engine.state).toBe('paused')
    const startedAtPause = rec.ofKind('request-started').length
    // The four in flight finish; nothing new starts for a while.
    await waitFor(() => finishedWhilePaused === 4, 'the in-flight requests to finish while paused')
    await sleep(300)
    expect(startedWhilePaused).toBe(0)
    expect(rec.ofKind('request-started')).toHaveLength(startedAtPause)
    const paused = rec.engine.summary()
    expect(paused).toMatchObject({ state: 'paused', inFlight: 0, done: 4, queued: 16 })

    rec.engine.resume()
    expect(rec.engine.state).toBe('running')
    const summary = await done
    expect(summary).toMatchObject({ state: 'completed', ok: 20, done: 20 })
    expect(rec.ofKind('run-state-changed').map((e) => e.state)).toEqual(['paused', 'running'])
    expect(rec.ofKind('request-finished')).toHaveLength(20)
  })

  it('pause and resume are no-ops in the wrong state', async () => {
    const rec = recordEngine({ retries: 0, concurrency: 1 })
    rec.engine.resume()
    rec.engine.pause()
    expect(rec.engine.state).toBe('idle')
    const done = rec.run([target.url('/delay/50'), target.url('/delay/10')])
    rec.engine.resume()
    rec.engine.pause()
    rec.engine.pause()
    await sleep(80)
    expect(rec.ofKind('request-started')).toHaveLength(1)
    rec.engine.resume()
    rec.engine.resume()
    await done
    rec.engine.pause()
    rec.engine.resume()
    expect(rec.engine.state).toBe('completed')
    expect(rec.ofKind('run-state-changed').map((e) => e.state)).toEqual(['paused', 'running'])
  })

  it('a retry that comes due while paused waits for resume', async () => {
    const rec = recordEngine({ retries: 1, backoffBaseMs: 100 })
    const done = rec.run([target.url(`/flaky/${key('pause')}?failures=1`)])
    await waitFor(() => rec.ofKind('attempt-failed').length === 1, 'the first attempt to fail')
    rec.engine.pause()
    await sleep(250) // the 50 ms backoff is long over
    expect(rec.ofKind('request-started')).toHaveLength(1)
    rec.engine.resume()
    const summary = await done
    expect(summary.ok).toBe(1)
    expect(rec.ofKind('request-started').map((e) => e.attempt)).toEqual([1, 2])
  })
})

describe('cancel', () => {
  it('with 200 requests in flight: resolves promptly, closes every socket, leaves no timers', async () => {
    const baseline = activeResources().get('Timeout') ?? 0
    const rec = recordEngine({ concurrency: 200, perHostConcurrency: 200, retries: 3 })
    const urls = Array.from({ length: 250 }, (_, i) =>
      target.url(i % 2 === 0 ? `/delay/5000?i=${i}` : `/stall-headers?i=${i}`)
    )
    const done = rec.run(urls)
    await waitFor(() => target.stats().openSockets >= 200, '200 sockets open at the server', 10_000)
    expect(rec.engine.openSockets()).toBe(200)

    const started = performance.now()
    const summary = await rec.engine.cancel()
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(rec.engine.state).toBe('cancelled')
    expect(rec.engine.openSockets()).toBe(0)
    expect(summary).toMatchObject({ state: 'cancelled', done: 0, total: 250, queued: 250 })
    expect(await done).toEqual(summary)

    const last = rec.events.at(-1)
    expect(last?.kind).toBe('run-finished')
    expect(last?.kind === 'run-finished' && last.state).toBe('cancelled')
    // Cancelled requests are not reported as failed results.
    expect(rec.ofKind('request-finished')).toHaveLength(0)

    await waitFor(() => target.stats().openSockets === 0, 'the server to see every socket closed', 2_000)
    // No engine timer is left: total deadlines, retry waits and the progress ticker are all cleared.
    // (The demo target's request timers are cleared when its sockets close, above.)
    await waitFor(
      () => (activeResources().get('Timeout') ?? 0) <= baseline,
      'timers to return to the baseline',
      1_000
    )
    // Nothing more is emitted after run-finished.
    const count = rec.events.length
    await sleep(100)
    expect(rec.events).toHaveLength(count)
  })

  it('cancel clears pending retry waits and host pauses', async () => {
    const baseline = activeResources().get('Timeout') ?? 0
    const rec = recordEngine({ retries: 3, backoffBaseMs: 20_000 })
    const done = rec.run([
      target.url(`/flaky/${key('cancel')}?failures=5`),
      target.url(`/retry-after/429?seconds=60&key=${key('cancel-ra')}`)
    ])
    await waitFor(() => rec.ofKind('attempt-failed').length === 2, 'both to be waiting for a retry')
    expect(rec.engine.summary().waitingRetry).toBe(2)
    const started = performance.now()
    await rec.engine.cancel()
    expect(performance.now() - started).toBeLessThan(500)
    expect((await done).state).toBe('cancelled')
    await waitFor(() => (activeResources().get('Timeout') ?? 0) <= baseline, 'timers to be cleared', 1_000)
  })

  it('cancel while paused, and cancel twice, are fine', async () => {
    const rec = recordEngine({ retries: 0, concurrency: 1 })
    const done = rec.run([target.url('/delay/2000'), target.url('/delay/10')])
    await waitFor(() => rec.ofKind('request-started').length === 1, 'the first request to start')
    rec.engine.pause()
    const [a, b] = await Promise.all([rec.engine.cancel(), rec.engine.cancel()])
    expect(a.state).toBe('cancelled')
    expect(b.state).toBe('cancelled')
    expect((await done).state).toBe('cancelled')
    expect(rec.ofKind('run-finished')).toHaveLength(1)
  })
})

describe('event stream', () => {
  it('is gap-free, starts and ends right, one result per URL, summary adds up', async () => {
    const rec = recordEngine({ retries: 2, backoffBaseMs: 20, concurrency: 8 })
    const urls = [
      ...Array.from({ length: 10 }, (_, i) => target.url(`/page/${i}`)),
      target.url('/status/404'),
      target.url('/status/500?x=1'),
      target.url('/reset'),
      target.url(`/flaky/${key('stream')}?failures=1`),
      target.url('/redirect/2'),
      target.url('/no-title'),
      target.url('/delay/300') // long enough for run-progress events
    ]
    const summary = await rec.run(urls)
    const { events } = rec

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    for (let i = 1; i < events.length; i += 1) {
      expect(events[i]?.at).toBeGreaterThanOrEqual(events[i - 1]?.at ?? Infinity)
    }
    expect(events[0]).toMatchObject({ kind: 'run-started', total: urls.length, runId: rec.engine.runId })
    expect(events.at(-1)).toMatchObject({ kind: 'run-finished', state: 'completed' })
    expect(events.filter((e) => e.kind === 'run-started' || e.kind === 'run-finished')).toHaveLength(2)
    expect(rec.engine.lastSeq).toBe(events.length)

    const finishedIds = rec.ofKind('request-finished').map((e) => e.result.id)
    expect([...finishedIds].sort((a, b) => a - b)).toEqual(urls.map((_, i) => i))

    const results = rec.results()
    const attempts = results.reduce((n, r) => n + r.attempts.length, 0)
    expect(rec.ofKind('request-started')).toHaveLength(attempts)
    expect(rec.ofKind('attempt-failed')).toHaveLength(attempts - urls.length)
    expect(rec.ofKind('run-progress').length).toBeGreaterThan(0)

    // Each request: started → (attempt-failed → started)* → finished, in seq order.
    for (const r of results) {
      const own = events.filter((e): e is EngineEvent & { id: number } => 'id' in e && e.id === r.id)
      const finish = rec.ofKind('request-finished').find((e) => e.result.id === r.id)
      expect(own.every((e) => e.seq < (finish?.seq ?? 0))).toBe(true)
    }

    const ok = results.filter((r) => r.ok).length
    expect(summary).toMatchObject({ state: 'completed', total: urls.length, done: urls.length, ok })
    expect(summary.ok + summary.failed).toBe(summary.total)
    expect(Object.values(summary.byStatus).reduce((a, b) => a + b, 0)).toBe(summary.total)
    expect(Object.values(summary.byError).reduce((a, b) => a + b, 0)).toBe(summary.failed)
    expect(summary.byStatus).toMatchObject({ '200': ok, '404': 1, '500': 1, none: 1 })
    expect(summary.byError).toEqual({ HTTP_STATUS: 2, RESET: 1 })
    expect(summary.retries).toBe(attempts - urls.length)
    expect(summary.bytes).toBe(results.reduce((n, r) => n + r.bytes, 0))
    expect(summary).toMatchObject({ inFlight: 0, queued: 0, waitingRetry: 0 })
  })

  it('an empty run starts and finishes', async () => {
    const rec = recordEngine()
    const summary = await rec.run([])
    expect(summary).toMatchObject({ state: 'completed', total: 0, done: 0 })
    expect(rec.events.map((e) => [e.seq, e.kind])).toEqual([
      [1, 'run-started'],
      [2, 'run-finished']
    ])
  })

  it('an engine runs once', async () => {
    const rec = recordEngine()
    await rec.run([target.url('/healthz')])
    expect(() => rec.engine.start([])).toThrow(/already completed/)
  })
})
