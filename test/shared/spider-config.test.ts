import { describe, expect, it } from 'vitest'
import {
  DEFAULT_CONFIG,
  LIVE_SETTING_KEYS,
  parseLiveSettingsPatch,
  parseRunConfig,
  runConfigPatchSchema
} from '../../shared/config.ts'
import { PRESETS } from '../../shared/presets.ts'

/** The spider and politeness settings: defaults, validation that names what is wrong, live keys. */

describe('spider settings', () => {
  it('default to a polite list run: robots respected, nofollow not followed, no pacing, nothing adaptive', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      mode: 'list',
      maxDepth: 5,
      maxPages: 10_000,
      perHostBudget: null,
      scope: 'host',
      includePatterns: [],
      excludePatterns: [],
      stripQueryParams: [],
      followNofollow: false,
      respectRobots: true,
      sitemapUrls: [],
      robotsSitemaps: false,
      perHostMinDelayMs: 0,
      perHostMaxRequestsPerSecond: null,
      maxCrawlDelayMs: 60_000,
      adaptiveConcurrency: false,
      failureSafeguardPercent: null
    })
  })

  it('the Polite preset turns adaptive concurrency on', () => {
    expect(PRESETS.polite.settings).toMatchObject({ adaptiveConcurrency: true })
  })

  it.each([
    [
      { includePatterns: ['/docs/', 'a('] },
      'includePatterns: Include pattern "a(" is not a valid regular expression'
    ],
    [{ excludePatterns: [''] }, 'excludePatterns: Exclude pattern is empty'],
    [{ scope: 'planet' }, 'scope:'],
    [{ mode: 'crawl' }, 'mode:'],
    [{ maxDepth: -1 }, 'maxDepth:'],
    [{ maxPages: 0 }, 'maxPages:'],
    [{ perHostMaxRequestsPerSecond: 0 }, 'perHostMaxRequestsPerSecond:'],
    [{ failureSafeguardPercent: 0 }, 'failureSafeguardPercent:'],
    [{ failureSafeguardPercent: 101 }, 'failureSafeguardPercent:'],
    [{ mode: 'spider', method: 'HEAD' }, 'method: spider mode reads pages for their links; use GET']
  ])('%j is refused naming the field and the pattern', (input, message) => {
    const parsed = parseRunConfig(input)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.errors.join('\n')).toContain(message)
  })

  it('names every bad pattern at once', () => {
    const parsed = parseRunConfig({ includePatterns: ['(', '['], excludePatterns: ['ok', ')'] })
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) {
      expect(parsed.errors).toHaveLength(3)
      expect(parsed.errors.join('\n')).toMatch(/"\("[\s\S]*"\["[\s\S]*"\)"/)
    }
  })

  it('pacing, budgets, adaptive and the safeguard change live; scope and robots do not', () => {
    for (const key of [
      'maxPages',
      'perHostBudget',
      'perHostMinDelayMs',
      'perHostMaxRequestsPerSecond',
      'maxCrawlDelayMs',
      'adaptiveConcurrency',
      'failureSafeguardPercent'
    ] as const) {
      expect(LIVE_SETTING_KEYS).toContain(key)
    }
    expect(parseLiveSettingsPatch({ adaptiveConcurrency: true, perHostMinDelayMs: 250 })).toEqual({
      ok: true,
      value: { adaptiveConcurrency: true, perHostMinDelayMs: 250 }
    })
    expect(parseLiveSettingsPatch({ respectRobots: false }).ok).toBe(false)
    expect(parseLiveSettingsPatch({ scope: 'any' }).ok).toBe(false)
    // A saved partial config keeps only what was set, patterns validated too.
    expect(runConfigPatchSchema.parse({ mode: 'spider' })).toEqual({ mode: 'spider' })
    expect(runConfigPatchSchema.safeParse({ includePatterns: ['('] }).success).toBe(false)
  })
})
