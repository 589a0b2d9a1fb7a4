import { describe, expect, it } from 'vitest'
import { clockTime, RobotsCache, ROBOTS_MIN_BYTES } from '../../../electron/core/crawl/robots.ts'
import { documentFetcher } from '../../../electron/core/engine/fetch-document.ts'
import { robotsServers, RULES, text, UA } from '../../helpers/robots-server.ts'

/**
 * The robots.txt cache over real loopback sockets: one fetch per origin however many ask, retry
 * after "unreachable", refresh after a day (RFC 9309 §2.4), and what the hosts view shows.
 */

const { agent, serve } = robotsServers()

describe('RobotsCache', () => {
  /** A clock the test moves by hand. */
  const manualClock = (start = Date.parse('2026-11-22T12:00:00Z')) => {
    let now = start
    return {
      now: () => now,
      advance: (ms: number) => {
        now += ms
      }
    }
  }

  it('fetches once per origin however many ask at once, showing "fetching" meanwhile', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const site = await serve((req, res) => {
      void gate.then(() => {
        text(200, RULES)(req, res)
      })
    })
    const other = await serve(text(404, 'nothing here'))
    const cache = new RobotsCache({ userAgent: UA, fetch: documentFetcher(agent) })
    const asks = Array.from({ length: 20 }, (_, i) =>
      cache.check(site.url(i % 2 ? '/private/p' : `/page/${i}`))
    )
    const otherAsks = [cache.check(other.url('/a')), cache.check(other.url('/b'))]
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(cache.status(site.origin)).toEqual({ kind: 'fetching', label: 'fetching' })
    expect(cache.verdict(site.url('/page/1'))).toBeNull()
    release()
    const verdicts = await Promise.all(asks)
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10)
    expect(verdicts.filter((v) => !v.allowed)).toHaveLength(10)
    expect(await Promise.all(otherAsks)).toEqual([{ allowed: true }, { allowed: true }])
    expect(site.hits.get('/robots.txt')).toBe(1)
    expect(other.hits.get('/robots.txt')).toBe(1)

    // Later asks are answered from the cache, synchronously too.
    expect(cache.verdict(site.url('/private/q'))).toMatchObject({
      allowed: false,
      rule: 'Disallow: /private/'
    })
    await cache.check(site.url('/x'))
    expect(site.hits.get('/robots.txt')).toBe(1)

    expect(cache.statuses()).toEqual([
      {
        origin: site.origin,
        status: {
          kind: 'rules',
          label: 'rules (1 group)',
          groups: 1,
          status: 200,
          truncated: false,
          crawlDelayMs: 3_000,
          sitemaps: 1
        }
      },
      { origin: other.origin, status: { kind: 'allowed-all', label: 'allowed-all (404)', status: 404 } }
    ])
    expect(cache.crawlDelayMs(site.url('/any'))).toBe(3_000)
    expect(cache.sitemaps(site.origin)).toEqual(['https://shop.example/sitemap.xml'])
    expect(cache.crawlDelayMs(other.origin)).toBeNull()
    expect(cache.sitemaps(other.origin)).toEqual([])
  })

  it('unreachable disallows everything until the retry time, then fetches again', async () => {
    let status = 503
    const site = await serve((req, res) => {
      text(status, 'User-agent: *\nDisallow: /private/\n')(req, res)
    })
    const clock = manualClock()
    const cache = new RobotsCache({ userAgent: UA, fetch: documentFetcher(agent), clock: clock.now })
    const started = clock.now()

    const blocked = await cache.check(site.url('/public'))
    expect(blocked).toEqual({
      allowed: false,
      rule: 'robots.txt unreachable (HTTP 503)',
      line: 0,
      message: `robots.txt of ${site.origin} is unreachable (HTTP 503), so the whole site is disallowed until ${clockTime(started + 60_000)} (RFC 9309 §2.3.1.4).`
    })
    expect(cache.status(site.origin)).toEqual({
      kind: 'unreachable',
      label: `unreachable until ${clockTime(started + 60_000)} (HTTP 503)`,
      untilMs: started + 60_000,
      detail: 'HTTP 503',
      failures: 1
    })

    clock.advance(59_999)
    expect((await cache.check(site.url('/public'))).allowed).toBe(false)
    expect(site.hits.get('/robots.txt')).toBe(1)

    // Second failure: the wait doubles.
    clock.advance(1)
    expect((await cache.check(site.url('/public'))).allowed).toBe(false)
    expect(site.hits.get('/robots.txt')).toBe(2)
    expect(cache.status(site.origin)).toMatchObject({ untilMs: started + 60_000 + 120_000, failures: 2 })

    status = 200
    clock.advance(119_999)
    expect((await cache.check(site.url('/public'))).allowed).toBe(false)
    clock.advance(1)
    expect(await cache.check(site.url('/public'))).toEqual({ allowed: true })
    expect((await cache.check(site.url('/private/x'))).allowed).toBe(false)
    expect(site.hits.get('/robots.txt')).toBe(3)
    expect(cache.status(site.origin)).toMatchObject({ kind: 'rules', label: 'rules (1 group)' })
  })

  it('refreshes after 24 h; a failed refresh keeps the cached rules (§2.4)', async () => {
    let answer = text(200, 'User-agent: *\nDisallow: /v1/\n')
    const site = await serve((req, res) => {
      answer(req, res)
    })
    const clock = manualClock()
    const cache = new RobotsCache({ userAgent: UA, fetch: documentFetcher(agent), clock: clock.now })
    expect((await cache.check(site.url('/v1/a'))).allowed).toBe(false)

    answer = text(500, 'oops')
    clock.advance(24 * 3_600_000 - 1)
    expect((await cache.check(site.url('/v1/a'))).allowed).toBe(false)
    expect(site.hits.get('/robots.txt')).toBe(1)
    clock.advance(1)
    expect((await cache.check(site.url('/v1/a'))).allowed).toBe(false)
    expect(await cache.check(site.url('/v2/a'))).toEqual({ allowed: true })
    expect(site.hits.get('/robots.txt')).toBe(2)
    expect(cache.status(site.origin).label).toBe(
      'rules (1 group; refresh failed: HTTP 500, kept the cached copy)'
    )

    answer = text(200, 'User-agent: *\nDisallow: /v2/\n')
    clock.advance(60_000)
    expect(await cache.check(site.url('/v1/a'))).toEqual({ allowed: true })
    expect((await cache.check(site.url('/v2/a'))).allowed).toBe(false)
    expect(cache.status(site.origin).label).toBe('rules (1 group)')
  })

  it('after 30 days of nothing but failures, treats the origin as having no robots.txt (§2.3.1.4)', async () => {
    const site = await serve(text(503, ''))
    const clock = manualClock()
    const cache = new RobotsCache({
      userAgent: UA,
      fetch: documentFetcher(agent),
      clock: clock.now,
      unreachableRetryMs: 10 * 86_400_000,
      unreachableRetryMaxMs: 10 * 86_400_000
    })
    expect((await cache.check(site.url('/a'))).allowed).toBe(false)
    clock.advance(10 * 86_400_000)
    expect((await cache.check(site.url('/a'))).allowed).toBe(false)
    clock.advance(10 * 86_400_000)
    expect((await cache.check(site.url('/a'))).allowed).toBe(false)
    clock.advance(10 * 86_400_000)
    expect(await cache.check(site.url('/a'))).toEqual({ allowed: true })
    expect(site.hits.get('/robots.txt')).toBe(4)
    expect(cache.status(site.origin)).toEqual({
      kind: 'allowed-all',
      label: 'allowed-all (unreachable for 30 days: HTTP 503)',
      status: null
    })
  })

  it('cancel ends fetches in flight; their origins are unreachable', async () => {
    const site = await serve(() => {
      // never answers
    })
    const cache = new RobotsCache({ userAgent: UA, fetch: documentFetcher(agent) })
    const pending = cache.check(site.url('/a'))
    setTimeout(() => {
      cache.cancel()
    }, 50)
    expect(await pending).toMatchObject({ allowed: false, rule: 'robots.txt unreachable (cancelled)' })
  })

  it('a file over the limit says so in the hosts view', async () => {
    const site = await serve(text(200, `User-agent: *\nDisallow: /a\n${'#\n'.repeat(ROBOTS_MIN_BYTES)}`))
    const cache = new RobotsCache({ userAgent: UA, fetch: documentFetcher(agent) })
    await cache.load(site.origin)
    expect(cache.status(site.origin).label).toBe('rules (1 group; only the first 500 KiB read)')
  })
})
