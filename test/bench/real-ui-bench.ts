import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type CDPSession } from 'playwright-core'
import { PRESETS } from '../../shared/presets.ts'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'
import { startBrowserHost } from '../../electron/server/browser-host.ts'

/**
 * The dashboard during a real run: the browser host with the real engine crawling the built-in
 * demo target (20,000 URLs, the workshop preset at concurrency 128, as
 * `npm run crawl -- --demo --demo-count 20000 --concurrency 128` would), the renderer in Chromium
 * at 1280×720 on the live dashboard. Frame times come from requestAnimationFrame and long tasks
 * from the Long Tasks API, from the first result to the end of the run. Unlike the `ui` bench
 * (synthetic events), the engine, the store's writer and the renderer share the machine's cores.
 *
 * REAL_UI_PROFILE=<file.cpuprofile> also records a renderer CPU profile (open it in Chromium's
 * DevTools) and prints the functions with the most self time, to see where a long task went.
 */

export interface RealUiFigures {
  readonly urls: number
  readonly concurrency: number
  readonly runSeconds: number
  readonly frames: number
  readonly frameP50Ms: number
  readonly frameP95Ms: number
  readonly longestTaskMs: number
  readonly longTasks: number
  readonly shownDone: number
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0)

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples?: readonly number[]
  readonly timeDeltas?: readonly number[]
}

/** The functions with the most self time in a CPU profile, as printable lines. */
function topSelfTime(profile: CpuProfile, n: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1)
    if (!node) continue
    const f = node.callFrame
    const file = f.url.split('/').pop() ?? ''
    const key = `${f.functionName || '(anonymous)'} ${file}:${String(f.lineNumber + 1)}`
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000)
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${k}`)
}

export async function benchRealUi(
  options: { urls?: number; concurrency?: number } = {}
): Promise<RealUiFigures> {
  const urls = options.urls ?? 20_000
  const concurrency = options.concurrency ?? 128
  const profilePath = process.env['REAL_UI_PROFILE']
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlboard-real-ui-bench-'))
  const backend = createCrawlerBackend({
    dataDir,
    version: '0.0.0-bench',
    transport: 'browser',
    demoUrlCount: urls
  })
  const rendererDir = process.env['REAL_UI_RENDERER_DIR'] ?? 'out/renderer'
  const host = await startBrowserHost({ rendererDir, backend, downloads: backend })
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
  let cdp: CDPSession | null = null
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
    const demo = await backend.startDemoTarget()
    const workshop = PRESETS['workshop-demo'].settings
    const started = await backend.startRun({
      urlsText: demo.urlsText,
      name: 'Real UI bench',
      config: { ...workshop, concurrency }
    })
    await page.goto(host.url)
    await page.getByRole('navigation', { name: 'Views' }).waitFor()
    if (profilePath) {
      cdp = await page.context().newCDPSession(page)
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
    }
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: /^Dashboard/ })
      .click()
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor({ timeout: 30_000 })
    if (cdp) await cdp.send('Profiler.start')
    await page.evaluate(() => {
      ;(window as unknown as { __measure: boolean }).__measure = true
    })
    const t0 = performance.now()
    // Until the run ends, or 150 s of it (a busy machine stretches the run; the figures are per frame).
    for (let i = 0; i < 300; i++) {
      const snap = await backend.getSnapshot(started.runId)
      if (snap && (snap.summary.state === 'completed' || snap.summary.state === 'cancelled')) break
      await page.waitForTimeout(500)
    }
    const runSeconds = (performance.now() - t0) / 1000
    const { frames, longTasks } = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __longTasks: number[]; __measure: boolean }
      w.__measure = false
      return { frames: w.__frames, longTasks: w.__longTasks }
    })
    if (cdp && profilePath) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile }
      writeFileSync(profilePath, JSON.stringify(profile))
      console.log(`renderer CPU profile written to ${profilePath}; most self time:`)
      for (const line of topSelfTime(profile, 25)) console.log(line)
    }
    await page.waitForTimeout(500)
    const text = (await page.getByRole('main').textContent()) ?? ''
    const shownDone = Number((/(\d[\d,]*)\s*of [\d,]+ done/.exec(text)?.[1] ?? '0').replace(/,/g, ''))
    const sorted = [...frames].sort((a, b) => a - b)
    return {
      urls,
      concurrency,
      runSeconds,
      frames: frames.length,
      frameP50Ms: percentile(sorted, 0.5),
      frameP95Ms: percentile(sorted, 0.95),
      longestTaskMs: Math.max(0, ...longTasks),
      longTasks: longTasks.length,
      shownDone
    }
  } finally {
    await cdp?.detach().catch(() => undefined)
    await browser.close()
    await host.close()
    await backend.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
