import { Agent, request } from 'undici'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import {
  DEMO_API_HOST,
  DEMO_URL_MIX,
  DEMO_WORKSHOP_LOAD,
  TokenBucket,
  generateDemoUrls,
  startDemoTarget,
  type DemoHostLoad,
  type DemoTarget
} from '../../../electron/core/demo/demo-target.ts'
import { fetchReply, header, type Reply } from '../../helpers/http-reply.ts'

/**
 * The demo hosts behave under load like real servers: a token bucket that refuses only a client
 * going faster than its rate (with a Retry-After that works when honoured), latency that grows
 * by queueing past a host's workers, and a URL list whose flaky and slow share is fixed by seed.
 */

const agent = new Agent({ connections: 128 })
const started: DemoTarget[] = []

async function target(load: readonly DemoHostLoad[] | 'workshop', hosts = load.length): Promise<DemoTarget> {
  const t = await startDemoTarget({ hosts, load })
  started.push(t)
  return t
}

const get = (origin: string, path: string): Promise<Reply> => fetchReply(agent, `${origin}${path}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.close()))
  vi.useRealTimers()
})

afterAll(async () => {
  await agent.close()
})

describe('token bucket', () => {
  it('never refuses a client within the rate, from a full bucket or an empty one', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 5 }, 0)
    // The burst at once, then a request every 100 ms (exactly the rate) for 30 s.
    for (let i = 0; i < 5; i++) expect(bucket.take(0).ok).toBe(true)
    for (let t = 100; t <= 30_000; t += 100) expect(bucket.take(t), `at ${t} ms`).toMatchObject({ ok: true })
  })

  it('refuses a burst past it with a Retry-After that, honoured, finds a token', () => {
    const bucket = new TokenBucket({ perSecond: 0.5, burst: 3 }, 0)
    expect([0, 1, 2].map(() => bucket.take(10).ok)).toEqual([true, true, true])
    const refused = bucket.take(10)
    // One token every 2 s: the next is 2 s away.
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 2 })
    expect(bucket.take(1_000).ok).toBe(false)
    expect(bucket.take(10 + 2_000).ok).toBe(true)
  })

  it('rounds a sub-second wait up to one second, never zero', () => {
    const bucket = new TokenBucket({ perSecond: 100, burst: 1 }, 0)
    expect(bucket.take(0).ok).toBe(true)
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(bucket.take(10).ok).toBe(true)
  })
})

describe('rate limit over loopback', () => {
  const LIMITED: readonly DemoHostLoad[] = [
    { workers: null, rateLimit: null },
    { workers: null, rateLimit: { perSecond: 20, burst: 5 } }
  ]

  it('serves a client at half the rate every time', async () => {
    const t = await target(LIMITED)
    const origin = t.origins[1] ?? ''
    const statuses: number[] = []
    // 10 a second for 1.5 s against 20 a second.
    for (let i = 0; i < 15; i++) {
      statuses.push((await get(origin, `/api/${i}?median=1&p99=2`)).status)
      await sleep(100)
    }
    expect(statuses).toEqual(Array.from({ length: 15 }, () => 200))
    expect(t.stats().rateLimited).toBe(0)
  })

  it('answers a burst past it with 429 + Retry-After, and the refused requests succeed when they honour it', async () => {
    const t = await target(LIMITED)
    const origin = t.origins[1] ?? ''
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => get(origin, `/api/${i}?median=1&p99=2`))
    )
    const refused = burst.filter((r) => r.status === 429)
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5)
    expect(refused.length).toBeGreaterThanOrEqual(1)
    expect(t.stats().rateLimited).toBe(refused.length)
    for (const r of refused) {
      expect(header(r, 'retry-after')).toBe('1')
      expect(header(r, 'x-demo-rate-limit')).toBe('20 requests a second, burst 5')
    }
    await sleep(1_000 * Number(header(refused[0] ?? burst[0]!, 'retry-after')))
    const again = await Promise.all(refused.map((_, i) => get(origin, `/api/${100 + i}?median=1&p99=2`)))
    expect(again.map((r) => r.status)).toEqual(refused.map(() => 200))
    // The other host has no limit; robots.txt and healthz are never limited.
    const other = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(t.origins[0] ?? '', `/api/${i}`))
    )
    expect(other.every((r) => r.status === 200)).toBe(true)
    const exempt = await Promise.all(Array.from({ length: 10 }, () => get(origin, '/healthz')))
    expect(exempt.every((r) => r.status === 200)).toBe(true)
  })

  it('limits the workshop API host at its documented rate and burst, and only that host', async () => {
    const t = await target('workshop', 3)
    const limit = DEMO_WORKSHOP_LOAD[DEMO_API_HOST]?.rateLimit
    expect(limit).toEqual({ perSecond: 100, burst: 100 })
    const api = t.origins[DEMO_API_HOST] ?? ''
    const replies = await Promise.all(
      Array.from({ length: 130 }, (_, i) => get(api, `/api/${i}?median=1&p99=2`))
    )
    const ok = replies.filter((r) => r.status === 200).length
    // 100 saved tokens plus what 100 a second adds while the 130 arrive.
    expect(ok).toBeGreaterThanOrEqual(100)
    expect(ok).toBeLessThan(130)
    expect(replies.filter((r) => r.status === 429).every((r) => header(r, 'retry-after') === '1')).toBe(true)
    const www = await Promise.all(
      Array.from({ length: 80 }, (_, i) => get(t.origins[0] ?? '', `/api/${i}?median=1&p99=2`))
    )
    expect(www.every((r) => r.status === 200)).toBe(true)
  })

  it('refuses a load that makes no sense, naming what is wrong', async () => {
    await expect(startDemoTarget({ load: [{ workers: 0, rateLimit: null }] })).rejects.toThrow(
      /load\[0\]: workers/
    )
    await expect(
      startDemoTarget({
        hosts: 2,
        load: [
          { workers: null, rateLimit: null },
          { workers: 4, rateLimit: { perSecond: 0, burst: 1 } }
        ]
      })
    ).rejects.toThrow(/load\[1\]: rateLimit.perSecond/)
  })
})

describe('load-aware latency', () => {
  it('adds queueing once concurrent requests exceed the workers, and none within them', async () => {
    const t = await target([{ workers: 2, rateLimit: null }])
    const within = await Promise.all([0, 1].map((i) => get(t.origin, `/delay/100?w=${i}`)))
    expect(within.map((r) => header(r, 'x-demo-queue-ms'))).toEqual(['0', '0'])

    const at = performance.now()
    const over = await Promise.all(Array.from({ length: 8 }, (_, i) => get(t.origin, `/delay/100?o=${i}`)))
    const wall = performance.now() - at
    expect(over.every((r) => r.status === 200)).toBe(true)
    // 8 requests of 100 ms on 2 workers take 4 rounds; 6 of them waited a round or more.
    expect(wall).toBeGreaterThanOrEqual(380)
    const waits = over.map((r) => Number(header(r, 'x-demo-queue-ms'))).sort((a, b) => a - b)
    expect(waits.filter((w) => w >= 90)).toHaveLength(6)
    expect(Math.max(...over.map((r) => r.ms))).toBeGreaterThanOrEqual(380)
  })

  it('serves the same 8 at once with no added latency on an unloaded host', async () => {
    const t = await startDemoTarget()
    started.push(t)
    const at = performance.now()
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => get(t.origin, `/delay/100?u=${i}`)))
    expect(performance.now() - at).toBeLessThan(350)
    expect(replies.every((r) => r.headers['x-demo-queue-ms'] === undefined)).toBe(true)
  })

  it('frees a waiting place when its client goes away', async () => {
    const t = await target([{ workers: 1, rateLimit: null }])
    const first = get(t.origin, '/delay/300?f=1')
    await sleep(30)
    const leaver = new AbortController()
    const aborted = request(`${t.origin}/delay/300?f=2`, { dispatcher: agent, signal: leaver.signal }).then(
      () => 'answered',
      () => 'aborted'
    )
    await sleep(30)
    leaver.abort()
    expect(await aborted).toBe('aborted')
    const sent = performance.now()
    const next = await get(t.origin, '/delay/0?f=3')
    // f=3 waited for f=1 alone (~240 ms left); the withdrawn f=2 did not take its 300 ms turn.
    expect(next.status).toBe(200)
    expect(performance.now() - sent).toBeLessThan(450)
    expect((await first).status).toBe(200)
  })
})

describe('the demo list', () => {
  const countBy = (urls: readonly string[], test: (path: string) => boolean) =>
    urls.filter((u) => test(new URL(u).pathname)).length
  const share = (id: string) => DEMO_URL_MIX.find((m) => m.id === id)?.share ?? NaN

  it('has the same share of flaky and slow URLs for every seed and size', () => {
    for (const count of [1_000, 20_000]) {
      for (const seed of [1, 2, 99]) {
        const urls = generateDemoUrls(['http://a', 'http://b', 'http://c'], { count, seed })
        expect(
          countBy(urls, (p) => p.startsWith('/flaky/')),
          `flaky ${count}/${seed}`
        ).toBe(Math.round(share('flaky') * count))
        expect(countBy(urls, (p) => p === '/stall-headers')).toBe(Math.round(share('stall') * count))
        expect(countBy(urls, (p) => p === '/trickle')).toBe(Math.round(share('trickle') * count))
        expect(countBy(urls, (p) => p === '/huge')).toBe(Math.round(share('huge') * count))
        expect(countBy(urls, (p) => p.startsWith('/api/'))).toBe(Math.round(share('api') * count))
        // No scripted refusals: 429s come from the rate limit alone.
        expect(countBy(urls, (p) => p.startsWith('/retry-after/'))).toBe(0)
      }
    }
  })

  it('is the same list whatever the clock says', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const before = generateDemoUrls(['http://a', 'http://b', 'http://c'], { count: 2_000, seed: 4 })
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'))
    expect(generateDemoUrls(['http://a', 'http://b', 'http://c'], { count: 2_000, seed: 4 })).toEqual(before)
  })

  it('homes the API calls on the rate-limited host', () => {
    const origins = ['http://a', 'http://b', 'http://c']
    const api = generateDemoUrls(origins, { count: 2_000, seed: 3 }).filter((u) => u.includes('/api/'))
    expect(api.length).toBeGreaterThan(0)
    expect(new Set(api.map((u) => new URL(u).origin))).toEqual(new Set([origins[DEMO_API_HOST]]))
  })
})
