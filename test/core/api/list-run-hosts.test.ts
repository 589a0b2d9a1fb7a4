import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostRow } from '../../../shared/api.ts'
import type { CrawlerBackend } from '../../../electron/core/api/backend.ts'
import { createCrawlerBackend } from '../../../electron/core/api/crawler-backend.ts'
import { sleep } from '../../helpers/engine-harness.ts'

/**
 * The hosts view of a list run (not only a spider run's): while it goes, each host's row says how
 * many requests are in flight against its limit, and a host a 429 + Retry-After holds back says
 * until when and why; once the run is over the stored run lists the same hosts, idle.
 */

let dataDir: string
let backend: CrawlerBackend
const servers: Server[] = []

/** A loopback server; `answer` says per request path what to reply. */
async function serve(
  answer: (path: string, reply: (status: number, headers?: Record<string, string>) => void) => void
): Promise<string> {
  const server = createServer((req, res) => {
    answer(req.url ?? '/', (status, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers })
      res.end('x')
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${String((server.address() as AddressInfo).port)}`
}

/** Asks `check` every 20 ms until it is true; throws after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > end)
      throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}`)
    await sleep(20)
  }
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-list-hosts-'))
  backend = createCrawlerBackend({ dataDir, version: '9.9.9', transport: 'browser', log: () => undefined })
})
afterEach(async () => {
  await backend.close()
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  await rm(dataDir, { recursive: true, force: true })
})

describe('the hosts view of a list run', () => {
  it('shows in flight against the limit and a Retry-After pause with its reason, live and stored', async () => {
    // Slow host: every answer takes 400 ms, so its limit of 2 stays full for a while.
    const slow = await serve((_path, reply) => {
      setTimeout(() => {
        reply(200)
      }, 400)
    })
    // Throttled host: the first request to each path gets 429 + Retry-After: 2, the retry 200.
    const seen = new Set<string>()
    const throttled = await serve((path, reply) => {
      if (seen.has(path)) {
        reply(200)
        return
      }
      seen.add(path)
      reply(429, { 'retry-after': '2' })
    })
    const urls = [
      ...Array.from({ length: 6 }, (_, i) => `http://${slow}/s${String(i)}`),
      ...Array.from({ length: 3 }, (_, i) => `http://${throttled}/t${String(i)}`)
    ]
    const { runId } = await backend.startRun({
      urlsText: urls.join('\n'),
      config: { concurrency: 16, perHostConcurrency: 2, retries: 2 }
    })

    let rows: readonly HostRow[] = []
    const row = (host: string): HostRow | undefined => rows.find((r) => r.host === host)
    await until(
      async () => {
        rows = await backend.getHosts(runId)
        const t = row(throttled)
        return row(slow)?.inFlight === 2 && t?.pauseReason === 'retry-after' && t.inFlight === 0
      },
      'the slow host at its limit and the throttled host paused by Retry-After',
      5_000
    )
    const now = Date.now()
    expect(row(slow)).toMatchObject({ inFlight: 2, currentLimit: 2, userLimit: 2, pauseReason: null })
    expect(row(slow)?.queued).toBeGreaterThan(0)
    const paused = row(throttled)
    expect(paused).toMatchObject({ inFlight: 0, pauseReason: 'retry-after' })
    // Retry-After: 2 from a moment ago: paused for up to two seconds more.
    expect(paused?.pausedUntil).toBeGreaterThan(now)
    expect(paused?.pausedUntil).toBeLessThanOrEqual(now + 2_000)
    expect(paused?.retrying).toBeGreaterThan(0)

    await until(
      async () => (await backend.getSnapshot(runId))?.status.kind === 'completed',
      'the run to complete',
      10_000
    )
    const done = await backend.getHosts(runId)
    expect(done.map((r) => [r.host, r.requests, r.ok, r.inFlight, r.pauseReason]).sort()).toEqual(
      [
        [slow, 6, 6, 0, null],
        [throttled, 3, 3, 0, null]
      ].sort()
    )
  }, 20_000)
})
