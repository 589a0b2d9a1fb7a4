import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { statusClass, statusRows } from '../../../electron/core/export/report-charts.ts'
import { formatDateTime, formatTick } from '../../../electron/core/export/report-format.ts'
import {
  markText,
  SETTING_SPECS,
  settingSpec,
  settingText
} from '../../../electron/core/export/report-settings.ts'
import { stateText } from '../../../electron/core/export/report-summary.ts'
import { exportFileName, nameSlug } from '../../../electron/core/export/run-export.ts'

// Counts, latencies, durations, sizes and shares are written by shared/format.ts (test/shared/format.test.ts).
describe('report figures as text', () => {
  it.each([
    [1500, '1500'],
    [0.30000000000000004, '0.3'],
    [20_000, '20k'],
    [12_500, '12.5k'],
    [2_000_000, '2M']
  ])('formatTick(%d) = %s', (v, text) => {
    expect(formatTick(v)).toBe(text)
  })

  it('writes local time with its UTC offset, whatever the machine zone', () => {
    const at = Date.parse('2025-10-09T08:53:19.500Z')
    expect(formatDateTime(at, 0)).toBe('2025-10-09 08:53:19 UTC+00:00')
    expect(formatDateTime(at, 120)).toBe('2025-10-09 10:53:19 UTC+02:00')
    expect(formatDateTime(at, -570)).toBe('2025-10-08 23:23:19 UTC−09:30')
    expect(formatDateTime(null)).toBe('–')
  })
})

describe('run state and settings', () => {
  it.each([
    ['completed', false, 'completed'],
    ['cancelled', false, 'stopped before the end'],
    ['running', false, 'unfinished'],
    ['idle', false, 'unfinished'],
    ['paused', true, 'unfinished (paused)']
  ] as const)('a run saved %s (paused %s) reads "%s"', (state, paused, text) => {
    expect(stateText({ state, paused })).toBe(text)
  })

  it('labels every setting of the run config as the settings form does', () => {
    expect(Object.keys(DEFAULT_CONFIG).filter((key) => !(key in SETTING_SPECS))).toEqual([])
    expect(settingSpec('perHostConcurrency').label).toBe('Concurrency per host')
  })

  it.each([
    ['someNewLimitMs', 1_500, 'Some new limit', '1,500 ms'],
    ['cacheBytes', 2048, 'Cache', '2,048 bytes (2.0 KiB)'],
    ['sampleRatePercent', 12.5, 'Sample rate', '12.5 %'],
    ['useHttp2', true, 'Use http2', 'yes'],
    ['proxy', null, 'Proxy', 'none']
  ])('labels a setting this build does not know from its name: %s', (key, value, label, text) => {
    expect(settingSpec(key)).toMatchObject({ label, group: 'Other' })
    expect(settingText(key, value)).toBe(text)
  })

  it.each([
    ['concurrency', 50, '50 requests'],
    ['connectTimeoutMs', 10_000, '10,000 ms'],
    ['maxBodyBytes', 5 * 1024 * 1024, '5,242,880 bytes (5.0 MiB)'],
    ['maxBodyBytes', 512, '512 bytes'],
    ['respectRetryAfter', true, 'yes'],
    ['retryStatuses', [429, 503], '429, 503'],
    ['retryStatuses', [], 'none'],
    ['headers', { 'accept-language': 'en', 'x-team': 'a' }, 'accept-language: en\nx-team: a'],
    ['headers', {}, 'none'],
    ['method', 'HEAD', 'HEAD'],
    ['perHostBudget', null, 'none']
  ] as const)('%s = %j reads "%s"', (key, value, text) => {
    expect(settingText(key, value)).toBe(text)
  })

  it('describes a live change by its time into the run', () => {
    expect(markText({ at: 65_000, changed: { concurrency: 80, perHostConcurrency: 4 } }, 0)).toBe(
      '1 min 05 s in: Concurrency 80 requests; Concurrency per host 4 requests'
    )
  })
})

describe('status rows', () => {
  it.each([
    ['200', 'c-ok'],
    ['304', 'c-redirect'],
    ['404', 'c-warn'],
    ['503', 'c-failed'],
    ['none', 'c-none'],
    ['999', 'c-info']
  ])('status %s is coloured %s', (status, cls) => {
    expect(statusClass(status)).toBe(cls)
  })

  it('lists the most frequent first and sums the tail into "other"', () => {
    const byStatus: Record<string, number> = { none: 50, '200': 100 }
    for (let s = 400; s < 415; s++) byStatus[String(s)] = s - 399
    const rows = statusRows(byStatus, 270)
    expect(rows).toHaveLength(12)
    expect(rows.slice(0, 3).map((r) => r.label)).toEqual(['200', 'no response', '414'])
    const other = rows[rows.length - 1]
    expect(other?.label).toBe('other')
    expect(other?.value).toBe(1 + 2 + 3 + 4 + 5 + 6)
    expect(rows.reduce((n, r) => n + r.value, 0)).toBe(270)
    expect(rows[0]?.note).toBe('100 (37.0%)')
  })
})

describe('export file names', () => {
  it.each([
    ['Nightly catalogue check', 'nightly-catalogue-check'],
    ['Ünïcödé Crawl — 2', 'unicode-crawl-2'],
    ['../../etc/passwd', 'etc-passwd'],
    ['CON', 'con'],
    ['a:b*c?"d<e>f|g\\h', 'a-b-c-d-e-f-g-h'],
    ['   ', 'run'],
    ['日本語', 'run'],
    ['x'.repeat(100), 'x'.repeat(60)]
  ])('%j → %j', (name, slug) => {
    expect(nameSlug(name)).toBe(slug)
  })

  it('names the tool, the run, its creation day and the format', () => {
    const createdAt = new Date(2025, 9, 9, 23, 30).getTime()
    expect(exportFileName({ name: 'Nightly check', createdAt }, 'csv')).toBe(
      'crawlboard-nightly-check-2025-10-09.csv'
    )
    expect(exportFileName({ name: 'Nightly check', createdAt }, 'html')).toMatch(
      /^crawlboard-nightly-check-2025-10-09\.html$/
    )
    for (const format of ['csv', 'ndjson', 'json', 'html'] as const) {
      expect(exportFileName({ name: '<a>/b\\c', createdAt }, format)).toMatch(/^[a-z0-9.-]+$/)
    }
  })
})
