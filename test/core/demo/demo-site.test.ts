import { gunzipSync } from 'node:zlib'
import { Agent } from 'undici'
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
import { header } from '../../helpers/http-reply.ts'
import { expectCrawlMatchesFacts, parsePage, resolveLink, siteReader, UA } from '../../helpers/site-reader.ts'

/**
 * The synthetic site over loopback, read the way a crawler reads it (test/helpers/site-reader.ts:
 * htmlparser2, the WHATWG URL parser, robots-parser). A breadth-first crawl written there,
 * independently of the generator, must find exactly what siteFacts says, for each crawler
 * behaviour.
 */

// No latency, and slow pages only a little slow, so a whole crawl takes a second or two.
const SMALL: DemoSiteOptions = { pages: 200, latency: { dist: 'fixed', ms: 0 }, faults: { slowMs: 30 } }
const agent = new Agent({ connections: 32 })
const { get, robotsOf, sitemapLocs, sitemapUrls, crawl } = siteReader(agent)
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
      resolveLink(l.href, page.baseHref, target.url('/site/p/9'), target.origin)
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
