import { gzipSync } from 'node:zlib'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../helpers/cleanup.ts'
import { runSpider, startServer } from '../../helpers/engine-harness.ts'

/**
 * Sitemaps as a source of a spider run's seeds, on loopback: a gzipped index and its sitemaps,
 * robots.txt's Sitemap lines, sitemaps that cannot be read, and a local file.
 */

const { site, defer } = closeAfterEach()

describe('sitemaps as a source', () => {
  const urlset = (base: string, paths: readonly string[]): string =>
    `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths
      .map((p) => `<url><loc>${base}${p}</loc></url>`)
      .join('')}</urlset>`

  it('reads a gzipped sitemap index and its sitemaps; their URLs are seeds at depth 0', async () => {
    let base = ''
    const xml = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(body)
    }
    const s = await site({
      '/': { links: ['/linked'] },
      '/linked': {},
      '/s1': {},
      '/s2': {},
      '/s3': { links: ['/from-s3'] },
      '/from-s3': {},
      '/sitemap-index.xml.gz': {
        answer: (_req, res) => {
          const index = `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/sitemap-a.xml</loc></sitemap><sitemap><loc>${base}/sitemap-b.xml.gz</loc></sitemap></sitemapindex>`
          res.writeHead(200, { 'content-type': 'application/gzip' }).end(gzipSync(index))
        }
      },
      '/sitemap-a.xml': {
        answer: (req, res) => {
          xml(urlset(base, ['/s1', '/s2']))(req, res)
        }
      },
      '/sitemap-b.xml.gz': {
        answer: (_req, res) => {
          res
            .writeHead(200, { 'content-type': 'application/gzip' })
            .end(gzipSync(urlset(base, ['/s3', '/s1'])))
        }
      }
    })
    base = s.url('').replace(/\/$/, '')
    const rec = await runSpider([s.url('/')], { sitemapUrls: [s.url('/sitemap-index.xml.gz')], maxDepth: 1 })
    const byPath = new Map(rec.results().map((r) => [new URL(r.url).pathname, r]))
    expect([...byPath.keys()].sort()).toEqual(['/', '/from-s3', '/linked', '/s1', '/s2', '/s3'])
    for (const p of ['/s1', '/s2', '/s3']) expect(byPath.get(p)).toMatchObject({ depth: 0, foundOn: null })
    expect(byPath.get('/from-s3')).toMatchObject({ depth: 1, foundOn: byPath.get('/s3')?.id })
    // /s1 is in both sitemaps: fetched once.
    expect(s.pageRequests().filter((r) => r.path === '/s1')).toHaveLength(1)
  })

  it('reads the sitemaps robots.txt lists when asked to', async () => {
    // robots.txt names this server's own sitemap, so the port must be known: a plain server.
    const server = await startServer((req, res) => {
      const self = server.url('').replace(/\/$/, '')
      if (req.url === '/robots.txt') {
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(`User-agent: *\nSitemap: ${self}/sitemap.xml\n`)
      } else if (req.url === '/sitemap.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(urlset(self, ['/from-robots']))
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<title>page</title>')
      }
    })
    defer(() => server.close())
    const off = await runSpider([server.url('/')])
    expect(off.results().map((r) => new URL(r.url).pathname)).toEqual(['/'])
    const on = await runSpider([server.url('/')], { robotsSitemaps: true })
    expect(
      on
        .results()
        .map((r) => new URL(r.url).pathname)
        .sort()
    ).toEqual(['/', '/from-robots'])
  })

  it('reports each sitemap it cannot read, and crawls on with the ones it can', async () => {
    const s = await site({
      '/': {},
      '/sitemap.xml': {
        answer: (_req, res) => {
          res
            .writeHead(200, { 'content-type': 'application/xml' })
            .end(urlset(s.url('').replace(/\/$/, ''), ['/ok']))
        }
      },
      '/ok': {},
      '/broken.xml.gz': {
        answer: (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/gzip' }).end('not gzip at all')
        }
      }
    })
    const rec = await runSpider([s.url('/')], {
      sitemapUrls: [s.url('/sitemap.xml'), s.url('/missing.xml'), s.url('/broken.xml.gz')],
      maxDepth: 0
    })
    expect(
      rec
        .results()
        .map((r) => new URL(r.url).pathname)
        .sort()
    ).toEqual(['/', '/ok'])
    const problems = rec.ofKind('sitemap-problem').map((p) => p.message)
    expect(problems).toHaveLength(2)
    expect(problems.find((m) => m.includes('/missing.xml'))).toMatch(/404/)
    // Named as text is what it is read as: its line is no URL, and the message says which file.
    expect(problems.find((m) => m.includes('/broken.xml.gz'))).toMatch(/line 1: .*not an absolute URL/)
  })

  it('reads a local sitemap file (the runner’s --sitemap FILE)', async () => {
    const s = await site({ '/': {}, '/f1': {}, '/f2': {} })
    const dir = await mkdtemp(join(tmpdir(), 'crawlboard-sitemap-'))
    defer(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'sitemap.txt.gz')
    await writeFile(file, gzipSync(`${s.url('/f1')}\n${s.url('/f2')}\n`))
    const rec = await runSpider([s.url('/')], { sitemapUrls: [file] })
    expect(
      rec
        .results()
        .map((r) => new URL(r.url).pathname)
        .sort()
    ).toEqual(['/', '/f1', '/f2'])
  })
})
