import { chromium } from 'playwright-core'
import { startBrowserHost } from '../../electron/server/browser-host.ts'
import { createSyntheticBackend } from './synthetic-backend.ts'

/**
 * The renderer under load: 5,000 finished requests a second for 60 s, streamed through the
 * browser host into the live dashboard in Chromium. Frame times come from requestAnimationFrame,
 * long tasks from the Long Tasks API, heap from the DevTools protocol after a forced GC.
 */

export interface UiFigures {
  readonly eventsPerSecond: number
  readonly seconds: number
  readonly frames: number
  readonly frameP50Ms: number
  readonly frameP95Ms: number
  readonly longestTaskMs: number
  readonly heapStartMb: number
  readonly heapEndMb: number
  readonly heapGrowthMb: number
  readonly shownDone: number
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0)

export async function benchUi(options: { perSecond?: number; seconds?: number } = {}): Promise<UiFigures> {
  const perSecond = options.perSecond ?? 5_000
  const seconds = options.seconds ?? 60
  const backend = createSyntheticBackend({ perSecond, durationMs: seconds * 1000 + 10_000 })
  const host = await startBrowserHost({ rendererDir: 'out/renderer', backend })
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run'
    ]
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.addInitScript(() => {
      const w = window as unknown as { __frames: number[]; __longTasks: number[]; __measure: boolean }
      w.__frames = []
      w.__longTasks = []
      w.__measure = false
      let last = performance.now()
      const loop = (t: number) => {
        if (w.__measure) w.__frames.push(t - last)
        last = t
        requestAnimationFrame(loop)
      }
      requestAnimationFrame(loop)
      new PerformanceObserver((list) => {
        if (w.__measure) for (const e of list.getEntries()) w.__longTasks.push(e.duration)
      }).observe({ type: 'longtask', buffered: false })
    })
    backend.start()
    await page.goto(host.url)
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: /^Dashboard/ })
      .click()
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage')
      const { metrics } = await cdp.send('Performance.getMetrics')
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / (1024 * 1024)
    }
    // Warm up, then measure for `seconds`.
    await page.waitForTimeout(3_000)
    const heapStartMb = await heap()
    await page.evaluate(() => {
      ;(window as unknown as { __measure: boolean }).__measure = true
    })
    await page.waitForTimeout(seconds * 1000)
    const { frames, longTasks } = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __longTasks: number[]; __measure: boolean }
      w.__measure = false
      return { frames: w.__frames, longTasks: w.__longTasks }
    })
    const heapEndMb = await heap()
    const text = (await page.getByRole('main').textContent()) ?? ''
    const shownDone = Number((/(\d[\d,]*)\s*of [\d,]+ done/.exec(text)?.[1] ?? '0').replace(/,/g, ''))
    const sorted = [...frames].sort((a, b) => a - b)
    return {
      eventsPerSecond: perSecond,
      seconds,
      frames: frames.length,
      frameP50Ms: percentile(sorted, 0.5),
      frameP95Ms: percentile(sorted, 0.95),
      longestTaskMs: Math.max(0, ...longTasks),
      heapStartMb,
      heapEndMb,
      heapGrowthMb: heapEndMb - heapStartMb,
      shownDone
    }
  } finally {
    await browser.close()
    await host.close()
    await backend.close()
  }
}
