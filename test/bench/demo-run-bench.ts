import { PRESETS } from '../../shared/presets.ts'
import { runConfigSchema } from '../../shared/config.ts'
import { CrawlEngine } from '../../electron/core/engine/engine.ts'
import { generateDemoUrls, startDemoTarget } from '../../electron/core/demo/demo-target.ts'

/**
 * The big workshop demo end to end (issue 11): the 20,000-URL demo list over the three demo hosts
 * with their workshop load (capacity, and a rate limit on the API host), through the real engine
 * with what `npm run crawl -- --demo --demo-count 20000 --concurrency 128 --per-host 32` runs:
 * the workshop-demo preset and those two flags. The target runs in this process, as the runner's
 * does. Reports the average rate over the whole run, the retries, the 429s and the Retry-After
 * waits the engine honoured.
 */

export interface DemoRunFigures {
  readonly urls: number
  readonly concurrency: number
  readonly perHost: number
  readonly wallMs: number
  readonly perSecond: number
  readonly ok: number
  readonly failed: number
  readonly retries: number
  /** Attempts answered 429, retried or not. */
  readonly status429: number
  /** Retries scheduled after the wait a Retry-After asked for. */
  readonly retryAfterWaits: number
  /** 429s the target's token bucket sent (its own count). */
  readonly rateLimited: number
}

export async function benchDemoRun(urls = 20_000, concurrency = 128, perHost = 32): Promise<DemoRunFigures> {
  const target = await startDemoTarget({ hosts: 3, load: 'workshop' })
  try {
    const config = runConfigSchema.parse({
      ...PRESETS['workshop-demo'].settings,
      concurrency,
      perHostConcurrency: perHost
    })
    const list = generateDemoUrls(target.origins, { count: urls })
    const engine = new CrawlEngine({ runId: 'run-bench-demo', config })
    let ok = 0
    let failed = 0
    let retries = 0
    let status429 = 0
    let retryAfterWaits = 0
    engine.onEvent((e) => {
      if (e.kind === 'request-finished') {
        if (e.result.ok) ok += 1
        else failed += 1
        if (!e.result.ok && e.result.error?.status === 429) status429 += 1
      } else if (e.kind === 'attempt-failed') {
        retries += 1
        if (e.error.status === 429) status429 += 1
        if (e.retryReason === 'retry-after') retryAfterWaits += 1
      }
    })
    const started = performance.now()
    await engine.start(list.map((url, id) => ({ id, url })))
    const wallMs = performance.now() - started
    return {
      urls,
      concurrency,
      perHost,
      wallMs,
      perSecond: urls / (wallMs / 1000),
      ok,
      failed,
      retries,
      status429,
      retryAfterWaits,
      rateLimited: target.stats().rateLimited
    }
  } finally {
    await target.close()
  }
}
