import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, type RunConfig } from '../../../shared/config.ts'
import { depthRows, scopeSentences } from '../../../electron/core/export/report-spider.ts'

/** The Spider section's pure parts: depth bars and the scope in words. */

describe('depthRows', () => {
  it('lists depths shallowest first with their share, skipping empty ones', () => {
    const rows = depthRows(
      [
        { value: 2, count: 30 },
        { value: 0, count: 10 },
        { value: 1, count: 0 },
        { value: 3, count: 60 }
      ],
      100
    )
    expect(rows.map((r) => [r.label, r.value, r.note])).toEqual([
      ['depth 0', 10, '10 (10.0%)'],
      ['depth 2', 30, '30 (30.0%)'],
      ['depth 3', 60, '60 (60.0%)']
    ])
  })

  it('sums the deepest into one row beyond 25 bars, so a deep crawl stays one chart', () => {
    const depths = Array.from({ length: 40 }, (_, d) => ({ value: d, count: d + 1 }))
    const rows = depthRows(depths, 820)
    expect(rows).toHaveLength(25)
    expect(rows[23]!.label).toBe('depth 23')
    const deepest = depths.slice(24).reduce((n, d) => n + d.count, 0)
    expect(rows[24]).toMatchObject({ label: 'depth 24+', value: deepest })
    expect(rows.reduce((n, r) => n + r.value, 0)).toBe(820)
  })
})

describe('scopeSentences', () => {
  const spider: RunConfig = { ...DEFAULT_CONFIG, mode: 'spider' }

  it.each([
    [{ scope: 'host' } as const, "Links were followed on the seeds' own hosts only."],
    [{ scope: 'any' } as const, 'Links were followed to any host.'],
    [{ maxDepth: 0 }, 'Only the seeds were fetched (depth limit 0: no link was followed).'],
    [{ maxDepth: 1 }, 'Pages up to 1 link from a seed were fetched (seeds and sitemap URLs are depth 0).'],
    [{ maxPages: 10_000, perHostBudget: null }, 'At most 10,000 pages in all.'],
    [{ followNofollow: true }, 'Links marked nofollow were followed too.'],
    [{ respectRobots: false }, 'robots.txt was ignored.'],
    [
      { stripQueryParams: ['utm_source', 'sid'] },
      'Query parameters removed before URLs were compared: utm_source, sid.'
    ],
    [
      { sitemapUrls: ['https://a.test/sitemap.xml'], robotsSitemaps: true },
      'Seeds were added from 1 sitemap (https://a.test/sitemap.xml) and the Sitemap: lines of each robots.txt read.'
    ]
  ])('says %o as "%s"', (patch, sentence) => {
    expect(scopeSentences({ ...spider, ...patch })).toContain(sentence)
  })

  it('leaves out what a config from an older build lacks instead of guessing', () => {
    expect(scopeSentences({ mode: 'spider', scope: 'site', maxDepth: 2 })).toEqual([
      "Links were followed within the seeds' sites (same registrable domain, subdomains included).",
      'Pages up to 2 links from a seed were fetched (seeds and sitemap URLs are depth 0).'
    ])
  })
})
