import type { SpiderRecord } from '../../shared/api.ts'
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config.ts'
import type { RequestResult } from '../../shared/result.ts'
import { syntheticResults } from './store-results.ts'

/**
 * A spider run as the store keeps it, for the report's tests: results at depths 0–3, and a spider
 * record with hostile crawled text in a trap URL, a sitemap problem and a robots.txt origin.
 */

export const HOSTILE_TRAP_URL = 'https://trap.test/a/a/a/</script><img src=x onerror=alert(1)>'
export const HOSTILE_NOTICE =
  'Sitemap https://s.test/map.xml is not XML: </script><img src=x onerror=alert(5)>'
export const HOSTILE_ORIGIN = 'https://o.test:8443"><img src=x onerror=alert(6)>'
export const SPIDER_CONFIG: RunConfig = {
  ...DEFAULT_CONFIG,
  mode: 'spider',
  scope: 'site',
  maxDepth: 3,
  maxPages: 2_000,
  perHostBudget: 400,
  includePatterns: ['/docs/'],
  excludePatterns: ['\\?print=1'],
  followNofollow: false,
  respectRobots: true
}

/** 1,000 results at depths 0–3: depth d holds the ids with id % 10 in its band (1, 2, 3, 4 of 10). */
export function spiderResults(): RequestResult[] {
  const band = (i: number): number => (i % 10 < 1 ? 0 : i % 10 < 3 ? 1 : i % 10 < 6 ? 2 : 3)
  return syntheticResults(1_000, 11).map((r) => ({ ...r, depth: band(r.id) }))
}

export function spiderRecord(startedAt: number): SpiderRecord {
  return {
    decisions: Array.from({ length: 60 }, (_, i) => ({
      host: `h${i % 3}.test`,
      from: 8,
      to: 4,
      at: startedAt + i * 1_000,
      kind: 'decrease' as const,
      reason: `decision ${i}: h${i % 3}.test 8 → 4 after three 429s in 10 s`
    })),
    traps: [
      {
        at: startedAt + 1_000,
        url: 'https://h1.test/cal?m=1',
        code: 'VARIANT_CHAIN',
        message: 'calendar',
        foundOn: 3
      },
      {
        at: startedAt + 2_000,
        url: 'https://h2.test/x'.padEnd(300, 'x'),
        code: 'URL_TOO_LONG',
        message: 'long',
        foundOn: 4
      },
      {
        at: startedAt + 3_000,
        url: HOSTILE_TRAP_URL,
        code: 'REPEATING_PATH',
        message: '<b>a/a/a</b> repeats',
        foundOn: 5
      }
    ],
    trapCount: 1_234,
    notices: [{ at: startedAt + 500, source: 'sitemap', message: HOSTILE_NOTICE }],
    robots: [
      { origin: 'https://h0.test', label: 'rules (2 groups)', crawlDelayMs: 2_000 },
      { origin: HOSTILE_ORIGIN, label: 'not found (404): all allowed', crawlDelayMs: null }
    ],
    safeguardReason: null,
    frontier: {
      queued: 0,
      discovered: 5_432,
      deduped: 21_000,
      outOfScope: 777,
      trapped: 1_234,
      overLimit: 3_210,
      nofollow: 42,
      maxDepthSeen: 4
    },
    depthCounts: [100, 200, 300, 400],
    frontierSeries: Array.from({ length: 40 }, (_, i) => ({
      at: startedAt + i * 125,
      queued: Math.round(500 * Math.sin((i / 39) * Math.PI)),
      discovered: 100 + i * 130
    }))
  }
}
