import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'
import { DATABASE_FILE } from '../../electron/core/store/run-database.ts'
import { startBrowserHost } from '../../electron/server/browser-host.ts'
import { seedStoredRun } from './open-bench.ts'

/**
 * Setup with a big list, and the Results table of a big run, in Chromium through the browser host.
 *
 * `setup`: a 100,000-line file (every 1,000th line not a URL) imported through Setup's file
 * picker, timed from the pick to the summary showing its counts; then 40 keystrokes typed at the
 * end of the list (letters, Enter, Backspace) at a typing pace, each timed from its keydown to
 * the end of the frame that shows it; then the preferences file's size once the autosave ran.
 *
 * `results-scroll`: a stored run of 100,000 results opened in Results, then 20 wheel scrolls
 * (each one frame apart, as a wheel does), timed from the first to the frame where every row on
 * screen shows its data (no placeholder left).
 */

export interface SetupFigures {
  readonly lines: number
  readonly importMs: number
  readonly keystrokes: number
  readonly keyP50Ms: number
  readonly keyP95Ms: number
  readonly keyMaxMs: number
  readonly preferencesBytes: number
}

export interface ScrollFigures {
  readonly rows: number
  readonly scrolls: number
  readonly scrollMs: number
  readonly longestFrameMs: number
  readonly lastRowIndex: number
}

/** The built renderer to measure (BENCH_RENDERER_DIR points at another build, e.g. the one before a change). */
const RENDERER_DIR = process.env['BENCH_RENDERER_DIR'] ?? 'out/renderer'

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0)

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
  })
}

/** Resolves after the next frame has been produced (rAF, then a task after it). */
const nextFrame = (page: Page): Promise<void> =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        requestAnimationFrame(() => {
          setTimeout(resolve, 0)
        })
      })
  )

export async function benchSetup(options: { lines?: number } = {}): Promise<SetupFigures> {
  const lines = options.lines ?? 100_000
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlboard-setup-bench-'))
  try {
    const listPath = join(dataDir, 'urls.txt')
    const text = Array.from({ length: lines }, (_, i) =>
      i % 1000 === 999 ? `not a url ${i}` : `https://shop${i % 50}.example.com/products/item-${i}?ref=list`
    ).join('\n')
    writeFileSync(listPath, text)
    const expectedUrls = lines - Math.floor(lines / 1000)
    const backend = createCrawlerBackend({ dataDir, version: '0.0.0-bench', transport: 'browser' })
    const host = await startBrowserHost({ rendererDir: RENDERER_DIR, backend, downloads: backend })
    const browser = await launch()
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(host.url)
      const label = 'URLs to crawl, one per line'
      await page.getByLabel(label).waitFor()
      const count = expectedUrls.toLocaleString('en')
      const startedAt = await page.evaluate(() => performance.now())
      await page.locator('input[type="file"]').setInputFiles(listPath)
      await page.waitForFunction(
        (want) => {
          const s = document.getElementById('urls-summary')?.textContent ?? ''
          return s.includes(`${want} URLs`) && !s.includes('checking')
        },
        count,
        { timeout: 120_000, polling: 20 }
      )
      const importMs = (await page.evaluate(() => performance.now())) - startedAt

      // Times each keystroke in the page: keydown → the end of the frame that follows it.
      await page.evaluate(() => {
        const w = window as unknown as { __keys: number[] }
        w.__keys = []
        document.addEventListener(
          'keydown',
          (event) => {
            // The event's own time stamp: when the key was pressed, however long it then queued.
            const t = event.timeStamp
            requestAnimationFrame(() => {
              setTimeout(() => {
                w.__keys.push(performance.now() - t)
              }, 0)
            })
          },
          { capture: true }
        )
      })
      await page.getByLabel(label).click()
      await page.keyboard.press('Control+End')
      // 42 keys at a typing pace (90 ms apart): a new line, a URL, two corrections, a comment.
      const pace = { delay: 90 }
      await page.keyboard.press('Enter')
      await page.keyboard.type('https://typed.example/', pace)
      await page.keyboard.press('Backspace')
      await page.keyboard.press('Backspace')
      await page.keyboard.type('ab', pace)
      await page.keyboard.press('Enter')
      await page.keyboard.type('# note 12345 ok', pace)
      await page.waitForTimeout(500)
      const times = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys)
      // Autosave runs 0.8 s after the last change.
      await page.waitForTimeout(2_000)
      let preferencesBytes = 0
      try {
        preferencesBytes = statSync(join(dataDir, 'preferences.json')).size
      } catch {
        preferencesBytes = 0
      }
      const sorted = [...times].sort((a, b) => a - b)
      return {
        lines,
        importMs,
        keystrokes: times.length,
        keyP50Ms: percentile(sorted, 0.5),
        keyP95Ms: percentile(sorted, 0.95),
        keyMaxMs: sorted[sorted.length - 1] ?? 0,
        preferencesBytes
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

const RUN_NAME = 'Scroll bench run'

export async function benchResultsScroll(options: { rows?: number } = {}): Promise<ScrollFigures> {
  const rows = options.rows ?? 100_000
  const scrolls = 20
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlboard-scroll-bench-'))
  try {
    seedStoredRun(join(dataDir, DATABASE_FILE), rows, RUN_NAME)
    const backend = createCrawlerBackend({ dataDir, version: '0.0.0-bench', transport: 'browser' })
    const host = await startBrowserHost({ rendererDir: RENDERER_DIR, backend, downloads: backend })
    const browser = await launch()
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.addInitScript(() => {
        const w = window as unknown as { __frames: number[]; __measure: boolean }
        w.__frames = []
        w.__measure = false
        let last = performance.now()
        const loop = (t: number): void => {
          if (w.__measure) w.__frames.push(t - last)
          last = t
          requestAnimationFrame(loop)
        }
        requestAnimationFrame(loop)
      })
      await page.goto(host.url)
      const nav = page.getByRole('navigation', { name: 'Views' })
      await nav.getByRole('button', { name: 'History', exact: true }).click()
      const history = page.getByRole('main', { name: 'History' })
      const row = history.getByRole('row').filter({ has: page.getByRole('rowheader', { name: RUN_NAME }) })
      await row.getByRole('button', { name: 'Open', exact: true }).click({ timeout: 60_000 })
      const count = rows.toLocaleString('en')
      await page
        .getByRole('main')
        .getByText(new RegExp(`${count}\\s*of ${count} done`))
        .first()
        .waitFor({ timeout: 60_000 })
      await nav.getByRole('button', { name: 'Results', exact: true }).click()
      const grid = page.getByRole('grid', { name: 'Results' })
      await grid.locator('.results__row:not(.results__row--skeleton)').first().waitFor({ timeout: 60_000 })
      await page.waitForTimeout(500)
      const box = await grid.boundingBox()
      if (!box) throw new Error('the Results grid has no box')
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
      const startedAt = await page.evaluate(() => {
        ;(window as unknown as { __measure: boolean }).__measure = true
        return performance.now()
      })
      for (let i = 0; i < scrolls; i++) {
        await page.mouse.wheel(0, 1_500)
        await nextFrame(page)
      }
      // Done when the rows on screen all show data.
      await page.waitForFunction(
        () => {
          const scroller = document.querySelector<HTMLElement>('[role="grid"][aria-label="Results"]')
          if (!scroller) return false
          const view = scroller.getBoundingClientRect()
          const rowsOnScreen = [...scroller.querySelectorAll<HTMLElement>('.results__row')].filter((r) => {
            const b = r.getBoundingClientRect()
            return b.bottom > view.top + 32 && b.top < view.bottom
          })
          return (
            rowsOnScreen.length > 0 &&
            rowsOnScreen.every((r) => !r.classList.contains('results__row--skeleton'))
          )
        },
        undefined,
        { timeout: 60_000, polling: 'raf' }
      )
      await nextFrame(page)
      const figures = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __measure: boolean }
        w.__measure = false
        const scroller = document.querySelector<HTMLElement>('[role="grid"][aria-label="Results"]')
        const indexes = [...(scroller?.querySelectorAll<HTMLElement>('.results__row[data-index]') ?? [])].map(
          (r) => Number(r.dataset['index'])
        )
        return { endedAt: performance.now(), frames: w.__frames, last: Math.max(0, ...indexes) }
      })
      return {
        rows,
        scrolls,
        scrollMs: figures.endedAt - startedAt,
        longestFrameMs: Math.max(0, ...figures.frames),
        lastRowIndex: figures.last
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
