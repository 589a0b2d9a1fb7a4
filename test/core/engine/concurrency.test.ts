import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordEngine, startServer, waitFor, type TestServer } from '../../helpers/engine-harness.ts'

/**
 * Live limits, observed from the server's side: a node:http server that answers after a delay and
 * counts the requests it holds at once, overall and per Host header.
 */

interface Gauge {
  now: number
  max: number
}

let server: TestServer
/** TCP connections the server accepted (each a connect some request waited for). */
let connections = 0
const total: Gauge = { now: 0, max: 0 }
const perHost = new Map<string, Gauge>()
let delayMs = 80

const gauge = (name: string): Gauge => {
  let g = perHost.get(name)
  if (!g) {
    g = { now: 0, max: 0 }
    perHost.set(name, g)
  }
  return g
}

function resetGauges(): void {
  total.max = total.now
  for (const g of perHost.values()) g.max = g.now
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const host = gauge(req.headers.host?.split(':')[0] ?? '?')
  for (const g of [total, host]) {
    g.now += 1
    g.max = Math.max(g.max, g.now)
  }
  const timer = setTimeout(() => {
    // Counted down before the response goes out, so the client can never start the next request
    // on a freed slot while the server still counts the previous one.
    total.now -= 1
    host.now -= 1
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
    res.end('ok')
  }, delayMs)
  res.once('close', () => {
    if (!res.writableEnded) {
      clearTimeout(timer)
      total.now -= 1
      host.now -= 1
    }
  })
}

beforeAll(async () => {
  server = await startServer(handle)
  server.server.on('connection', () => {
    connections += 1
  })
})

afterAll(async () => {
  await server.close()
})

describe('live concurrency changes', () => {
  it('raising and lowering concurrency applies while the run goes', async () => {
    delayMs = 80
    resetGauges()
    let finished = 0
    const rec = recordEngine({ concurrency: 2, perHostConcurrency: 100, retries: 0 }, (event) => {
      if (event.kind === 'request-finished') finished += 1
    })
    const urls = Array.from({ length: 90 }, (_, i) => server.url(`/item/${i}`))
    const done = rec.run(urls, 20_000)

    // Phase 1: at most 2 at once.
    await waitFor(() => finished >= 6, 'six results at concurrency 2')
    expect(total.max).toBe(2)

    // Phase 2: raise to 8; the server sees 8 at once and never more.
    expect(rec.engine.updateSettings({ concurrency: 8 }).concurrency).toBe(8)
    await waitFor(() => total.now === 8, 'eight requests in flight')
    const raisedAt = finished
    await waitFor(() => finished >= raisedAt + 24, 'three rounds at concurrency 8')
    expect(total.max).toBe(8)

    // Phase 3: lower to 3; requests in flight finish, then never more than 3 again.
    rec.engine.updateSettings({ concurrency: 3 })
    // Drained as the engine counts it: requests started before the change may still be on their way
    // to the server, so the server's own count is no measure of that.
    await waitFor(() => rec.engine.summary().inFlight <= 3, 'in-flight requests to drain to 3')
    resetGauges()
    const summary = await done
    expect(total.max).toBeLessThanOrEqual(3)
    expect(total.max).toBe(3)
    expect(summary).toMatchObject({ state: 'completed', ok: urls.length, failed: 0 })

    const changes = rec.ofKind('settings-changed')
    expect(changes.map((e) => e.changed)).toEqual([{ concurrency: 8 }, { concurrency: 3 }])
    expect(changes.map((e) => e.settings.concurrency)).toEqual([8, 3])
    expect(rec.engine.settings.concurrency).toBe(3)
  })

  it('a patch that changes nothing emits no settings-changed event', async () => {
    delayMs = 5
    const rec = recordEngine({ concurrency: 4, retries: 0 })
    const done = rec.run([server.url('/a'), server.url('/b')])
    rec.engine.updateSettings({ concurrency: 4, retryStatuses: [429, 500, 502, 503, 504] })
    rec.engine.updateSettings({ retries: 2 })
    await done
    expect(rec.ofKind('settings-changed').map((e) => e.changed)).toEqual([{ retries: 2 }])
  })

  it('perHostConcurrency caps each host while the global limit is higher', async () => {
    delayMs = 60
    resetGauges()
    perHost.clear()
    const rec = recordEngine({ concurrency: 10, perHostConcurrency: 2, retries: 0 })
    const urls = Array.from({ length: 40 }, (_, i) =>
      server.url(`/h/${i}`, i % 2 === 0 ? '127.0.0.1' : 'localhost')
    )
    const summary = await rec.run(urls)
    expect(summary.ok).toBe(40)
    expect(gauge('127.0.0.1').max).toBe(2)
    expect(gauge('localhost').max).toBe(2)
    expect(total.max).toBeLessThanOrEqual(4)
  })

  it('raising perHostConcurrency live lets more through to one host', async () => {
    delayMs = 60
    resetGauges()
    let finished = 0
    const rec = recordEngine({ concurrency: 50, perHostConcurrency: 1, retries: 0 }, (event) => {
      if (event.kind === 'request-finished') finished += 1
    })
    const done = rec.run(Array.from({ length: 30 }, (_, i) => server.url(`/p/${i}`)))
    await waitFor(() => finished >= 3, 'three results at one per host')
    expect(total.max).toBe(1)
    rec.engine.updateSettings({ perHostConcurrency: 5 })
    await waitFor(() => total.now === 5, 'five requests in flight to the host')
    await done
    expect(total.max).toBe(5)
  })

  it('keeps one socket per request slot: no connection beyond the per-host limit, more only after a raise', async () => {
    delayMs = 15
    connections = 0
    let finished = 0
    const rec = recordEngine({ concurrency: 20, perHostConcurrency: 20, retries: 0 }, (event) => {
      if (event.kind === 'request-finished') finished += 1
    })
    // 300 requests over 20 slots: each slot reuses its socket about 15 times.
    const done = rec.run(
      Array.from({ length: 300 }, (_, i) => server.url(`/c/${i}`)),
      30_000
    )
    await waitFor(() => finished >= 150, 'half the list')
    expect(connections).toBe(20)
    rec.engine.updateSettings({ perHostConcurrency: 30, concurrency: 30 })
    const summary = await done
    expect(summary.ok).toBe(300)
    expect(connections).toBeGreaterThan(20)
    expect(connections).toBeLessThanOrEqual(50)
    expect(rec.engine.openSockets()).toBe(0)
  })
})
