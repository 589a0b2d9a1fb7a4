import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'

/**
 * The hosts view's answer on a run with many hosts: a list run over `hosts` loopback ports (each
 * its own host:port; nothing listens on most, so each fails fast with CONNECT_REFUSED, and a
 * port someone happens to serve answers as it will), then getHosts asked `asks` times, as the
 * dashboard asks it once a second. Each answer walks every host the scheduler knows (its limits,
 * pauses, queue and pacing) and the run's figures per host, and lists the busiest MAX_HOST_ROWS.
 */

export interface HostsFigures {
  readonly hosts: number
  readonly rows: number
  readonly asks: number
  readonly p50Ms: number
  readonly p95Ms: number
  /** Process CPU time an answer takes, on average (less noisy than wall time on a shared machine). */
  readonly cpuMsPerAsk: number
}

const FIRST_PORT = 20_000

export async function benchHosts(hosts = 5_000, asks = 200): Promise<HostsFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crawlboard-hosts-bench-'))
  const backend = createCrawlerBackend({
    dataDir,
    version: 'bench',
    transport: 'browser',
    log: () => undefined
  })
  try {
    const urls = Array.from({ length: hosts }, (_, i) => `http://127.0.0.1:${String(FIRST_PORT + i)}/`)
    const { runId } = await backend.startRun({
      urlsText: urls.join('\n'),
      config: { concurrency: 256, perHostConcurrency: 2, retries: 0, connectTimeoutMs: 1_000 }
    })
    const until = performance.now() + 60_000
    while ((await backend.getSnapshot(runId))?.status.kind !== 'completed') {
      if (performance.now() > until) throw new Error('the hosts bench run did not complete within 60 s')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const times: number[] = []
    let rows = 0
    const cpu = process.cpuUsage()
    for (let i = 0; i < asks; i++) {
      const start = performance.now()
      rows = (await backend.getHosts(runId)).length
      times.push(performance.now() - start)
    }
    const used = process.cpuUsage(cpu)
    const cpuMsPerAsk = (used.user + used.system) / 1000 / asks
    times.sort((a, b) => a - b)
    const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN
    return { hosts, rows, asks, p50Ms: at(0.5), p95Ms: at(0.95), cpuMsPerAsk }
  } finally {
    await backend.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
