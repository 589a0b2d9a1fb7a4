import { gzip } from 'node:zlib'
import { notFound, send, type RouteContext } from './demo-routes.ts'
import { simplePage } from './demo-pages.ts'
import {
  parseSiteUrl,
  siteLatencyMs,
  siteRobotsTxt,
  sitemapPaths,
  SITE_PREFIX,
  type DemoRobots,
  type SitePage
} from './demo-site.ts'
import { renderSitePage, sitemapIndexXml, urlsetXml } from './demo-site-html.ts'
import { sitePageModel } from './demo-site-links.ts'

/** The synthetic site's endpoints: /robots.txt and everything under /site/. */

const TEXT = 'text/plain; charset=utf-8'
const XML = 'application/xml; charset=utf-8'
/** A Host header we echo into links: a name or IP literal and the port the request came in on. */
const AUTHORITY = /^(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\]):(\d{1,5})$/

function originIndex(ctx: RouteContext): number {
  const suffix = `:${ctx.req.socket.localPort ?? ''}`
  return Math.max(
    0,
    ctx.state.origins.findIndex((o) => o.endsWith(suffix))
  )
}

/**
 * The authority the client addressed (`localhost:40123` when seeded that way), so absolute links
 * keep a crawl on the host it started from; else the origin of the port the request came in on.
 */
function requestHost(ctx: RouteContext): string {
  const raw = ctx.req.headers.host?.toLowerCase()
  const m = raw === undefined ? null : AUTHORITY.exec(raw)
  if (raw !== undefined && m && Number(m[1]) === ctx.req.socket.localPort) return raw
  const origin = ctx.state.origins[originIndex(ctx)] ?? ctx.state.origin
  return origin.slice(origin.indexOf('//') + 2)
}

function robotsBody(spec: DemoRobots, origin: string): { status: number; text: string } {
  if (spec === 'site') return { status: 200, text: siteRobotsTxt(origin) }
  if (spec === 'none') return { status: 404, text: 'no robots.txt here\n' }
  if (spec === 'disallow-all') return { status: 200, text: 'User-agent: *\nDisallow: /\n' }
  const text = typeof spec.text === 'function' ? spec.text(origin) : (spec.text ?? '')
  return { status: spec.status ?? 200, text }
}

export function robotsTxt(ctx: RouteContext): void {
  if (ctx.path !== '/robots.txt') {
    notFound(ctx)
    return
  }
  const origin = `http://${requestHost(ctx)}`
  const { status, text } = robotsBody(ctx.state.robots[originIndex(ctx)] ?? 'site', origin)
  send(ctx, status, text, { 'content-type': TEXT })
}

function pdf(n: number): string {
  return `%PDF-1.4\n% Crawlboard demo report ${n}: a file for robots.txt's .pdf$ rule, not a page.\n%%EOF\n`
}

function answer(ctx: RouteContext, page: SitePage, origin: string, host: string, delay: number): void {
  const { site } = ctx.state
  const headers = { 'x-demo-delay-ms': String(delay) }
  switch (page.kind) {
    case 'sitemap-index':
      send(ctx, 200, sitemapIndexXml(origin), { 'content-type': XML })
      return
    case 'sitemap': {
      const xml = urlsetXml(site, origin, sitemapPaths(site, page.part))
      if (page.part === 1) {
        send(ctx, 200, xml, { 'content-type': XML })
        return
      }
      // A .gz file, not a gzip content-encoding: the client gets the compressed bytes (sitemaps.org).
      gzip(xml, (error, body) => {
        if (error) send(ctx, 500, simplePage('Could not compress the sitemap'))
        else send(ctx, 200, body, { 'content-type': 'application/gzip' })
      })
      return
    }
    case 'file':
      send(ctx, 200, pdf(page.n), { 'content-type': 'application/pdf', ...headers })
      return
    case 'home':
    case 'tree':
    case 'nofollow-target':
    case 'meta-nofollow':
    case 'private':
    case 'press-kit':
    case 'orphan':
    case 'calendar':
    case 'repeat': {
      const model = sitePageModel(site, page, host)
      send(ctx, model.status, renderSitePage(model), headers)
    }
  }
}

export function siteRoute(ctx: RouteContext): void {
  if (ctx.path === SITE_PREFIX.slice(0, -1)) {
    const location = `${SITE_PREFIX}${ctx.search}`
    send(ctx, 301, simplePage(`Moved to ${location}`), { location })
    return
  }
  const target = ctx.path + ctx.search
  const page = parseSiteUrl(ctx.state.site, target)
  if (page === null) {
    send(ctx, 404, simplePage('Not found on the demo site'))
    return
  }
  const host = requestHost(ctx)
  const delay = siteLatencyMs(ctx.state.site, page, target)
  const reply = () => {
    answer(ctx, page, `http://${host}`, host, delay)
  }
  if (delay > 0) ctx.later(delay, reply)
  else reply()
}
