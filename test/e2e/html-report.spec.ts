import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test, expect, type Page } from '@playwright/test'
import { writeRunExport } from '../../electron/core/export/index.ts'
import { openRunStore } from '../../electron/core/store/index.ts'
import { SPIDER_CONFIG, spiderRecord, spiderResults } from '../helpers/spider-record.ts'
import { syntheticResults } from '../helpers/store-results.ts'
import { storeRun } from '../helpers/stored-run.ts'
import { SCREENSHOT_DIR, shot } from './fixtures.ts'

/**
 * The HTML report opened from disk in Chromium, as an analyst would open a mailed file: it loads
 * nothing, runs nothing, lays out in light and dark, and prints on white. Screenshots are kept as
 * artifacts (test-results/screens/report-*.png).
 */

const NAME = 'Catalogue <script>alert("x")</script> check'

let dir: string
let reportUrl: string
let spiderUrl: string

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-e2e-report-'))
  const store = openRunStore(join(dir, 'runs.db'))
  try {
    const results = syntheticResults(5_000, 11).map((r) =>
      r.id === 4
        ? { ...r, title: '"><img src=x onerror=alert(1)>', timings: { ...r.timings, total: 2_500 } }
        : r
    )
    storeRun(store, { id: 'report', name: NAME, note: 'After the deploy.\nSecond line.', results })
    const path = join(dir, 'report.html')
    const out = createWriteStream(path)
    await writeRunExport(store, 'report', 'html', out, { version: '0.1.0-e2e' })
    out.end()
    await once(out, 'finish')
    reportUrl = pathToFileURL(path).href
    storeRun(store, { id: 'spider', name: 'Docs spider', config: SPIDER_CONFIG, results: spiderResults() })
    store.updateRun('spider', { spider: spiderRecord(store.getRun('spider')!.startedAt!) })
    const spiderPath = join(dir, 'spider.html')
    const spiderOut = createWriteStream(spiderPath)
    await writeRunExport(store, 'spider', 'html', spiderOut, { version: '0.1.0-e2e' })
    spiderOut.end()
    await once(spiderOut, 'finish')
    spiderUrl = pathToFileURL(spiderPath).href
  } finally {
    store.close()
  }
})

test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Opens the report, failing on any request beyond the file itself and on any console error. */
async function open(page: Page, url = reportUrl): Promise<{ requests: string[]; problems: string[] }> {
  const requests: string[] = []
  const problems: string[] = []
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url())
  })
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
  await page.goto(url)
  return { requests, problems }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the report lays out in ${scheme} and loads and runs nothing`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    const { requests, problems } = await open(page)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(NAME)
    expect(await page.evaluate(() => document.scripts.length)).toBe(0)
    expect(await page.locator('img').count()).toBe(0)

    const charts = page.locator('figure[data-chart] svg')
    await expect(charts).toHaveCount(4)
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox()
      expect(box?.width).toBeGreaterThan(400)
      expect(box?.height).toBeGreaterThan(80)
    }
    // Nothing wider than the window at 1280 px: long URLs wrap instead of scrolling the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    expect(background).toBe(scheme === 'dark' ? 'rgb(15, 19, 24)' : 'rgb(244, 246, 248)')
    await shot(page, `report-${scheme}`)
    expect(requests).toEqual([])
    expect(problems).toEqual([])
  })
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a spider run's report shows what the spider did, in ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    const { requests, problems } = await open(page, spiderUrl)
    const section = page.locator('section#spider')
    await expect(section.getByRole('heading', { level: 2 })).toHaveText('Spider')
    const charts = section.locator('figure[data-chart] svg')
    await expect(charts).toHaveCount(2)
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox()
      expect(box?.width).toBeGreaterThan(400)
      expect(box?.height).toBeGreaterThan(80)
    }
    await expect(section.locator('tr[data-trap]')).toHaveCount(3)
    expect(await page.locator('img').count()).toBe(0)
    // The 300-character trap URL wraps instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
    await section.screenshot({ path: join(SCREENSHOT_DIR, `report-spider-${scheme}.png`) })
    expect(requests).toEqual([])
    expect(problems).toEqual([])
  })
}

test('the report prints on white whatever the screen prefers', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark', media: 'print' })
  await open(page)
  const colours = await page.evaluate(() => ({
    page: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color
  }))
  expect(colours).toEqual({ page: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)' })
  const pdf = await page.pdf({ format: 'A4' })
  expect(pdf.length).toBeGreaterThan(10_000)
})
