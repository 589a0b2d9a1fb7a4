import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventBatch } from '../../../shared/api.ts'
import type { CrawlerBackend } from '../../../electron/core/api/backend.ts'
import { createCrawlerBackend } from '../../../electron/core/api/crawler-backend.ts'
import { openRunStore } from '../../../electron/core/store/index.ts'
import { sleep, waitFor } from '../../helpers/engine-harness.ts'
import { startSite, type TestSite } from '../../helpers/spider-site.ts'

/**
 * Spider runs through the app's backend: batches and snapshots carry the frontier, per-depth
 * counts, decisions and robots.txt status; the hosts view and the "found via" path; robots.txt
 * turned off is recorded with the run; a resumed spider run continues its frontier.
 */

let dataDir: string
let backend: CrawlerBackend
let batches: EventBatch[]
let site: TestSite

function open(): CrawlerBackend {
  const b = createCrawlerBackend({ dataDir, version: '9.9.9', transport: 'browser', log: () => undefined })
  b.subscribe((batch) => batches.push(batch))
  return b
}

// / → a, b, /private/p; a → a1; a1 → a2
const PAGES = {
  '/': { links: ['/a', '/b', '/private/p'] },
  '/a': { links: ['/a1'] },
  '/a1': { links: ['/a2'] },
  '/a2': {},
  '/b': {},
  '/private/p': {}
}

beforeEach(async () => {
  batches = []
  dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-spider-service-'))
  backend = open()
  site = await startSite(PAGES, 'User-agent: *\nDisallow: /private/\nCrawl-delay: 0.01\n')
})
afterEach(async () => {
  await backend.close()
  await site.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function finished(runId: string): Promise<void> {
  await waitFor(
    () =>
      batches.some(
        (b) => b.runId === runId && (b.status.kind === 'completed' || b.status.kind === 'cancelled')
      ),
    'the run to finish',
    10_000
  )
}

describe('spider runs in the backend', () => {
  it('reports the frontier, depths, robots and the path from the seed', async () => {
    const { runId, total } = await backend.startRun({
      urlsText: site.url('/'),
      config: { mode: 'spider', maxDepth: 3, retries: 0 }
    })
    expect(total).toBe(1)
    await finished(runId)
    const last = batches.filter((b) => b.runId === runId).at(-1)
    expect(last?.spider?.frontier).toMatchObject({ queued: 0, discovered: 6, maxDepthSeen: 3 })
    expect(batches.flatMap((b) => b.robots)).toEqual([
      expect.objectContaining({ label: expect.stringContaining('rules') as string, crawlDelayMs: 10 })
    ])

    const snap = await backend.getSnapshot(runId)
    // / at depth 0; a, b, private at 1; a1 at 2; a2 at 3.
    expect(snap?.spider?.depthCounts).toEqual([1, 3, 1, 1])
    expect(snap?.summary).toMatchObject({ total: 6, done: 6, ok: 5, failed: 1 })
    expect(snap?.robots).toHaveLength(1)
    expect(snap?.frontierSeries.length).toBeGreaterThan(0)

    const page = await backend.queryResults({ runId, offset: 0, limit: 10, search: '/a2' })
    const a2 = page.rows[0]
    expect(a2).toMatchObject({ url: site.url('/a2'), depth: 3 })
    const path = await backend.getPath(runId, a2?.id ?? -1)
    expect(path.map((s) => [new URL(s.url).pathname, s.depth])).toEqual([
      ['/', 0],
      ['/a', 1],
      ['/a1', 2],
      ['/a2', 3]
    ])
    const full = await backend.getResult(runId, a2?.id ?? -1)
    expect(full).toMatchObject({ depth: 3 })

    const hosts = await backend.getHosts(runId)
    expect(hosts).toEqual([
      expect.objectContaining({
        host: `127.0.0.1:${site.port}`,
        requests: 6,
        ok: 5,
        failed: 1,
        currentLimit: 6,
        userLimit: 6,
        pausedUntil: null,
        crawlDelayMs: 10
      })
    ])
    expect(hosts[0]?.robots).toContain('rules')
    expect(hosts[0]?.p50Ms).toBeGreaterThan(0)
  })

  it('a reopened spider run shows its decision log, traps, sitemap problems and queue chart as they were', async () => {
    await site.close()
    site = await startSite(
      {
        '/': { links: ['/a', '/loop/x/x/x/x/'] },
        '/a': { links: ['/b'] },
        '/b': {}
      },
      'User-agent: *\nAllow: /\n'
    )
    const { runId } = await backend.startRun({
      urlsText: site.url('/'),
      config: { mode: 'spider', maxDepth: 3, retries: 0, sitemapUrls: [site.url('/no-sitemap.xml')] }
    })
    await finished(runId)
    const live = await backend.getSnapshot(runId)
    expect(live?.traps.map((t) => t.code)).toEqual(['REPEATING_PATH'])
    expect(live?.notices.map((n) => n.message)).toEqual([expect.stringMatching(/no-sitemap\.xml: HTTP 404/)])
    expect(live?.spider?.frontier.queued).toBe(0)

    await backend.close() // the app quits and starts again
    backend = open()
    const reopened = await backend.getSnapshot(runId)
    expect(reopened?.status).toEqual({ kind: 'completed' })
    expect(reopened?.traps).toEqual(live?.traps)
    expect(reopened?.notices).toEqual(live?.notices)
    expect(reopened?.robots).toEqual(live?.robots)
    expect(reopened?.frontierSeries).toEqual(live?.frontierSeries)
    expect(reopened?.spider).toEqual(live?.spider)
    expect(reopened?.spider?.depthCounts).toEqual([1, 1, 1])
  })

  it('counts robots.txt refusals as never in flight', async () => {
    await site.close()
    const slow = {
      answer: (_req: unknown, res: import('node:http').ServerResponse) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(), 600)
      }
    }
    site = await startSite(
      {
        '/': { links: ['/slow1', '/slow2', '/private/1', '/private/2', '/private/3'] },
        '/slow1': slow,
        '/slow2': slow
      },
      'User-agent: *\nDisallow: /private/\n'
    )
    const { runId } = await backend.startRun({
      urlsText: site.url('/'),
      config: { mode: 'spider', retries: 0 }
    })
    await waitFor(() => batches.some((b) => b.runId === runId && b.summary.done >= 4), 'the refusals', 5_000)
    const snap = await backend.getSnapshot(runId)
    expect(snap?.summary.done).toBe(4)
    expect(snap?.inFlight.inFlight).toBe(2)
    await finished(runId)
  })

  it('records a spider run that ignores robots.txt, and its discovered URLs', async () => {
    const { runId } = await backend.startRun({
      urlsText: site.url('/'),
      config: { mode: 'spider', respectRobots: false, retries: 0 }
    })
    await finished(runId)
    await backend.close()
    const store = openRunStore(join(dataDir, 'crawlboard.db'))
    try {
      const run = store.getRun(runId)
      expect(run?.flags).toMatchObject({ robotsIgnored: true })
      expect(run?.total).toBe(6)
      expect(store.countResults(runId)).toBe(6)
      expect(store.pendingUrls(runId)).toEqual([])
    } finally {
      store.close()
    }
    // Reopened: the stored run answers the hosts view and the found-via path from the database.
    backend = open()
    const hosts = await backend.getHosts(runId)
    expect(hosts).toEqual([
      expect.objectContaining({ host: `127.0.0.1:${site.port}`, requests: 6, ok: 6, robots: 'ignored' })
    ])
    expect(hosts[0]?.p95Ms).toBeGreaterThan(0)
    const a2 = (await backend.queryResults({ runId, offset: 0, limit: 10, search: '/a2' })).rows[0]
    const path = await backend.getPath(runId, a2?.id ?? -1)
    expect(path.map((step) => [new URL(step.url).pathname, step.depth])).toEqual([
      ['/', 0],
      ['/a', 1],
      ['/a1', 2],
      ['/a2', 3]
    ])
    // A re-run starts again from the seed, not from every page found.
    const again = await backend.rerun(runId)
    expect(again.total).toBe(1)
    await finished(again.runId)
  })

  it('the safeguard pauses a run with its reason in the batch and snapshot; resuming clears it', async () => {
    await site.close()
    const links = Array.from({ length: 60 }, (_, i) => `/p${i}`)
    const pages: Record<string, Parameters<typeof startSite>[0][string]> = { '/': { links } }
    for (const l of links) {
      pages[l] = {
        answer: (_req, res) => {
          res.writeHead(500, { 'content-type': 'text/html' }).end()
        }
      }
    }
    site = await startSite(pages)
    const { runId } = await backend.startRun({
      urlsText: site.url('/'),
      config: {
        mode: 'spider',
        retries: 0,
        perHostConcurrency: 2,
        failureSafeguardPercent: 50,
        respectRobots: false
      }
    })
    await waitFor(() => batches.some((b) => b.safeguardReason !== null), 'the safeguard to trip', 10_000)
    const tripped = batches.find((b) => b.safeguardReason !== null)
    expect(tripped?.safeguardReason).toMatch(
      /^Paused: \d+% of the last \d+ requests failed \(threshold 50%\); most were HTTP 500/
    )
    await waitFor(() => batches.at(-1)?.status.kind === 'paused', 'the paused state', 5_000)
    const snap = await backend.getSnapshot(runId)
    expect(snap?.status).toEqual({ kind: 'paused' })
    expect(snap?.safeguardReason).toBe(tripped?.safeguardReason)
    await backend.resumeRun(runId)
    expect((await backend.getSnapshot(runId))?.safeguardReason).toBeNull()
    await backend.stopRun(runId)
  })

  it('a resumed spider run fetches only what it had not, and keeps finding pages', async () => {
    // Slow pages so the run can be suspended half way.
    await site.close()
    const slow = (links: string[] = []) => ({
      answer: (_req: unknown, res: import('node:http').ServerResponse) => {
        setTimeout(() => {
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(links.map((l) => `<a href="${l}">x</a>`).join(''))
        }, 60)
      }
    })
    site = await startSite({
      '/': slow(['/a', '/b']),
      '/a': slow(['/a1']),
      '/b': slow(['/b1']),
      '/a1': slow(['/a2']),
      '/b1': slow(),
      '/a2': slow()
    })
    const { runId } = await backend.startRun({
      urlsText: site.url('/'),
      config: { mode: 'spider', perHostConcurrency: 1, respectRobots: false, retries: 0 }
    })
    await waitFor(() => site.pageRequests().length >= 3, 'three pages fetched', 5_000)
    await backend.close() // the app quits: the run is interrupted
    const before = site.pageRequests().map((r) => r.path)
    await sleep(100)
    batches = []
    backend = open()
    const resumedAt = Date.now()
    await backend.resumeRun(runId)
    await finished(runId)
    const after = site.pageRequests().map((r) => r.path)
    // Every page fetched, the ones fetched before only once more at most (one was in flight at the quit).
    expect(new Set(after)).toEqual(new Set(['/', '/a', '/b', '/a1', '/b1', '/a2']))
    expect(after.filter((p) => p === '/')).toHaveLength(1)
    // Six pages, plus at most the one that was in flight when the app quit.
    expect(after.length).toBeLessThanOrEqual(7)
    expect(before.length).toBeGreaterThanOrEqual(3)
    const snap = await backend.getSnapshot(runId)
    expect(snap?.summary).toMatchObject({ total: 6, done: 6 })
    // Per-depth counts and the queue chart go on from where the first session left them.
    expect(snap?.spider?.depthCounts).toEqual([1, 2, 2, 1])
    expect(snap?.spider?.frontier).toMatchObject({ queued: 0, discovered: 6, maxDepthSeen: 3 })
    const firstSample = snap?.frontierSeries[0]?.at ?? Infinity
    expect(firstSample).toBeLessThan(resumedAt)
    // The hosts view counts the pages fetched before the quit too.
    const hosts = await backend.getHosts(runId)
    expect(hosts.map((h) => [h.requests, h.ok])).toEqual([[6, 6]])
    expect(hosts[0]?.p50Ms).toBeGreaterThan(50)
  })
})
