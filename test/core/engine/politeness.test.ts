import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../helpers/cleanup.ts'
import { recordEngine, runSpider, sleep, waitFor, type Recorder } from '../../helpers/engine-harness.ts'
import type { SitePage, SiteRequest } from '../../helpers/spider-site.ts'

/**
 * Politeness, measured on loopback: gaps between request starts on one host (robots.txt
 * Crawl-delay, min delay, rate cap), a Retry-After pause that holds back one host while another
 * goes on, adaptive limits on a host answering 429 bursts, and the failure safeguard. Sitemaps as a
 * source of seeds are in sitemap-seeds.test.ts.
 */

const { site } = closeAfterEach()

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
    const rec = await runSpider([s.url('/')], { perHostConcurrency: 6 })
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
    const rec = await runSpider([s.url('/')], { maxCrawlDelayMs: 100 })
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
    const rec = await runSpider([s.url('/'), s.url('/', 'localhost')], {
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
    const rec = await runSpider([s.url('/')], { respectRobots: false, perHostMaxRequestsPerSecond: 10 })
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
    const rec = await runSpider([s.url('/')])
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
    const rec = await runSpider([s.url('/'), s.url('/b', 'localhost')], {
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
    const pages: Record<string, SitePage> = {}
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
    const pages: Record<string, SitePage> = {}
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
    const pages: Record<string, SitePage> = {}
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
