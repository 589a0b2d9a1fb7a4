import { gunzipSync } from 'node:zlib'
import { Parser } from 'htmlparser2'
import robotsParser from 'robots-parser'
import type { Dispatcher } from 'undici'
import { expect } from 'vitest'
import {
  siteFacts,
  type DemoSiteOptions,
  type DemoTarget,
  type SiteWalkOptions
} from '../../electron/core/demo/demo-target.ts'
import { fetchReply, header } from './http-reply.ts'

/**
 * The demo's synthetic site read the way a crawler reads it, written independently of the
 * generator: pages parsed by htmlparser2, links resolved by the WHATWG URL parser against the page
 * or its <base>, robots.txt matched by robots-parser, and a breadth-first crawl of the whole site
 * whose findings a test holds against siteFacts.
 */

export const UA = 'Crawlboard/0.1 (+https://crawlboard.dev/bot)'

export interface ParsedPage {
  title: string
  baseHref: string | null
  metaNofollow: boolean
  links: { href: string; rel: string | null }[]
}

export function parsePage(html: string): ParsedPage {
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

export type Resolved = { on: 'site'; path: string } | { on: 'external'; url: string } | { on: 'ignored' }

/** As a browser resolves an href: against the <base> (itself resolved against the page), fragment dropped. */
export function resolveLink(
  href: string,
  baseHref: string | null,
  pageUrl: string,
  origin: string
): Resolved {
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

export interface Crawl {
  fetched: Map<string, { depth: number; status: number }>
  disallowed: Map<string, number>
  traps: Map<string, number>
  external: Set<string>
  /** Every site path any link points to, followed or not. */
  linked: Set<string>
  stats: { base: number; nofollow: number; ignored: Map<string, number>; pagesWithTwins: number }
}

export function expectCrawlMatchesFacts(
  found: Crawl,
  opts: DemoSiteOptions,
  walk: SiteWalkOptions = {}
): void {
  const facts = siteFacts(opts, walk)
  expect(new Map(facts.fetched.map((f) => [f.path, { depth: f.depth, status: f.status }]))).toEqual(
    found.fetched
  )
  expect(new Map(facts.disallowed.map((f) => [f.path, f.depth]))).toEqual(found.disallowed)
  expect(new Map(facts.trapEntries.map((f) => [f.path, f.depth]))).toEqual(found.traps)
  expect(new Set(facts.external)).toEqual(found.external)
}

/** The reads that go over the network, on `agent`. */
export function siteReader(agent: Dispatcher) {
  const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
    fetchReply(agent, url, { headers, method })

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
        const to = resolveLink(link.href, page.baseHref, t.url(path), t.origin)
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

  return { get, robotsOf, sitemapLocs, sitemapUrls, crawl }
}
