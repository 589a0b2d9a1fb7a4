import { gzipSync } from 'node:zlib'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunConfig } from '../../../shared/config.ts'
import { recordEngine, sleep, startServer, waitFor, type Recorder } from '../../helpers/engine-harness.ts'
import { startSite, type SiteRequest, type TestSite } from '../../helpers/spider-site.ts'

/**
 * Politeness, measured on loopback: gaps between request starts on one host (robots.txt
 * Crawl-delay, min delay, rate cap), a Retry-After pause that holds back one host while another
 * goes on, adaptive limits on a host answering 429 bursts, the failure safeguard, and sitemaps as
 * a source of seeds (gzip, index, robots.txt's Sitemap lines, a local file).
 */

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function site(...args: Parameters<typeof startSite>): Promise<TestSite> {
  const s = await startSite(...args)
  closers.push(() => s.close())
  return s
}

async function spider(
  seeds: readonly string[],
  config: Partial<RunConfig> = {},
  deadlineMs = 15_000
): Promise<Recorder> {
  const rec = recordEngine({ mode: 'spider', retries: 0, ...config })
  await rec.run(seeds, deadlineMs)
  return rec
}

/** Gaps between consecutive request arrivals, ms. */
const gaps = (requests: readonly SiteRequest[]): number[] =>
  requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? 0))

const FLAT = {
  '/': { links: ['/1', '/2', '/3', '/4'] },
  '/1': {},
  '/2': {},
  '/3': {},
  '/4': {}
}

// Pacing is enforced on Date.now() milliseconds when the engine starts a request (its
// request-started event): those gaps may be a millisecond short of the setting at most. The
// server sees each arrival a little later with its own jitter (more so on a busy machine).
const START_TOLERANCE_MS = 2
const TOLERANCE_MS = 40

/** Gaps between the engine's request starts on one host (the pages, not robots.txt), ms. */
function startGaps(rec: Recorder, host?: string): number[] {
  const at: number[] = []
  rec.events.forEach((event, i) => {
    if (event.kind !== 'request-started') return
    if (host !== undefined && new URL(event.url).host !== host) return
    at.push(rec.arrivedAt[i] ?? 0)
  })
  return at.slice(1).map((t, i) => t - (at[i] ?? 0))
}

describe('per-host pacing', () => {
  it('honours robots.txt Crawl-delay as the gap between request starts', async () => {
    const s = await site(FLAT, 'User-agent: *\nCrawl-delay: 0.25\n')
    const rec = await spider([s.url('/')], { perHostConcurrency: 6 })
    const pages = s.pageRequests()
    expect(pages).toHaveLength(5)
    for (const gap of startGaps(rec)) expect(gap).toBeGreaterThanOrEqual(250 - START_TOLERANCE_MS)
    for (const gap of gaps(pages)) expect(gap).toBeGreaterThanOrEqual(250 - TOLERANCE_MS)
    expect(rec.ofKind('robots-status')[0]).toMatchObject({ crawlDelayMs: 250 })
    // And the hosts view shows it.
    expect(rec.engine.hostStates()[0]).toMatchObject({ crawlDelayMs: 250 })
  })

  it('caps a huge Crawl-delay at maxCrawlDelayMs', async () => {
    const s = await site(FLAT, 'User-agent: *\nCrawl-delay: 3600\n')
    const started = performance.now()
    const rec = await spider([s.url('/')], { maxCrawlDelayMs: 100 })
    expect(s.pageRequests()).toHaveLength(5)
    for (const gap of startGaps(rec)) expect(gap).toBeGreaterThanOrEqual(100 - START_TOLERANCE_MS)
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  it('spaces starts by the min delay on each host, while two hosts go in parallel', async () => {
    const s = await site({
      '/': { links: ['/1', '/2', '/3'] },
      '/1': {},
      '/2': {},
      '/3': {}
    })
    const started = performance.now()
    const rec = await spider([s.url('/'), s.url('/', 'localhost')], {
      scope: 'any',
      respectRobots: false,
      perHostMinDelayMs: 150
    })
    const elapsed = performance.now() - started
    expect(rec.results()).toHaveLength(8)
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`]) {
      const pages = s.pageRequests(host)
      expect(pages).toHaveLength(4)
      for (const gap of startGaps(rec, host)) expect(gap).toBeGreaterThanOrEqual(150 - START_TOLERANCE_MS)
      for (const gap of gaps(pages)) expect(gap).toBeGreaterThanOrEqual(150 - TOLERANCE_MS)
    }
    // 4 starts per host need 3 gaps (450 ms); one after the other would need 7 (1,050 ms).
    expect(elapsed).toBeLessThan(1_000)
  })

  it('turns a rate cap into an even spacing', async () => {
    const s = await site(FLAT)
    const rec = await spider([s.url('/')], { respectRobots: false, perHostMaxRequestsPerSecond: 10 })
    expect(s.pageRequests()).toHaveLength(5)
    for (const gap of startGaps(rec)) expect(gap).toBeGreaterThanOrEqual(100 - START_TOLERANCE_MS)
  })

  it('paces a list run too', async () => {
    const s = await site(FLAT)
    const rec = recordEngine({ retries: 0, perHostMinDelayMs: 120 })
    await rec.run(['/1', '/2', '/3', '/4'].map((p) => s.url(p)))
    expect(s.pageRequests()).toHaveLength(4)
    for (const gap of startGaps(rec)) expect(gap).toBeGreaterThanOrEqual(120 - START_TOLERANCE_MS)
  })

  it('keeps no timers running once the run is over', async () => {
    const s = await site(FLAT, 'User-agent: *\nCrawl-delay: 0.05\n')
    const rec = await spider([s.url('/')])
    expect(rec.engine.state).toBe('completed')
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    // vitest keeps a few of its own; the engine must not add one per host or per page.
    expect(timers).toBeLessThan(5)
  })
})

describe('Retry-After in spider mode', () => {
  it('pauses only the host that asked; the other host carries on meanwhile', async () => {
    let pausedAt = 0
    const s = await site({
      '/': { links: ['/a1', '/a2', '/a3'] },
      '/a1': {
        answer: (_req, res, hit) => {
          if (hit === 1) {
            pausedAt = performance.now()
            res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/html' }).end()
          } else {
            res.writeHead(200, { 'content-type': 'text/html' }).end('<title>a1</title>')
          }
        }
      },
      '/a2': {},
      '/a3': {},
      '/b': { links: ['/b1', '/b2', '/b3'] },
      '/b1': {},
      '/b2': {},
      '/b3': {}
    })
    const a = `127.0.0.1:${s.port}`
    const b = `localhost:${s.port}`
    // The b pages answer slowly enough that they are still going when a1 gets its 429.
    const rec = await spider([s.url('/'), s.url('/b', 'localhost')], {
      scope: 'host',
      respectRobots: false,
      perHostConcurrency: 1,
      retries: 1,
      perHostMinDelayMs: 100
    })
    expect(rec.results()).toHaveLength(8)
    expect(rec.results().every((r) => r.ok)).toBe(true)
    expect(pausedAt).toBeGreaterThan(0)
    // Nothing started on host a during its one-second pause…
    const onA = s.pageRequests(a).filter((r) => r.at > pausedAt)
    expect(onA[0]?.at ?? 0).toBeGreaterThanOrEqual(pausedAt + 1_000 - 20)
    // …while host b went on: it finished its pages inside that second.
    const onB = s.pageRequests(b)
    expect(onB).toHaveLength(4)
    expect(onB.filter((r) => r.at > pausedAt && r.at < pausedAt + 1_000).length).toBeGreaterThanOrEqual(2)
    expect(rec.ofKind('attempt-failed')[0]).toMatchObject({ retryReason: 'retry-after', retryInMs: 1_000 })
  })
})

describe('adaptive concurrency', () => {
  it('halves a host’s limit after a burst of 429s, says why, and never goes above the user’s limit', async () => {
    // Requests that arrived after the first decrease, in flight at once (the ones sent before it drain on their own).
    let newInFlight = 0
    let maxAfterDecrease = 0
    let decreased = false
    const pages: Record<string, Parameters<typeof startSite>[0][string]> = {}
    const links: string[] = []
    for (let i = 0; i < 40; i++) {
      links.push(`/p${i}`)
      pages[`/p${i}`] = {
        answer: (_req, res, hit) => {
          const counted = decreased
          if (counted) maxAfterDecrease = Math.max(maxAfterDecrease, ++newInFlight)
          setTimeout(() => {
            if (counted) newInFlight--
            // The first try of the first twelve pages is throttled: a burst.
            if (hit === 1 && i < 12) res.writeHead(429, { 'content-type': 'text/html' }).end()
            else res.writeHead(200, { 'content-type': 'text/html' }).end('<title>p</title>')
          }, 30)
        }
      }
    }
    pages['/'] = { links }
    const s = await site(pages)
    const rec = recordEngine(
      {
        mode: 'spider',
        respectRobots: false,
        perHostConcurrency: 8,
        adaptiveConcurrency: true,
        retries: 3,
        backoffBaseMs: 20,
        backoffMaxMs: 50
      },
      (event) => {
        if (event.kind === 'host-decision' && event.decision.kind === 'decrease') decreased = true
      }
    )
    await rec.run([s.url('/')], 15_000)
    expect(rec.results().filter((r) => r.ok)).toHaveLength(41)
    const decisions = rec.ofKind('host-decision').map((e) => e.decision)
    expect(decisions[0]).toMatchObject({ host: `127.0.0.1:${s.port}`, from: 8, to: 4, kind: 'decrease' })
    expect(decisions[0]?.reason).toMatch(/^127\.0\.0\.1:\d+: 8 → 4 after three 429s in 10 s/)
    for (const d of decisions) expect(d.to).toBeLessThanOrEqual(8)
    // Once lowered, the requests sent afterwards were never more than 4 at once.
    expect(maxAfterDecrease).toBeGreaterThan(0)
    expect(maxAfterDecrease).toBeLessThanOrEqual(4)
    const current = rec.engine.hostStates().find((h) => h.host === `127.0.0.1:${s.port}`)
    expect(current?.currentLimit).toBeLessThanOrEqual(4)
    expect(current?.userLimit).toBe(8)
  })

  it('a lower user limit lowers the host at once, as a decision', async () => {
    const pages: Record<string, Parameters<typeof startSite>[0][string]> = {}
    const links: string[] = []
    for (let i = 0; i < 10; i++) {
      links.push(`/p${i}`)
      pages[`/p${i}`] = {
        answer: (_req, res) => {
          setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(), 40)
        }
      }
    }
    pages['/'] = { links }
    const s = await site(pages)
    const rec = recordEngine(
      { mode: 'spider', respectRobots: false, perHostConcurrency: 8, adaptiveConcurrency: true },
      (event, r) => {
        if (event.kind === 'request-finished' && event.result.id === 0)
          r.engine.updateSettings({ perHostConcurrency: 2 })
      }
    )
    await rec.run([s.url('/')])
    const decision = rec.ofKind('host-decision')[0]?.decision
    expect(decision).toMatchObject({ from: 8, to: 2, kind: 'user-limit' })
  })
})

describe('failure safeguard', () => {
  it('pauses the run with the reason when most results fail, and a resume re-arms it', async () => {
    const pages: Record<string, Parameters<typeof startSite>[0][string]> = {}
    for (let i = 0; i < 60; i++) {
      pages[`/p${i}`] = { answer: (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end() }
    }
    const s = await site(pages)
    const rec = recordEngine({
      mode: 'spider',
      respectRobots: false,
      retries: 0,
      perHostConcurrency: 2,
      failureSafeguardPercent: 50
    })
    const finished = rec.engine.start(Array.from({ length: 60 }, (_, id) => ({ id, url: s.url(`/p${id}`) })))
    await waitFor(() => rec.engine.state === 'paused', 'the safeguard to pause the run', 10_000)
    const tripped = rec.ofKind('safeguard-tripped')
    expect(tripped).toHaveLength(1)
    expect(tripped[0]?.reason).toMatch(/100% of the last 20 requests failed \(threshold 50%\)/)
    expect(tripped[0]?.reason).toContain('HTTP 500')
    const states = rec.ofKind('run-state-changed').map((e) => e.state)
    expect(states).toEqual(['paused'])
    // Paused: nothing new starts.
    const doneAtPause = rec.results().length
    await sleep(150)
    expect(rec.results().length).toBeLessThanOrEqual(doneAtPause + 2)
    expect(rec.results().length).toBeLessThan(60)
    rec.engine.resume()
    await waitFor(
      () => rec.ofKind('safeguard-tripped').length === 2,
      'a second trip after the resume',
      10_000
    )
    await rec.engine.cancel()
    await finished
  })
})

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
    const rec = await spider([s.url('/')], { sitemapUrls: [s.url('/sitemap-index.xml.gz')], maxDepth: 1 })
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
    closers.push(() => server.close())
    const off = await spider([server.url('/')])
    expect(off.results().map((r) => new URL(r.url).pathname)).toEqual(['/'])
    const on = await spider([server.url('/')], { robotsSitemaps: true })
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
    const rec = await spider([s.url('/')], {
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
    closers.push(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'sitemap.txt.gz')
    await writeFile(file, gzipSync(`${s.url('/f1')}\n${s.url('/f2')}\n`))
    const rec = await spider([s.url('/')], { sitemapUrls: [file] })
    expect(
      rec
        .results()
        .map((r) => new URL(r.url).pathname)
        .sort()
    ).toEqual(['/', '/f1', '/f2'])
  })
})
