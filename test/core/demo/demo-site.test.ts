import { gunzipSync } from 'node:zlib'
import { Parser } from 'htmlparser2'
import robotsParser from 'robots-parser'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEMO_BLOCKED_AGENT,
  DEMO_SLOW_AGENT,
  DEMO_SLOW_AGENT_DELAY_S,
  siteFacts,
  startDemoTarget,
  type DemoSiteOptions,
  type DemoTarget,
  type SiteWalkOptions
} from '../../../electron/core/demo/demo-target.ts'
import {
  calendarMonth,
  parseSiteUrl,
  siteLatencyMs,
  siteRobotsAllows,
  SITEMAP_1_MAX_PAGES,
  treeLevel
} from '../../../electron/core/demo/demo-site.ts'

/**
 * The synthetic site over loopback, read the way a crawler reads it: pages parsed by htmlparser2,
 * links resolved by the WHATWG URL parser against the page or its <base>, robots.txt matched by
 * robots-parser. A breadth-first crawl written here, independently of the generator, must find
 * exactly what siteFacts says, for each crawler behaviour.
 */

const UA = 'Crawlboard/0.1 (+https://crawlboard.dev/bot)'
// No latency, and slow pages only a little slow, so a whole crawl takes a second or two.
const SMALL: DemoSiteOptions = { pages: 200, latency: { dist: 'fixed', ms: 0 }, faults: { slowMs: 30 } }
const agent = new Agent({ connections: 32 })
const targets: DemoTarget[] = []
let target: DemoTarget

async function start(opts: Parameters<typeof startDemoTarget>[0]): Promise<DemoTarget> {
  const t = await startDemoTarget(opts)
  targets.push(t)
  return t
}

beforeAll(async () => {
  target = await start({ site: SMALL })
})

afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()))
  await agent.close()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  ms: number
}

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const started = performance.now()
  const res = await request(url, { dispatcher: agent, headers, method, headersTimeout: 10_000 })
  const body = Buffer.from(await res.body.arrayBuffer())
  return { status: res.statusCode, headers: res.headers, body, ms: performance.now() - started } as Reply
}

const header = (reply: Reply, name: string): string => String(reply.headers[name] ?? '')

interface ParsedPage {
  title: string
  baseHref: string | null
  metaNofollow: boolean
  links: { href: string; rel: string | null }[]
}

function parsePage(html: string): ParsedPage {
  const page: ParsedPage = { title: '', baseHref: null, metaNofollow: false, links: [] }
  let inTitle = false
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title') inTitle = true
        if (name === 'base' && attrs.href !== undefined) page.baseHref ??= attrs.href
        if (name === 'meta' && attrs.name?.toLowerCase() === 'robots') {
          page.metaNofollow ||= /\bnofollow\b/i.test(attrs.content ?? '')
        }
        if (name === 'a' && attrs.href !== undefined)
          page.links.push({ href: attrs.href, rel: attrs.rel ?? null })
      },
      ontext(text) {
        if (inTitle) page.title += text
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false
      }
    },
    { decodeEntities: true }
  )
  parser.end(html)
  return page
}

type Resolved = { on: 'site'; path: string } | { on: 'external'; url: string } | { on: 'ignored' }

/** As a browser resolves an href: against the <base> (itself resolved against the page), fragment dropped. */
function resolve(href: string, baseHref: string | null, pageUrl: string, origin: string): Resolved {
  const trimmed = href.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return { on: 'ignored' }
  const base = baseHref === null ? pageUrl : new URL(baseHref, pageUrl).href
  const url = new URL(href, base)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { on: 'ignored' }
  url.hash = ''
  if (url.origin !== origin) return { on: 'external', url: url.href }
  return { on: 'site', path: `${url.pathname}${url.search}` }
}

function stripUtm(path: string): string {
  const url = new URL(path, 'http://x')
  for (const name of [...url.searchParams.keys()]) if (name.startsWith('utm_')) url.searchParams.delete(name)
  return `${url.pathname}${url.search}`
}

const isTrap = (path: string): boolean => path.startsWith('/site/calendar') || path.startsWith('/site/a/')

interface Crawl {
  fetched: Map<string, { depth: number; status: number }>
  disallowed: Map<string, number>
  traps: Map<string, number>
  external: Set<string>
  /** Every site path any link points to, followed or not. */
  linked: Set<string>
  stats: { base: number; nofollow: number; ignored: Map<string, number>; pagesWithTwins: number }
}

async function robotsOf(t: DemoTarget) {
  const reply = await get(t.url('/robots.txt'))
  return robotsParser(t.url('/robots.txt'), reply.body.toString())
}

async function sitemapLocs(url: string): Promise<string[]> {
  const reply = await get(url)
  expect(reply.status, url).toBe(200)
  const xml = url.endsWith('.gz') ? gunzipSync(reply.body).toString() : reply.body.toString()
  const locs: string[] = []
  let inLoc = false
  const parser = new Parser(
    {
      onopentag: (name) => (inLoc = name === 'loc'),
      ontext: (text) => {
        if (inLoc) locs.push(text.trim())
      },
      onclosetag: () => (inLoc = false)
    },
    { xmlMode: true }
  )
  parser.end(xml)
  return locs
}

/** Every URL the robots.txt Sitemap lines lead to, through the index. */
async function sitemapUrls(t: DemoTarget): Promise<string[]> {
  const robots = await robotsOf(t)
  const urls: string[] = []
  for (const index of robots.getSitemaps()) {
    for (const child of await sitemapLocs(index)) urls.push(...(await sitemapLocs(child)))
  }
  return urls
}

/** Breadth-first, one depth at a time (so depths are shortest distances), 16 requests at once. */
async function crawl(t: DemoTarget, walk: SiteWalkOptions = {}): Promise<Crawl> {
  const robots = await robotsOf(t)
  const result: Crawl = {
    fetched: new Map(),
    disallowed: new Map(),
    traps: new Map(),
    external: new Set(),
    linked: new Set(),
    stats: { base: 0, nofollow: 0, ignored: new Map(), pagesWithTwins: 0 }
  }
  const seen = new Set<string>(['/site/'])
  let level = ['/site/']
  if (walk.fromSitemaps) {
    for (const url of await sitemapUrls(t)) {
      const path = new URL(url).pathname + new URL(url).search
      if (!seen.has(path)) level.push(path)
      seen.add(path)
    }
  }
  const visit = async (path: string, depth: number, next: string[]): Promise<void> => {
    if (isTrap(path)) {
      result.traps.set(path, depth)
      return
    }
    if (robots.isAllowed(t.url(path), UA) === false) {
      result.disallowed.set(path, depth)
      if (walk.respectRobots ?? true) return
    }
    const reply = await get(t.url(path))
    result.fetched.set(path, { depth, status: reply.status })
    if (reply.status !== 200 || !header(reply, 'content-type').startsWith('text/html')) return
    if (depth >= (walk.maxDepth ?? Infinity)) return
    const page = parsePage(reply.body.toString())
    if (page.baseHref !== null) result.stats.base++
    const distinctHrefs = new Set<string>()
    const distinctTargets = new Set<string>()
    for (const link of page.links) {
      const to = resolve(link.href, page.baseHref, t.url(path), t.origin)
      const scheme = /^\s*([a-z]+):/i.exec(link.href)?.[1]?.toLowerCase()
      if (to.on === 'ignored') {
        const kind =
          link.href.trim() === '' ? 'empty' : link.href.startsWith('#') ? 'fragment' : (scheme ?? '?')
        result.stats.ignored.set(kind, (result.stats.ignored.get(kind) ?? 0) + 1)
        continue
      }
      if (to.on === 'site') result.linked.add(to.path)
      distinctHrefs.add(link.href)
      distinctTargets.add(to.on === 'site' ? to.path : to.url)
      const nofollow = page.metaNofollow || (link.rel ?? '').toLowerCase().split(/\s+/).includes('nofollow')
      if (nofollow) result.stats.nofollow++
      if (nofollow && !walk.followNofollow) continue
      if (to.on === 'external') {
        result.external.add(to.url)
        continue
      }
      const target = walk.stripTracking ? stripUtm(to.path) : to.path
      if (seen.has(target)) continue
      seen.add(target)
      next.push(target)
    }
    if (distinctTargets.size < distinctHrefs.size) result.stats.pagesWithTwins++
  }
  for (let depth = 0; level.length > 0 && depth < 100; depth++) {
    const next: string[] = []
    let taken = 0
    const worker = async (): Promise<void> => {
      for (let path = level[taken++]; path !== undefined; path = level[taken++])
        await visit(path, depth, next)
    }
    await Promise.all(Array.from({ length: 16 }, worker))
    level = next
  }
  return result
}

function expectCrawlMatchesFacts(found: Crawl, opts: DemoSiteOptions, walk: SiteWalkOptions = {}): void {
  const facts = siteFacts(opts, walk)
  expect(new Map(facts.fetched.map((f) => [f.path, { depth: f.depth, status: f.status }]))).toEqual(
    found.fetched
  )
  expect(new Map(facts.disallowed.map((f) => [f.path, f.depth]))).toEqual(found.disallowed)
  expect(new Map(facts.trapEntries.map((f) => [f.path, f.depth]))).toEqual(found.traps)
  expect(new Set(facts.external)).toEqual(found.external)
}

describe('synthetic site pages', () => {
  it('serves the same page every time, differing only by origin between targets', async () => {
    const other = await start({ site: SMALL })
    const otherSeed = await start({ site: { ...SMALL, seed: 2 } })
    for (const path of ['/site/', '/site/p/2', '/site/p/37', '/site/p/155', '/site/calendar']) {
      const a = (await get(target.url(path))).body.toString()
      expect((await get(target.url(path))).body.toString(), path).toBe(a)
      const b = (await get(other.url(path))).body.toString().replaceAll(`:${other.port}/`, `:${target.port}/`)
      expect(b, path).toBe(a)
    }
    const seeded = (await get(otherSeed.url('/site/p/37'))).body.toString()
    expect(seeded.replaceAll(`:${otherSeed.port}/`, `:${target.port}/`)).not.toBe(
      (await get(target.url('/site/p/37'))).body.toString()
    )
  })

  it('gives each tree page a title, nav, breadcrumbs, children and links in every form a crawler meets', async () => {
    const found = await crawl(target, { followNofollow: true })
    expect(found.stats.base).toBeGreaterThanOrEqual(10)
    expect(found.stats.nofollow).toBeGreaterThanOrEqual(10)
    for (const kind of ['mailto', 'javascript', 'tel', 'fragment', 'empty']) {
      expect(found.stats.ignored.get(kind), kind).toBeGreaterThan(0)
    }
    // Pages whose distinct hrefs name fewer distinct URLs: fragments, case, default ports.
    expect(found.stats.pagesWithTwins).toBeGreaterThan(100)
    expect([...found.fetched.keys()].some((p) => p.includes('utm_source='))).toBe(true)

    const page = parsePage((await get(target.url('/site/p/9'))).body.toString())
    expect(page.title).toMatch(/^Page 9: /)
    const resolved = page.links.map((l) =>
      resolve(l.href, page.baseHref, target.url('/site/p/9'), target.origin)
    )
    const paths = resolved.flatMap((r) => (r.on === 'site' ? [r.path] : []))
    expect(paths).toContain('/site/') // nav
    expect(paths).toContain('/site/p/1') // parent, in the breadcrumbs
    for (let c = 73; c <= 80; c++) expect(paths).toContain(`/site/p/${c}`) // children 8n+1 … 8n+8
    expect(page.links.some((l) => l.href.startsWith('HTTP://'))).toBe(true)
  })

  it('resolves links on <base href> pages against /site/, not the page', async () => {
    for (const [n, base] of [
      [2, `${target.origin}/site/`],
      [12, '../']
    ] as const) {
      const page = parsePage((await get(target.url(`/site/p/${n}`))).body.toString())
      expect(page.baseHref).toBe(base)
      const child = page.links.find((l) => l.href === `p/${8 * n + 1}`)
      // Read against the base, as a browser reads it, the link leads to the child page.
      const baseUrl = new URL(base, target.url(`/site/p/${n}`))
      expect(child && new URL(child.href, baseUrl).href, `page ${n}`).toBe(target.url(`/site/p/${8 * n + 1}`))
      // Ignoring the base would give /site/p/p/… which the site answers with 404.
      expect((await get(target.url(`/site/p/p/${8 * n + 1}`))).status).toBe(404)
      expect((await get(target.url(`/site/p/${8 * n + 1}`))).status).toBe(200)
    }
  })

  it('links with the host the request named, so a crawl seeded on localhost stays there', async () => {
    const host = `localhost:${target.port}`
    const html = (await get(target.url('/site/p/11'), { host })).body.toString()
    expect(html).toContain(`href="http://localhost:${target.port}/site/p/1"`)
    expect(html).toContain(`href="HTTP://LOCALHOST:${target.port}/site/p/`)
    const bogus = (await get(target.url('/site/p/11'), { host: `"><script>:${target.port}` })).body.toString()
    expect(bogus).not.toContain('<script>')
    expect(bogus).toContain(`href="${target.origin}/site/p/1"`)
  })

  it('answers HEAD like GET, without a body; unknown paths under /site/ are 404; /site redirects', async () => {
    const full = await get(target.url('/site/p/3'))
    const head = await get(target.url('/site/p/3'), {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
    expect(Number(header(head, 'content-length'))).toBe(full.body.length)
    for (const path of [
      '/site/p/0',
      '/site/p/007',
      '/site/p/200',
      '/site/nope',
      '/site/p/3/x',
      '/site/nf/2'
    ]) {
      expect((await get(target.url(path))).status, path).toBe(404)
    }
    const moved = await get(target.url('/site?x=1'))
    expect(moved.status).toBe(301)
    expect(header(moved, 'location')).toBe('/site/?x=1')
  })

  it('waits the seeded latency per page, and slow pages wait slowMs', async () => {
    const opts: DemoSiteOptions = {
      pages: 200,
      latency: { dist: 'uniform', minMs: 20, maxMs: 60 },
      faults: { slowMs: 400 }
    }
    const t = await start({ site: opts })
    const facts = siteFacts(opts)
    const slow = facts.fetched.filter((f) => f.latencyMs === 400)
    expect(slow.length).toBeGreaterThan(0)
    for (const f of [...facts.fetched.slice(0, 5), ...slow.slice(0, 2)]) {
      const reply = await get(t.url(f.path))
      expect(Number(header(reply, 'x-demo-delay-ms')), f.path).toBe(f.latencyMs)
      expect(reply.ms, f.path).toBeGreaterThanOrEqual(f.latencyMs - 5)
    }
    const page = parseSiteUrl(t.site, '/site/p/5')
    if (page === null) throw new Error('page 5 exists')
    const reply = await get(t.url('/site/p/5?utm_source=feed'))
    expect(Number(header(reply, 'x-demo-delay-ms'))).toBe(
      siteLatencyMs(t.site, page, '/site/p/5?utm_source=feed')
    )
  })

  it('has 404 and 500 leaves among the pages', () => {
    const facts = siteFacts(SMALL)
    expect(facts.statusCounts[404]).toBeGreaterThan(0)
    expect(facts.statusCounts[500]).toBeGreaterThan(0)
    const bench = siteFacts({ ...SMALL, faults: false })
    expect(Object.keys(bench.statusCounts)).toEqual(['200'])
  })
})

describe('robots.txt', () => {
  it('disallows a section (with an Allow inside), a wildcard and a $ rule; Crawl-delay for one agent only', async () => {
    const reply = await get(target.url('/robots.txt'))
    expect(reply.status).toBe(200)
    expect(header(reply, 'content-type')).toMatch(/^text\/plain/)
    const robots = await robotsOf(target)
    const allowed = (path: string, ua = UA) => robots.isAllowed(target.url(path), ua)
    expect(allowed('/site/p/4')).toBe(true)
    expect(allowed('/site/private/1')).toBe(false)
    expect(allowed('/site/private/press-kit')).toBe(true)
    expect(allowed('/site/p/4?sort=asc')).toBe(false)
    expect(allowed('/site/?sort=asc')).toBe(false)
    expect(allowed('/site/files/report-6.pdf')).toBe(false)
    expect(allowed('/site/files/report-6.pdf?download=1')).toBe(true)
    expect(allowed('/site/p/4', `${DEMO_BLOCKED_AGENT}/2.0`)).toBe(false)
    expect(allowed('/site/private/1', `${DEMO_SLOW_AGENT}/1.0`)).toBe(false)
    expect(robots.getCrawlDelay(UA)).toBeUndefined()
    expect(robots.getCrawlDelay(`${DEMO_SLOW_AGENT}/1.0`)).toBe(DEMO_SLOW_AGENT_DELAY_S)
    expect(robots.getSitemaps()).toEqual([target.url('/site/sitemap.xml')])
  })

  it('agrees with the rules siteFacts applies, on every URL of the site', async () => {
    const robots = await robotsOf(target)
    const found = await crawl(target, { followNofollow: true, respectRobots: false })
    const paths = [...found.fetched.keys(), ...found.linked]
    expect(paths.length).toBeGreaterThan(300)
    for (const path of paths) {
      expect(siteRobotsAllows(path), path).toBe(robots.isAllowed(target.url(path), UA) !== false)
    }
  })

  it('can be switched per origin: none (404), disallow-all, any status, any text', async () => {
    const t = await start({
      hosts: 4,
      site: SMALL,
      robots: [
        'none',
        'disallow-all',
        { status: 503, text: 'down' },
        { text: (o) => `Sitemap: ${o}/x.xml\n` }
      ]
    })
    const [none, all, down, custom] = await Promise.all(t.origins.map((o) => get(`${o}/robots.txt`)))
    expect(none?.status).toBe(404)
    expect(all?.body.toString()).toBe('User-agent: *\nDisallow: /\n')
    expect(down?.status).toBe(503)
    expect(custom?.body.toString()).toBe(`Sitemap: ${t.origins[3]}/x.xml\n`)
    const single = await start({ hosts: 2, robots: 'none' })
    for (const o of single.origins) expect((await get(`${o}/robots.txt`)).status).toBe(404)
    expect((await get(target.url('/robots.txt/x'))).status).toBe(404)
  })
})

describe('sitemaps', () => {
  it('robots.txt points to an index whose children are a plain and a gzipped sitemap', async () => {
    const robots = await robotsOf(target)
    const [index] = robots.getSitemaps()
    expect(await sitemapLocs(index ?? '')).toEqual([
      target.url('/site/sitemap-1.xml'),
      target.url('/site/sitemap-2.xml.gz')
    ])
    const gz = await get(target.url('/site/sitemap-2.xml.gz'))
    expect(header(gz, 'content-type')).toBe('application/gzip')
    expect(header(gz, 'content-encoding')).toBe('')
    expect(gunzipSync(gz.body).toString()).toMatch(/^<\?xml[^]*<urlset[^]*<lastmod>2024-\d\d-\d\d<\/lastmod>/)
    const facts = siteFacts(SMALL)
    expect((await sitemapUrls(target)).map((u) => u.slice(target.origin.length))).toEqual(facts.sitemapUrls)
  })

  it('lists orphans that exist but that no page links to, and one stale entry', async () => {
    const facts = siteFacts(SMALL)
    expect(facts.orphans.length).toBeGreaterThanOrEqual(2)
    const everything = await crawl(target, { followNofollow: true, respectRobots: false })
    for (const orphan of facts.orphans) {
      expect(everything.linked.has(orphan), orphan).toBe(false)
      expect(everything.fetched.has(orphan), orphan).toBe(false)
      expect((await get(target.url(orphan))).status, orphan).toBe(200)
    }
    expect(facts.staleSitemapUrls).toEqual(['/site/p/200'])
    expect((await get(target.url('/site/p/200'))).status).toBe(404)
  })

  it('stays bounded on a 50,000-page site: pages computed from their number, sitemaps capped', async () => {
    const big = await start({ site: { pages: 50_000, latency: { dist: 'fixed', ms: 0 }, faults: false } })
    expect((await get(big.url('/site/p/49999'))).status).toBe(200)
    expect((await get(big.url('/site/p/50000'))).status).toBe(404)
    const first = await sitemapLocs(big.url('/site/sitemap-1.xml'))
    expect(first.length).toBeLessThanOrEqual(SITEMAP_1_MAX_PAGES + 2)
    expect(first.length).toBeGreaterThan(SITEMAP_1_MAX_PAGES * 0.9)
  })
})

describe('spider traps', () => {
  it('the calendar links to the next month forever, on one path', async () => {
    let url = target.url('/site/calendar')
    const seen = new Set<string>()
    for (let i = 0; i < 40; i++) {
      const reply = await get(url)
      expect(reply.status, url).toBe(200)
      // Previous month, then next month: query-only hrefs, resolved against the page.
      const next = parsePage(reply.body.toString())
        .links.filter((l) => l.href.startsWith('?month='))
        .at(-1)
      // /site/calendar alone is 2025-01; each page links to the month after its own.
      expect(next?.href, url).toBe(`?month=${calendarMonth(2025 * 12 + i + 1)}`)
      seen.add(url)
      url = new URL(next?.href ?? '', url).href
      expect(new URL(url).pathname).toBe('/site/calendar')
    }
    expect(seen.size).toBe(40)
    expect(url).toBe(target.url('/site/calendar?month=2028-05'))
  })

  it('a relative folder link nests the path one segment deeper on every page', async () => {
    let url = target.url('/site/a/')
    for (let depth = 1; depth <= 12; depth++) {
      expect(new URL(url).pathname.split('/').filter(Boolean)).toHaveLength(depth + 1)
      const page = parsePage((await get(url)).body.toString())
      const sub = page.links.find((l) => l.href === 'a/' || l.href === 'b/')
      // /site/a/ links to b/, which links to a/, and so on.
      expect(sub?.href, url).toBe(depth % 2 === 1 ? 'b/' : 'a/')
      url = new URL(sub?.href ?? '', url).href
    }
    expect(url).toBe(target.url('/site/a/b/a/b/a/b/a/b/a/b/a/b/a/'))
    expect((await get(target.url(`/site/${'a/b/'.repeat(100)}`))).status).toBe(200)
    expect((await get(target.url(`/site/${'a/b/'.repeat(100)}a/`))).status).toBe(404)
  })
})

describe('siteFacts', () => {
  it('matches a breadth-first crawl of the served site (nofollow and robots respected)', async () => {
    const found = await crawl(target)
    expectCrawlMatchesFacts(found, SMALL)
    const facts = siteFacts(SMALL)
    expect([...facts.tracking].sort()).toEqual(
      [...found.fetched.keys()].filter((p) => p.includes('utm_')).sort()
    )
    expect(facts.fetched.length).toBeGreaterThan(SMALL.pages ?? 0)
    expect(facts.trapEntries.map((e) => e.trap).sort()).toEqual(['calendar', 'repeating-path'])
    expect(facts.external).toEqual([
      'http://www.partner.example/',
      'https://partner.example/',
      'https://partner.example/catalog'
    ])
  })

  it('matches crawls that follow nofollow, ignore robots, strip utm_*, stop at a depth or start from the sitemaps', async () => {
    const plain = await crawl(target)
    const withNofollow = await crawl(target, { followNofollow: true })
    expectCrawlMatchesFacts(withNofollow, SMALL, { followNofollow: true })
    const nofollowOnly = [...withNofollow.fetched.keys()].filter((p) => !plain.fetched.has(p))
    expect(new Set(siteFacts(SMALL).nofollowOnly)).toEqual(new Set(nofollowOnly))
    expect(nofollowOnly.length).toBeGreaterThanOrEqual(2)

    for (const walk of [
      { respectRobots: false },
      { stripTracking: true },
      { maxDepth: 2 },
      { fromSitemaps: true }
    ] satisfies SiteWalkOptions[]) {
      expectCrawlMatchesFacts(await crawl(target, walk), SMALL, walk)
    }
    const stripped = siteFacts(SMALL, { stripTracking: true })
    expect(stripped.tracking).toEqual([])
    expect(stripped.fetched.length).toBe(plain.fetched.size - siteFacts(SMALL).tracking.length)
    const fromSitemaps = siteFacts(SMALL, { fromSitemaps: true }).fetched.map((f) => f.path)
    for (const orphan of siteFacts(SMALL).orphans) expect(fromSitemaps).toContain(orphan)
  })

  it('puts every tree page at its tree level and gives the ideal-time figures', () => {
    const facts = siteFacts({ pages: 5_000, latency: { dist: 'fixed', ms: 20 }, faults: false })
    for (const f of facts.fetched) {
      const n = /^\/site\/p\/(\d+)$/.exec(f.path)?.[1]
      if (n !== undefined) expect(f.depth, f.path).toBe(treeLevel(Number(n)))
    }
    expect(facts.treeDepth).toBe(treeLevel(4_999))
    // Files, sort and tracking variants hang one link below the deepest pages.
    expect(facts.maxDepth).toBe(facts.treeDepth + 1)
    expect(facts.depthCounts.reduce((a, b) => a + b, 0)).toBe(facts.fetched.length)
    expect(facts.totalLatencyMs).toBe(20 * facts.fetched.length)
    expect(facts.criticalPathMs).toBe(20 * (facts.maxDepth + 1))
  })
})
