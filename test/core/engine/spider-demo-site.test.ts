import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunConfig } from '../../../shared/config.ts'
import {
  siteFacts,
  startDemoTarget,
  type DemoTarget,
  type SiteWalkOptions
} from '../../../electron/core/demo/demo-target.ts'
import { parseSiteUrl } from '../../../electron/core/demo/demo-site.ts'
import { recordEngine, type Recorder } from '../../helpers/engine-harness.ts'

/**
 * The engine's spider against the demo's synthetic site, judged by siteFacts (which walks the same
 * link lists the server renders): the exact set of URLs fetched or refused by robots.txt, each at
 * the depth a breadth-first walk finds it, for each crawler behaviour. One request at a time keeps
 * the crawl breadth first, so depths are the fewest links from the seed. Trap space (the calendar,
 * the nested folders) is judged separately: caught or cut off by depth, never the whole of it.
 */

const SMALL = { pages: 200, latency: { dist: 'fixed' as const, ms: 0 }, faults: { slowMs: 20 } }
let target: DemoTarget

beforeAll(async () => {
  target = await startDemoTarget({ site: SMALL })
})
afterAll(async () => {
  await target.close()
})

async function crawl(config: Partial<RunConfig>): Promise<Recorder> {
  const rec = recordEngine({ mode: 'spider', retries: 0, concurrency: 1, perHostConcurrency: 1, ...config })
  await rec.run([target.url('/site/')], 60_000)
  return rec
}

const isTrapSpace = (path: string): boolean => {
  const kind = parseSiteUrl(target.site, path)?.kind
  return kind === 'calendar' || kind === 'repeat'
}

function check(rec: Recorder, walk: SiteWalkOptions): void {
  const facts = siteFacts(target.site, walk)
  const origin = target.origin
  const results = rec.results().map((r) => ({ ...r, path: r.url.slice(origin.length) }))
  const outside = results.filter((r) => !isTrapSpace(r.path))
  const expected = walk.respectRobots === false ? facts.fetched : [...facts.fetched, ...facts.disallowed]
  expect(outside.map((r) => r.path).sort()).toEqual(expected.map((f) => f.path).sort())
  const depthOf = new Map(expected.map((f) => [f.path, f.depth]))
  for (const r of outside) expect(r.depth, r.path).toBe(depthOf.get(r.path))
  const refused = outside.filter((r) => r.error?.code === 'ROBOTS_DISALLOWED').map((r) => r.path)
  expect(refused.sort()).toEqual(
    walk.respectRobots === false ? [] : facts.disallowed.map((f) => f.path).sort()
  )
  const statusOf = new Map(facts.fetched.map((f) => [f.path, f.status]))
  for (const r of outside)
    if (r.error?.code !== 'ROBOTS_DISALLOWED') expect(r.status, r.path).toBe(statusOf.get(r.path))
}

describe('the demo synthetic site, judged by siteFacts', () => {
  it('default behaviour: robots.txt respected, nofollow skipped, the repeating-path trap reported', async () => {
    const rec = await crawl({ maxDepth: 8 })
    check(rec, { maxDepth: 8 })
    expect(rec.ofKind('trap-detected').map((t) => t.code)).toContain('REPEATING_PATH')
    expect(rec.ofKind('robots-status')[0]?.label).toContain('rules')
  })

  it('following nofollow links adds exactly the nofollow-only pages', async () => {
    const rec = await crawl({ maxDepth: 4, followNofollow: true })
    check(rec, { maxDepth: 4, followNofollow: true })
    const paths = new Set(rec.results().map((r) => r.url.slice(target.origin.length)))
    const nofollowOnly = siteFacts(target.site, { maxDepth: 4 }).nofollowOnly
    expect(nofollowOnly.length).toBeGreaterThan(0)
    for (const p of nofollowOnly) expect(paths.has(p), p).toBe(true)
  })

  it('with robots.txt ignored, the disallowed section is fetched', async () => {
    const rec = await crawl({ maxDepth: 4, respectRobots: false })
    check(rec, { maxDepth: 4, respectRobots: false })
  })

  it('a generous depth limit: the calendar is cut by the variant chain rule, not by depth', async () => {
    const rec = await crawl({ maxDepth: 40, maxVariantChain: 6 })
    check(rec, { maxDepth: 40 })
    const calendar = rec
      .results()
      .filter((r) => parseSiteUrl(target.site, r.url.slice(target.origin.length))?.kind === 'calendar')
    // /site/calendar (2025-01), six months back and six ahead (its links go both ways), and
    // ?month=2025-01, the first month again by another URL.
    expect(calendar.length).toBeGreaterThan(6)
    expect(calendar.length).toBeLessThanOrEqual(14)
    const chain = rec.ofKind('trap-detected').filter((t) => t.code === 'VARIANT_CHAIN')
    expect(chain).toHaveLength(1)
    expect(chain[0]?.url).toContain('/site/calendar?month=')
    expect(chain[0]?.message).toContain('6 pages in a row')
  })

  it.each([0, 1, 2])('maxDepth %i', async (maxDepth) => {
    const rec = await crawl({ maxDepth })
    check(rec, { maxDepth })
    expect(Math.max(...rec.results().map((r) => r.depth))).toBeLessThanOrEqual(maxDepth)
  })

  it('seeded from the sitemap index (with a gzipped sitemap): orphans found at depth 0', async () => {
    const rec = await crawl({ maxDepth: 3, sitemapUrls: [target.url('/site/sitemap.xml')] })
    const facts = siteFacts(target.site, { maxDepth: 3, fromSitemaps: true })
    check(rec, { maxDepth: 3, fromSitemaps: true })
    const byPath = new Map(rec.results().map((r) => [r.url.slice(target.origin.length), r]))
    expect(facts.orphans.length).toBeGreaterThan(0)
    for (const orphan of facts.orphans) expect(byPath.get(orphan)).toMatchObject({ depth: 0, foundOn: null })
    for (const stale of facts.staleSitemapUrls) expect(byPath.get(stale)?.status).toBe(404)
  })
})

describe('many requests at once, uneven latency', () => {
  it('still finds exactly the breadth-first set, each page at its fewest links from the seed', async () => {
    // Pages answer in 1–100 ms at random, 64 at once: without the scheduler's depth bands, deep
    // fast branches get ahead, pages keep the longer path's depth, and the depth limit cuts links.
    const site = {
      pages: 3_000,
      latency: { dist: 'lognormal' as const, medianMs: 8, p99Ms: 100 },
      faults: false as const
    }
    const t = await startDemoTarget({ site })
    try {
      const maxDepth = siteFacts(site).maxDepth - 1
      const rec = recordEngine({
        mode: 'spider',
        retries: 0,
        concurrency: 64,
        perHostConcurrency: 64,
        maxDepth,
        maxPages: 100_000
      })
      await rec.run([t.url('/site/')], 60_000)
      const facts = siteFacts(site, { maxDepth })
      const expected = new Map([...facts.fetched, ...facts.disallowed].map((f) => [f.path, f.depth]))
      const got = rec
        .results()
        .map((r) => [r.url.slice(t.origin.length), r.depth] as const)
        .filter(([path]) => !/^\/site\/(calendar|a\/)/.test(path))
      expect(got.length).toBe(expected.size)
      const wrong = got.filter(([path, depth]) => expected.get(path) !== depth)
      expect(wrong).toEqual([])
    } finally {
      await t.close()
    }
  })
})
