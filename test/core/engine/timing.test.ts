import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import type { TimingPhases } from '../../../shared/result.ts'
import { runUrls, startServer } from '../../helpers/engine-harness.ts'

/**
 * Timing phases come from undici internals (a diagnostics channel and our connector wrapper), so
 * these tests pin them on the installed undici: a fresh socket has a connect time, a reused one has
 * none, and the phases add up to the total.
 */

let target: DemoTarget

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
})

const PHASES = ['queue', 'dns', 'connect', 'tls', 'ttfb', 'download'] as const

/**
 * What the waterfall draws: every phase a finite, non-negative time, one after the other, adding up
 * to the total. Each boundary is one performance.now() stamp, so the phases can only fall short of
 * the total: by the redirect hops before the final one (whose phases these are), and by the
 * engine's own bookkeeping around the request, well under a millisecond on an idle machine (a
 * busy one is allowed 15 ms or a tenth of the total).
 */
function expectSane(t: TimingPhases, hopsMs = 0): void {
  const broken = [...PHASES, 'total' as const].filter((p) => !(Number.isFinite(t[p]) && t[p] >= 0))
  expect(broken, 'phases that are not a finite, non-negative time').toEqual([])
  const sum = PHASES.reduce((n, p) => n + t[p], 0)
  expect(sum + hopsMs).toBeLessThanOrEqual(t.total + 0.001)
  expect(t.total - hopsMs - sum).toBeLessThan(Math.max(15, t.total / 10))
  expect(t.total).toBeGreaterThanOrEqual(t.ttfb + t.download)
}

describe('timing phases', () => {
  it('a fresh connection has connect > 0 and ttfb ≥ the server delay; a reused one has connect 0', async () => {
    // Which client port served each request tells fresh sockets from reused ones.
    const portByPath = new Map<string, number>()
    const server = await startServer((req, res) => {
      portByPath.set(req.url ?? '', req.socket.remotePort ?? -1)
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '30' })
        res.end('<title>timed</title>'.padEnd(30))
      }, 120)
    })
    try {
      const paths = ['/t/0', '/t/1', '/t/2', '/t/3', '/t/4']
      const { rec } = await runUrls(
        paths.map((p) => server.url(p)),
        { concurrency: 1, keepAliveTimeoutMs: 10_000 }
      )
      const seen = new Set<number>()
      let fresh = 0
      let reused = 0
      paths.forEach((path, id) => {
        const t = rec.result(id).timings
        expectSane(t)
        expect(t.tls).toBe(0) // plain http
        expect(t.ttfb).toBeGreaterThanOrEqual(120 - 2)
        expect(t.ttfb).toBeLessThan(120 + 2_000)
        expect(t.total).toBeGreaterThanOrEqual(t.ttfb)
        const port = portByPath.get(path) ?? -1
        if (seen.has(port)) {
          reused += 1
          expect(t.connect, `${path} on a kept-alive socket`).toBe(0)
        } else {
          fresh += 1
          expect(t.connect, `${path} on a new socket`).toBeGreaterThan(0)
        }
        seen.add(port)
      })
      expect(rec.result(0).timings.connect).toBeGreaterThan(0)
      // One at a time to one host: keep-alive serves most of them.
      expect(reused).toBeGreaterThanOrEqual(2)
      expect(fresh).toBeLessThanOrEqual(2)
    } finally {
      await server.close()
    }
  })

  it('a slow body shows up as download time, not ttfb', async () => {
    const { rec } = await runUrls([target.url('/trickle?chunks=4&interval=60&size=16')], {
      bodyTimeoutMs: 2_000
    })
    const t = rec.result(0).timings
    expectSane(t)
    // Headers are flushed at once; the four chunks take ~240 ms.
    expect(t.download).toBeGreaterThanOrEqual(150)
    expect(t.ttfb).toBeLessThan(t.download)
    expect(t.total).toBeGreaterThanOrEqual(t.ttfb + t.download - 1)
  })

  it('every redirect hop is timed and the total covers the chain', async () => {
    const { rec } = await runUrls([target.url('/redirect/2')])
    const r = rec.result(0)
    const hops = r.redirects.reduce((n, h) => n + h.durationMs, 0)
    expect(r.redirects).toHaveLength(2)
    expect(r.timings.total).toBeGreaterThanOrEqual(hops)
    expectSane(r.timings, hops)
  })

  it('a request by host name records a (possibly tiny) DNS phase', async () => {
    const { rec } = await runUrls([target.url('/delay/1').replace('127.0.0.1', 'localhost')])
    const t = rec.result(0).timings
    expect(rec.result(0).ok).toBe(true)
    expectSane(t)
  })
})
