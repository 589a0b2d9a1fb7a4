import { get as httpGet } from 'node:http'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateDemoUrls,
  startDemoTarget,
  type DemoTarget
} from '../../../electron/core/demo/demo-target.ts'
import { mulberry32, sampleLognormal } from '../../../electron/core/demo/demo-random.ts'
import { fetchReply, header, titleOf, type Reply, type ReplyOptions } from '../../helpers/http-reply.ts'

/**
 * The demo target over loopback, as the app, the runner and the tests use it: scripted latency,
 * statuses and Retry-After, broken connections, redirects, closing with requests open, several
 * hosts. What its pages hold is in demo-pages.test.ts.
 */

let target: DemoTarget
const agent = new Agent({ connections: 64 })

const get = (path: string, opts: ReplyOptions = {}): Promise<Reply> =>
  fetchReply(agent, target.url(path), opts)

/** Resolves with the error code a request fails with (the request must fail). */
async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } }
    return e.code ?? e.cause?.code ?? String(error)
  }
  throw new Error('expected the request to fail')
}

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
  await agent.close()
})

describe('demo target basics', () => {
  it('listens on loopback with a usable origin', () => {
    expect(target.origin).toBe(`http://127.0.0.1:${target.port}`)
    expect(target.url('/healthz')).toBe(`${target.origin}/healthz`)
    expect(target.url('healthz')).toBe(`${target.origin}/healthz`)
  })

  it('serves the index, healthz, 404, 405 and HEAD', async () => {
    const index = await get('/')
    expect(index.status).toBe(200)
    expect(titleOf(index.body.toString())).toBe('Crawlboard demo target')
    expect((await get('/healthz')).body.toString().trim()).toBe('ok')
    const missing = await get('/no-such-endpoint')
    expect(missing.status).toBe(404)
    expect(missing.body.length).toBeLessThan(200)
    expect((await get('/healthz/extra')).status).toBe(404)
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405)
    const head = await get('/page/3', { method: 'HEAD' })
    const full = await get('/page/3')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
    expect(Number(header(head, 'content-length'))).toBe(full.body.length)
  })

  it('rejects bad values with 400 and a reason', async () => {
    for (const path of [
      '/delay/abc',
      '/delay/120001',
      '/status/99',
      '/status/101',
      '/latency?median=100&p99=50'
    ]) {
      const reply = await get(path)
      expect(reply.status, path).toBe(400)
      expect(reply.body.toString()).toMatch(/bad request: .+/)
    }
    expect((await get('/retry-after/500')).status).toBe(400)
    expect((await get('/redirect/2?code=300')).status).toBe(400)
  })
})

describe('latency', () => {
  it('delays /delay/:ms', async () => {
    const reply = await get('/delay/150')
    expect(reply.status).toBe(200)
    expect(titleOf(reply.body.toString())).toBe('Delayed 150 ms')
    expect(reply.ms).toBeGreaterThanOrEqual(140)
  })

  it('picks the same delay for the same seed', async () => {
    const a = await get('/latency?dist=lognormal&median=20&p99=200&seed=42')
    const b = await get('/latency?dist=lognormal&median=20&p99=200&seed=42')
    expect(header(a, 'x-demo-delay-ms')).toBe(header(b, 'x-demo-delay-ms'))
    const fixed = await get('/latency?dist=fixed&ms=30')
    expect(header(fixed, 'x-demo-delay-ms')).toBe('30')
    expect(fixed.ms).toBeGreaterThanOrEqual(25)
    for (let seed = 0; seed < 10; seed++) {
      const ms = Number(
        header(await get(`/latency?dist=uniform&min=5&max=15&seed=${seed}`), 'x-demo-delay-ms')
      )
      expect(ms).toBeGreaterThanOrEqual(5)
      expect(ms).toBeLessThanOrEqual(15)
    }
  })

  it('samples a log-normal with the asked median and p99', () => {
    const rng = mulberry32(7)
    const samples = Array.from({ length: 20_000 }, () => sampleLognormal(rng, 80, 900)).sort((x, y) => x - y)
    expect(samples[10_000]).toBeGreaterThan(72)
    expect(samples[10_000]).toBeLessThan(88)
    expect(samples[19_800]).toBeGreaterThan(750)
    expect(samples[19_800]).toBeLessThan(1080)
  })
})

describe('statuses and retries', () => {
  it('answers /status/:code, with an optional delay', async () => {
    for (const code of [200, 403, 404, 410, 418, 500, 502, 503, 599]) {
      expect((await get(`/status/${code}`)).status).toBe(code)
    }
    const empty = await get('/status/204')
    expect(empty.status).toBe(204)
    expect(empty.body.length).toBe(0)
    const slow = await get('/status/500?delay=100')
    expect(slow.status).toBe(500)
    expect(slow.ms).toBeGreaterThanOrEqual(90)
  })

  it('sends Retry-After in seconds and as an HTTP-date', async () => {
    const seconds = await get('/retry-after/429?seconds=2')
    expect(seconds.status).toBe(429)
    expect(header(seconds, 'retry-after')).toBe('2')
    const unavailable = await get('/retry-after/503?seconds=7')
    expect(unavailable.status).toBe(503)
    expect(header(unavailable, 'retry-after')).toBe('7')
    const dated = await get('/retry-after/429?date=30')
    const when = Date.parse(header(dated, 'retry-after'))
    expect(header(dated, 'retry-after')).toMatch(/GMT$/)
    expect(when - Date.now()).toBeGreaterThan(28_000)
    expect(when - Date.now()).toBeLessThan(31_000)
  })

  it('recovers Retry-After keys after `times` refusals', async () => {
    const path = '/retry-after/429?seconds=1&key=ra-test&times=2'
    expect((await get(path)).status).toBe(429)
    expect((await get(path)).status).toBe(429)
    expect((await get(path)).status).toBe(200)
    expect((await get(path)).status).toBe(200)
  })

  it('fails flaky keys N times, then answers 200', async () => {
    const path = '/flaky/flaky-test?failures=2&status=502'
    expect((await get(path)).status).toBe(502)
    expect((await get(path)).status).toBe(502)
    expect((await get(path)).status).toBe(200)
    expect((await get('/flaky/other-key')).status).toBe(503)
    expect((await get('/flaky/other-key')).status).toBe(200)
  })

  it('resets flaky connections in mode=reset', async () => {
    const code = await failureCode(get('/flaky/reset-key?failures=1&mode=reset'))
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(code)
    expect((await get('/flaky/reset-key?failures=1&mode=reset')).status).toBe(200)
  })
})

describe('broken connections', () => {
  it('resets the connection on /reset', async () => {
    const undiciCode = await failureCode(get('/reset'))
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(undiciCode)
    const nodeCode = await failureCode(
      new Promise((resolve, reject) => {
        httpGet(target.url('/reset'), resolve).on('error', reject)
      })
    )
    expect(nodeCode).toBe('ECONNRESET')
  })

  it('cuts the body off after the headers on /reset-after-headers', async () => {
    const res = await request(target.url('/reset-after-headers'), { dispatcher: agent })
    expect(res.statusCode).toBe(200)
    expect(Number(res.headers['content-length'])).toBe(64 * 1024)
    const code = await failureCode(res.body.arrayBuffer())
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(code)
  })

  it('stalls headers until the client times out', async () => {
    const code = await failureCode(get('/stall-headers', { headersTimeout: 300 }))
    expect(code).toBe('UND_ERR_HEADERS_TIMEOUT')
    const later = await get('/stall-headers?ms=120')
    expect(later.status).toBe(200)
    expect(later.ms).toBeGreaterThanOrEqual(110)
  })

  it('trickles the body chunk by chunk', async () => {
    const reply = await get('/trickle?chunks=5&interval=100&size=10')
    expect(reply.status).toBe(200)
    expect(reply.body.length).toBe(50)
    expect(reply.ms).toBeGreaterThanOrEqual(5 * 100 * 0.8)
  })
})

describe('redirects', () => {
  it('walks a redirect chain down to 200', async () => {
    let path = '/redirect/3?code=308'
    const seen: string[] = []
    for (;;) {
      const reply = await get(path)
      if (reply.status === 200) break
      expect(reply.status).toBe(308)
      path = header(reply, 'location')
      seen.push(path)
    }
    expect(seen).toEqual(['/redirect/2?code=308', '/redirect/1?code=308', '/redirect/0?code=308'])
    expect((await get('/redirect/1')).status).toBe(302)
  })

  it('loops between a and b', async () => {
    expect(header(await get('/redirect-loop'), 'location')).toBe('/redirect-loop/a')
    expect(header(await get('/redirect-loop/a'), 'location')).toBe('/redirect-loop/b')
    expect(header(await get('/redirect-loop/b'), 'location')).toBe('/redirect-loop/a')
  })

  it('redirects to a given url', async () => {
    const absolute = await get(`/redirect-to?url=${encodeURIComponent('http://example.test/x')}&code=301`)
    expect(absolute.status).toBe(301)
    expect(header(absolute, 'location')).toBe('http://example.test/x')
    expect(header(await get('/redirect-to?url=/page/2'), 'location')).toBe('/page/2')
    expect((await get('/redirect-to')).status).toBe(400)
  })
})

describe('lifecycle', () => {
  it('listens on ::1 when asked (where IPv6 loopback exists)', async () => {
    let v6: DemoTarget
    try {
      v6 = await startDemoTarget({ host: '::1' })
    } catch (error) {
      // Containers without IPv6 cannot bind ::1; nothing to check there.
      expect((error as { code?: string }).code).toMatch(/EADDRNOTAVAIL|EAFNOSUPPORT/)
      return
    }
    try {
      expect(v6.origin).toBe(`http://[::1]:${v6.port}`)
      const res = await request(v6.url('/healthz'))
      expect(res.statusCode).toBe(200)
      await res.body.dump()
    } finally {
      await v6.close()
    }
  })

  it('closes promptly with stalled, trickling and delayed requests open', async () => {
    const local = await startDemoTarget()
    const client = new Agent()
    const timeoutsBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const pending = [
      '/stall-headers',
      '/stall-headers?ms=60000',
      '/delay/60000',
      '/latency?dist=fixed&ms=60000'
    ].map((path) =>
      request(local.url(path), { dispatcher: client, headersTimeout: 0 }).catch((error: unknown) => error)
    )
    const trickle = await request(local.url('/trickle?chunks=100&interval=5000'), { dispatcher: client })
    const trickleBody = trickle.body.arrayBuffer().catch((error: unknown) => error)
    while (local.stats().requests < 5) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(local.stats().openSockets).toBe(5)

    const started = performance.now()
    await local.close()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(local.stats().openSockets).toBe(0)
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(Error)
    expect(await trickleBody).toBeInstanceOf(Error)
    await client.close()
    // Every handler timer was cleared, so nothing keeps the process alive.
    await new Promise((resolve) => setImmediate(resolve))
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(
      timeoutsBefore
    )
    expect(local.close()).toBeInstanceOf(Promise)
  })

  it('handles many concurrent requests', async () => {
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) => get(`/latency?dist=uniform&min=0&max=20&seed=${i}`))
    )
    expect(replies.every((r) => r.status === 200)).toBe(true)
  })
})

describe('several hosts', () => {
  it('serves every origin and spreads a generated list over them, rate limiting on one host', async () => {
    const multi = await startDemoTarget({ hosts: 3 })
    try {
      expect(multi.origins).toHaveLength(3)
      expect(new Set(multi.origins.map((o) => new URL(o).port)).size).toBe(3)
      for (const origin of multi.origins) {
        const res = await request(`${origin}/healthz`)
        expect(res.statusCode).toBe(200)
        await res.body.dump()
      }
      const urls = generateDemoUrls(multi.origins, { count: 600, seed: 5 })
      const byOrigin = new Map<string, number>()
      for (const url of urls) byOrigin.set(new URL(url).origin, (byOrigin.get(new URL(url).origin) ?? 0) + 1)
      expect([...byOrigin.keys()].sort()).toEqual([...multi.origins].sort())
      expect(urls.some((u) => u.includes('/api/'))).toBe(true)
      for (const url of urls.filter((u) => u.includes('/api/'))) {
        expect(new URL(url).origin).toBe(multi.origins[1])
      }
      const trickles = urls.filter((u) => u.includes('/trickle'))
      expect(trickles.length).toBeGreaterThan(0)
      expect(trickles.every((u) => u.startsWith(multi.origins[2] ?? '-'))).toBe(true)
      // Stalls are spread: on one host they would hold its slots for minutes of a big list.
      const stallHosts = new Set(
        urls.filter((u) => u.includes('/stall-headers')).map((u) => new URL(u).origin)
      )
      expect(stallHosts.size).toBe(3)
    } finally {
      await multi.close()
    }
    expect(multi.stats().openSockets).toBe(0)
  })
})
