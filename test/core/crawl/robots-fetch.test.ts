import { describe, expect, it } from 'vitest'
import { fetchRobots, ROBOTS_MIN_BYTES, type RobotsOutcome } from '../../../electron/core/crawl/robots.ts'
import { documentFetcher } from '../../../electron/core/engine/fetch-document.ts'
import { robotsServers, RULES, text, UA, type Handler } from '../../helpers/robots-server.ts'

/**
 * Fetching robots.txt over real loopback sockets: each status class of RFC 9309 §2.3.1, redirects
 * (five followed, the sixth refused, loops), the 500 KiB parsing limit, servers that refuse or
 * stall. The cache over the same servers is in robots-cache.test.ts.
 */

const { agent, serve } = robotsServers()

const redirect =
  (status: number, to: (path: string) => string | null): Handler =>
  (req, res) => {
    const location = to(req.url ?? '/')
    res.writeHead(status, location === null ? {} : { location })
    res.end()
  }

const fetchOpts = { userAgent: UA, timeoutMs: 2_000, fetch: documentFetcher(agent) }

/** The outcome's essentials, for compact assertions. */
function summary(outcome: RobotsOutcome) {
  switch (outcome.kind) {
    case 'rules':
      return { kind: outcome.kind, status: outcome.status, redirects: outcome.redirects }
    case 'unavailable':
      return { kind: outcome.kind, status: outcome.status, redirects: outcome.redirects }
    case 'unreachable':
      return { kind: outcome.kind, code: outcome.code, detail: outcome.detail, redirects: outcome.redirects }
  }
}

describe('fetchRobots: status classes (RFC 9309 §2.3.1)', () => {
  it('200: rules parsed, our User-Agent sent', async () => {
    const site = await serve(text(200, RULES))
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(summary(outcome)).toEqual({ kind: 'rules', status: 200, redirects: 0 })
    if (outcome.kind !== 'rules') return
    expect(outcome.rules.check(site.url('/private/a'), UA)).toMatchObject({ allowed: false, line: 2 })
    expect(outcome.rules.check(site.url('/public'), UA)).toEqual({ allowed: true })
    expect(outcome.truncated).toBe(false)
    expect(site.hits.get('/robots.txt')).toBe(1)
    expect(site.agents).toEqual([UA])
  })

  it.each([404, 403, 401, 410])('%i: unavailable, everything allowed (§2.3.1.3)', async (status) => {
    const site = await serve(text(status, 'User-agent: *\nDisallow: /\n'))
    expect(summary(await fetchRobots(site.origin, fetchOpts))).toEqual({
      kind: 'unavailable',
      status,
      redirects: 0
    })
  })

  it.each([500, 502, 503, 429])('%i: unreachable, everything disallowed (§2.3.1.4)', async (status) => {
    const site = await serve(text(status, 'User-agent: *\nAllow: /\n'))
    expect(summary(await fetchRobots(site.origin, fetchOpts))).toEqual({
      kind: 'unreachable',
      code: 'HTTP_STATUS',
      detail: `HTTP ${status}`,
      redirects: 0
    })
  })

  it('connection refused: unreachable', async () => {
    const site = await serve(text(200, RULES))
    await site.close()
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(summary(outcome)).toEqual({
      kind: 'unreachable',
      code: 'CONNECT_REFUSED',
      detail: 'connection refused',
      redirects: 0
    })
  })

  it('a server that never answers: unreachable after the deadline, not later', async () => {
    const site = await serve(() => {
      // Holds the request open: no headers, ever.
    })
    const started = performance.now()
    const outcome = await fetchRobots(site.origin, { ...fetchOpts, timeoutMs: 300 })
    const tookMs = performance.now() - started
    expect(summary(outcome)).toEqual({
      kind: 'unreachable',
      code: 'TIMEOUT_TOTAL',
      detail: 'timed out after 300 ms',
      redirects: 0
    })
    expect(tookMs).toBeGreaterThanOrEqual(290)
    expect(tookMs).toBeLessThan(1_500)
  })

  it('a body that stalls halfway: unreachable after the deadline', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' })
      res.write('User-agent: *\nDisallow: /a\n')
    })
    const outcome = await fetchRobots(site.origin, { ...fetchOpts, timeoutMs: 300 })
    expect(summary(outcome)).toMatchObject({ kind: 'unreachable', code: 'TIMEOUT_TOTAL' })
  })

  it('a cancelled fetch ends at once as ABORTED', async () => {
    const site = await serve(() => {
      // never answers
    })
    const controller = new AbortController()
    setTimeout(() => {
      controller.abort()
    }, 50)
    const started = performance.now()
    const outcome = await fetchRobots(site.origin, { ...fetchOpts, signal: controller.signal })
    expect(summary(outcome)).toMatchObject({ kind: 'unreachable', code: 'ABORTED' })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('refuses a parsing limit below 500 KiB (§2.5)', async () => {
    await expect(fetchRobots('http://127.0.0.1:9/', { ...fetchOpts, maxBytes: 100_000 })).rejects.toThrow(
      RangeError
    )
  })
})

describe('fetchRobots: redirects (§2.3.1.2)', () => {
  it('301 → 302 → 200: rules of the final file apply to the origin asked about', async () => {
    const site = await serve((req, res) => {
      if (req.url === '/robots.txt') redirect(301, () => '/old-robots')(req, res)
      else if (req.url === '/old-robots') redirect(302, () => '/robots-live.txt')(req, res)
      else text(200, RULES)(req, res)
    })
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(summary(outcome)).toEqual({ kind: 'rules', status: 200, redirects: 2 })
    expect(outcome.url).toBe(site.url('/robots-live.txt'))
    if (outcome.kind === 'rules') expect(outcome.rules.check(site.url('/private/x'), UA).allowed).toBe(false)
  })

  it('follows a redirect to another origin; the rules are for the first', async () => {
    const cdn = await serve(text(200, 'User-agent: *\nDisallow: /checkout\n'))
    const site = await serve(redirect(308, () => cdn.url('/shop-robots.txt')))
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(summary(outcome)).toEqual({ kind: 'rules', status: 200, redirects: 1 })
    expect(outcome.origin).toBe(site.origin)
    if (outcome.kind !== 'rules') return
    expect(outcome.rules.check(site.url('/checkout'), UA).allowed).toBe(false)
    expect(() => outcome.rules.check(cdn.url('/checkout'), UA)).toThrow(/not on/)
  })

  /** /robots.txt → /r1 → … → /rN, which answers 200. */
  const chain = (hops: number): Handler => {
    return (req, res) => {
      const n = req.url === '/robots.txt' ? 0 : Number(req.url?.slice(2))
      if (n < hops) redirect(307, () => `/r${n + 1}`)(req, res)
      else text(200, RULES)(req, res)
    }
  }

  it('five redirects are followed', async () => {
    const site = await serve(chain(5))
    expect(summary(await fetchRobots(site.origin, fetchOpts))).toEqual({
      kind: 'rules',
      status: 200,
      redirects: 5
    })
  })

  it('a sixth is not: unreachable, and the sixth target is never requested', async () => {
    const site = await serve(chain(6))
    expect(summary(await fetchRobots(site.origin, fetchOpts))).toEqual({
      kind: 'unreachable',
      code: 'TOO_MANY_REDIRECTS',
      detail: 'more than 5 redirects',
      redirects: 5
    })
    expect(site.hits.get('/r5')).toBe(1)
    expect(site.hits.get('/r6')).toBeUndefined()
  })

  it('a loop is caught when it comes back round', async () => {
    const site = await serve((req, res) => {
      redirect(302, () => (req.url === '/robots.txt' ? '/a' : '/robots.txt'))(req, res)
    })
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(summary(outcome)).toEqual({
      kind: 'unreachable',
      code: 'REDIRECT_LOOP',
      detail: `redirect loop back to ${site.url('/robots.txt')}`,
      redirects: 1
    })
    expect(site.hits.get('/robots.txt')).toBe(1)
  })

  it('a redirect without a Location is unreachable', async () => {
    const site = await serve(redirect(301, () => null))
    expect(summary(await fetchRobots(site.origin, fetchOpts))).toMatchObject({
      kind: 'unreachable',
      code: 'HTTP_STATUS',
      detail: 'HTTP 301 without a usable Location'
    })
  })
})

describe('fetchRobots: the 500 KiB limit (§2.5)', () => {
  it('rules before the cut-off count, rules after it are ignored', async () => {
    const head = 'User-agent: *\nDisallow: /early\n'
    const filler = `# ${'x'.repeat(97)}\n` // 100 bytes a line
    const padding = filler.repeat(Math.ceil(ROBOTS_MIN_BYTES / filler.length) + 10)
    const body = `${head}${padding}Disallow: /late\n`
    expect(Buffer.byteLength(body)).toBeGreaterThan(ROBOTS_MIN_BYTES + 1_000)
    const site = await serve(text(200, body))
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(outcome.kind).toBe('rules')
    if (outcome.kind !== 'rules') return
    expect(outcome.truncated).toBe(true)
    expect(outcome.bytesRead).toBe(ROBOTS_MIN_BYTES)
    expect(outcome.rules.check(site.url('/early/x'), UA)).toMatchObject({ allowed: false, line: 2 })
    expect(outcome.rules.check(site.url('/late/x'), UA)).toEqual({ allowed: true })
  })

  it('a file of exactly the limit is read whole', async () => {
    const head = 'User-agent: *\nDisallow: /a\n'
    const last = 'Disallow: /last\n'
    const fill = ROBOTS_MIN_BYTES - head.length - last.length
    const body = `${head}#${'y'.repeat(fill - 2)}\n${last}`
    expect(Buffer.byteLength(body)).toBe(ROBOTS_MIN_BYTES)
    const site = await serve(text(200, body))
    const outcome = await fetchRobots(site.origin, fetchOpts)
    expect(outcome).toMatchObject({ kind: 'rules', truncated: false, bytesRead: ROBOTS_MIN_BYTES })
    if (outcome.kind === 'rules') expect(outcome.rules.check(site.url('/last'), UA).allowed).toBe(false)
  })
})
