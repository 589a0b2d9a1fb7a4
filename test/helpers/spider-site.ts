import type { IncomingMessage, ServerResponse } from 'node:http'
import { startServer, type TestServer } from './engine-harness.ts'

/**
 * A tiny loopback site for spider tests: pages are lists of links (plain and rel=nofollow) or a
 * custom answer, robots.txt is whatever the test says, and every request is logged with the Host
 * it was sent to and when it arrived, so tests can measure pacing gaps and pauses per host.
 */

export interface SitePage {
  readonly links?: readonly string[]
  readonly nofollow?: readonly string[]
  /** A whole custom answer instead of the link page. */
  readonly answer?: (req: IncomingMessage, res: ServerResponse, hit: number) => void
}

export interface SiteRequest {
  readonly path: string
  /** The Host header (name:port). */
  readonly host: string
  /** performance.now() on arrival. */
  readonly at: number
}

export interface TestSite extends TestServer {
  readonly log: SiteRequest[]
  /** Requests for pages (robots.txt and sitemaps left out). */
  pageRequests(host?: string): SiteRequest[]
}

export function linkPage(path: string, links: readonly string[], nofollow: readonly string[] = []): string {
  const a = links.map((href) => `<a href="${href}">${href}</a>`).join('\n')
  const nf = nofollow.map((href) => `<a rel="nofollow" href="${href}">${href}</a>`).join('\n')
  return `<!doctype html><html><head><title>${path}</title></head><body>\n${a}\n${nf}\n</body></html>`
}

export async function startSite(
  pages: Readonly<Record<string, SitePage>>,
  robots: string | null = null,
  host: '127.0.0.1' | '::1' = '127.0.0.1'
): Promise<TestSite> {
  const log: SiteRequest[] = []
  const hits = new Map<string, number>()
  const server = await startServer((req, res) => {
    const path = req.url ?? '/'
    log.push({ path, host: req.headers.host ?? '', at: performance.now() })
    const key = `${req.headers.host ?? ''}${path}`
    const hit = (hits.get(key) ?? 0) + 1
    hits.set(key, hit)
    if (path === '/robots.txt') {
      if (robots === null) {
        res.writeHead(404).end()
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(robots)
      }
      return
    }
    const page = pages[path]
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<title>Not found</title>')
      return
    }
    if (page.answer) {
      page.answer(req, res, hit)
      return
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(linkPage(path, page.links ?? [], page.nofollow ?? []))
  }, host)
  return {
    ...server,
    log,
    pageRequests: (name) =>
      log.filter(
        (r) =>
          r.path !== '/robots.txt' &&
          !r.path.startsWith('/sitemap') &&
          (name === undefined || r.host === name)
      )
  }
}
