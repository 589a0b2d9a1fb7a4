import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { CrawlEngine } from '../../electron/core/engine/engine.ts'
import { idealWallMs, siteFacts, type DemoSiteOptions } from '../../electron/core/demo/demo-target.ts'
import { DEFAULT_CONFIG } from '../../shared/config.ts'

/**
 * A spider over the demo's synthetic site (issue 5): PAGES pages behind one origin, served by the
 * demo target in its own process, crawled from /site/ with robots.txt respected, at CONCURRENCY
 * requests at once. Judged against the ideal wall time siteFacts gives for that concurrency (the
 * server's delays spread evenly over the slots, or the critical path, whichever is longer), and
 * checked against the facts' page count; peak RSS growth of this process is reported beside it.
 *
 * Run alone: `node --experimental-strip-types test/bench/spider-crawl-bench.ts [pages] [concurrency]`.
 */

export interface SpiderCrawlBench {
  readonly pages: number
  readonly concurrency: number
  readonly fetched: number
  readonly expected: number
  readonly wallMs: number
  readonly idealMs: number
  readonly ratio: number
  readonly pagesPerSecond: number
  readonly rssBeforeMb: number
  readonly rssPeakMb: number
  readonly growthMb: number
  readonly discovered: number
  readonly maxDepth: number
  readonly trapSpaceFetched: number
  /** Failures by code (ROBOTS_DISALLOWED and the site's 404/500 pages are expected). */
  readonly failures: Readonly<Record<string, number>>
  /** Traps reported, by code. */
  readonly traps: Readonly<Record<string, number>>
  readonly cpuSeconds: number
  readonly loadAverage: number
}

const SITE: DemoSiteOptions = {
  latency: { dist: 'lognormal', medianMs: 20, p99Ms: 200 },
  // Faults stay on except the 2.5 s "slow" pages: with them the critical path, not the engine, sets the time.
  faults: { slowEvery: 0 }
}

async function startSiteServer(site: DemoSiteOptions): Promise<{ origin: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['test/bench/demo-site-server.ts', JSON.stringify(site)],
    {
      stdio: ['pipe', 'pipe', 'inherit']
    }
  )
  const lines = createInterface({ input: child.stdout! })
  const [line] = (await once(lines, 'line')) as [string]
  const { origin } = JSON.parse(line) as { origin: string }
  return {
    origin,
    stop: async () => {
      child.stdin?.end()
      if (child.exitCode === null) await once(child, 'exit')
    }
  }
}

export async function benchSpiderCrawl(pages = 50_000, concurrency = 200): Promise<SpiderCrawlBench> {
  const site = { ...SITE, pages }
  const facts = siteFacts(site)
  // As deep as the real pages go, as a person would set it (the calendar, which links one month
  // to the next without end, is cut by the variant chain rule or by this limit, whichever first).
  const maxDepth = facts.maxDepth
  const server = await startSiteServer(site)
  try {
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }, 100)
    const engine = new CrawlEngine({
      runId: 'run-test',
      config: {
        ...DEFAULT_CONFIG,
        mode: 'spider',
        maxDepth,
        maxPages: pages * 2,
        concurrency,
        perHostConcurrency: concurrency,
        retries: 0,
        headersTimeoutMs: 10_000
      }
    })
    let fetched = 0
    let discovered = 0
    let trapSpaceFetched = 0
    const failures: Record<string, number> = {}
    const traps: Record<string, number> = {}
    engine.onEvent((event) => {
      if (event.kind === 'request-finished') {
        fetched++
        const e = event.result.error
        if (e) {
          const key = e.code === 'HTTP_STATUS' ? `HTTP ${e.status ?? '?'}` : e.code
          failures[key] = (failures[key] ?? 0) + 1
        }
        if (/\/site\/(calendar|a\/)/.test(event.result.url)) trapSpaceFetched++
      } else if (event.kind === 'url-discovered') discovered = event.frontier.discovered
      else if (event.kind === 'trap-detected') {
        traps[event.code] = (traps[event.code] ?? 0) + 1
        if (process.env['BENCH_VERBOSE']) console.error(event.code, event.url)
      }
    })
    const cpu0 = process.cpuUsage()
    const started = performance.now()
    await engine.start([{ id: 0, url: `${server.origin}/site/` }])
    const wallMs = performance.now() - started
    const cpu = process.cpuUsage(cpu0)
    clearInterval(sampler)
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    const idealMs = idealWallMs(facts, concurrency)
    const mb = (bytes: number) => bytes / (1024 * 1024)
    return {
      pages,
      concurrency,
      fetched,
      expected: facts.fetched.length + facts.disallowed.length,
      wallMs,
      idealMs,
      ratio: wallMs / idealMs,
      pagesPerSecond: fetched / (wallMs / 1000),
      rssBeforeMb: mb(rssBefore),
      rssPeakMb: mb(rssPeak),
      growthMb: mb(rssPeak - rssBefore),
      discovered,
      maxDepth,
      trapSpaceFetched,
      failures,
      traps,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loadAverage: loadavg()[0] ?? 0
    }
  } finally {
    await server.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pages = Number(process.argv[2] ?? 50_000)
  const concurrency = Number(process.argv[3] ?? 200)
  console.log(JSON.stringify(await benchSpiderCrawl(pages, concurrency), null, 2))
}
