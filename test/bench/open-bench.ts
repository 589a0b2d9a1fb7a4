import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { RequestResult } from '../../shared/result.ts'
import { RunStats } from '../../shared/stats.ts'
import { TimeBuckets } from '../../shared/time-series.ts'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'
import { DATABASE_FILE } from '../../electron/core/store/run-database.ts'
import { openRunStore } from '../../electron/core/store/index.ts'
import { startBrowserHost } from '../../electron/server/browser-host.ts'
import { seededRandom, syntheticResult } from './store-bench.ts'

/**
 * Opening a stored run of 1,000,000 results: a run database with one such run (as a finished crawl
 * leaves it: results, counts, time series) in a fresh data folder, the browser host and the app
 * backend on it, and the renderer in Chromium. From the click on the run's Open button in History:
 * the dashboard showing the run, then the Results view's first painted row (a data row, not a
 * skeleton; "painted" is the animation frame after it entered the DOM). The renderer's heap is
 * read after a forced GC.
 */

export interface OpenFigures {
  readonly results: number
  /** Writing the run database beforehand (not part of the figure). */
  readonly seedMs: number
  /** Click on Open → the dashboard shows the run's result count. */
  readonly openToDashboardMs: number
  /** Click on Open → first results row painted (the Results view is chosen once the dashboard shows). */
  readonly openToFirstRowMs: number
  /** Click on Results → its first row painted. */
  readonly resultsToFirstRowMs: number
  readonly rendererHeapMb: number
}

const RUN_ID = 'open-bench'
const RUN_NAME = 'One million results'

/** A finished run of `n` results in a new database at `path`, saved the way a crawl saves it. */
export function seedStoredRun(path: string, n: number, name = RUN_NAME): void {
  const r = seededRandom(42)
  const pool = Array.from({ length: Math.min(n, 100_000) }, (_, id) => syntheticResult(id, r))
  const resultAt = (id: number): RequestResult => {
    const base = pool[id % pool.length] as RequestResult
    const url = `${base.url}&n=${id}`
    return { ...base, id, url, finalUrl: base.finalUrl === base.url ? url : `${base.finalUrl}&n=${id}` }
  }
  const store = openRunStore(path)
  try {
    const startedAt = resultAt(0).startedAt
    store.createRun({
      id: RUN_ID,
      name,
      config: DEFAULT_CONFIG,
      urls: Array.from({ length: n }, (_, id) => resultAt(id).url),
      createdAt: startedAt
    })
    const stats = new RunStats({ runId: RUN_ID, total: n, startedAt })
    const series = new TimeBuckets({ startedAt })
    const writer = store.resultWriter(RUN_ID)
    let finishedAt = startedAt
    for (let id = 0; id < n; id++) {
      const result = resultAt(id)
      stats.recordResult(result)
      series.record(result)
      writer.add(result)
      finishedAt = Math.max(finishedAt, result.finishedAt)
    }
    writer.close()
    const summary = stats.summary({
      state: 'completed',
      inFlight: 0,
      queued: 0,
      waitingRetry: 0,
      now: finishedAt,
      finishedAt
    })
    store.updateRun(RUN_ID, {
      state: 'completed',
      startedAt,
      finishedAt,
      summary,
      stats: stats.toJSON(),
      series: series.toJSON()
    })
  } finally {
    store.close()
  }
}

export async function benchOpen(options: { results?: number } = {}): Promise<OpenFigures> {
  const n = options.results ?? 1_000_000
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlboard-open-bench-'))
  try {
    const t = performance.now()
    seedStoredRun(join(dataDir, DATABASE_FILE), n)
    const seedMs = performance.now() - t
    const backend = createCrawlerBackend({ dataDir, version: '0.0.0-bench', transport: 'browser' })
    const host = await startBrowserHost({ rendererDir: 'out/renderer', backend, downloads: backend })
    const browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      // Watches for the first data row of the Results table and stamps the frame after it appears.
      await page.addInitScript(() => {
        const w = window as unknown as { __firstRowAt: number | null; __watchRows: () => void }
        w.__firstRowAt = null
        w.__watchRows = () => {
          w.__firstRowAt = null
          const selector = '[role="grid"][aria-label="Results"] .results__row:not(.results__row--skeleton)'
          const seen = (): boolean => document.querySelector(selector) !== null
          const observer = new MutationObserver(() => {
            if (!seen()) return
            observer.disconnect()
            requestAnimationFrame(() => {
              w.__firstRowAt = performance.now()
            })
          })
          observer.observe(document.body, { childList: true, subtree: true })
        }
      })
      await page.goto(host.url)
      const nav = page.getByRole('navigation', { name: 'Views' })
      await nav.getByRole('button', { name: 'History', exact: true }).click()
      const history = page.getByRole('main', { name: 'History' })
      const row = history.getByRole('row').filter({ has: page.getByRole('rowheader', { name: RUN_NAME }) })
      const open = row.getByRole('button', { name: 'Open', exact: true })
      await open.waitFor({ timeout: 60_000 })

      const count = n.toLocaleString('en')
      const clickedAt = await page.evaluate(() => performance.now())
      await open.click()
      await page
        .getByRole('main')
        .getByText(new RegExp(`${count}\\s*of ${count} done`))
        .first()
        .waitFor({ timeout: 60_000 })
      const dashboardAt = await page.evaluate(() => performance.now())
      const resultsClickedAt = await page.evaluate(() => {
        const w = window as unknown as { __watchRows: () => void }
        w.__watchRows()
        return performance.now()
      })
      await nav.getByRole('button', { name: 'Results', exact: true }).click()
      await page.waitForFunction(
        () => (window as unknown as { __firstRowAt: number | null }).__firstRowAt !== null,
        undefined,
        { timeout: 60_000 }
      )
      const firstRowAt = await page.evaluate(
        () => (window as unknown as { __firstRowAt: number }).__firstRowAt
      )
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      await cdp.send('HeapProfiler.collectGarbage')
      const { metrics } = await cdp.send('Performance.getMetrics')
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0
      return {
        results: n,
        seedMs,
        openToDashboardMs: dashboardAt - clickedAt,
        openToFirstRowMs: firstRowAt - clickedAt,
        resultsToFirstRowMs: firstRowAt - resultsClickedAt,
        rendererHeapMb: heap / (1024 * 1024)
      }
    } finally {
      await browser.close()
      await host.close()
      await backend.close()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
