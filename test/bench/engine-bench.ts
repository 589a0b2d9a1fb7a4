import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { Agent } from 'undici'
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config.ts'
import { CrawlEngine } from '../../electron/core/engine/engine.ts'

/**
 * Engine benchmarks (issue 2): makespan efficiency, throughput against a bare undici loop,
 * memory over a 100,000-URL run, and time to close every socket after cancel.
 * The demo target runs in a child process so the engine has its event loop to itself.
 */

export interface DemoServer {
  readonly origin: string
  stop(): Promise<void>
}

export async function startDemoServer(): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, ['test/bench/demo-server.ts'], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
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

/** mulberry32: a tiny seeded PRNG so every run asks for the same delays. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const config = (overrides: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_CONFIG, ...overrides })

async function runEngine(
  urls: readonly string[],
  overrides: Partial<RunConfig>
): Promise<{ wallMs: number; ok: number; failed: number }> {
  const engine = new CrawlEngine({ runId: 'run-test', config: config(overrides) })
  let ok = 0
  let failed = 0
  engine.onEvent((e) => {
    if (e.kind === 'request-finished') {
      if (e.result.ok) ok += 1
      else failed += 1
    }
  })
  const started = performance.now()
  await engine.start(urls.map((url, id) => ({ id, url })))
  return { wallMs: performance.now() - started, ok, failed }
}

export interface MakespanFigures {
  readonly requests: number
  readonly concurrency: number
  readonly wallMs: number
  readonly idealMs: number
  readonly ratio: number
  /** Makespan of a zero-overhead first-come-first-served schedule of the same delays. */
  readonly fifoMs: number
  readonly ratioToFifo: number
  /** The same list through a plain undici semaphore loop (no policy, no events): the floor here. */
  readonly bareMs: number
  readonly ratioToBare: number
  readonly failed: number
}

/**
 * The makespan of list scheduling in input order with no overhead at all: the best any scheduler
 * that does not know latencies in advance can do. With 2,000 delays of 20–200 ms at concurrency
 * 100 it sits about 5% above the ideal bound, because the last requests start at different times.
 */
function fifoMakespan(delays: readonly number[], concurrency: number): number {
  const slots = new Array<number>(concurrency).fill(0)
  for (const delay of delays) {
    let earliest = 0
    for (let i = 1; i < concurrency; i += 1) if ((slots[i] ?? 0) < (slots[earliest] ?? 0)) earliest = i
    slots[earliest] = (slots[earliest] ?? 0) + delay
  }
  return Math.max(...slots)
}

/**
 * Makespan of `requests` delays drawn uniformly from [minMs, maxMs] at `concurrency`: the engine
 * and a bare semaphore loop alternated (median of `rounds` each), against the ideal bound
 * max(ΣL/C, max L) and the FIFO schedule.
 */
async function makespanOf(
  origin: string,
  shape: { requests: number; concurrency: number; minMs: number; maxMs: number; rounds: number; seed: number }
): Promise<MakespanFigures> {
  const random = seeded(shape.seed)
  const { requests, concurrency } = shape
  const delays = Array.from(
    { length: requests },
    () => shape.minMs + Math.floor(random() * (shape.maxMs - shape.minMs + 1))
  )
  const urls = (tag: string) => delays.map((ms, i) => `${origin}/delay/${ms}?n=${i}&${tag}`)
  const sum = delays.reduce((a, b) => a + b, 0)
  const idealMs = Math.max(sum / concurrency, Math.max(...delays))
  const fifoMs = fifoMakespan(delays, concurrency)
  const settings = { concurrency, perHostConcurrency: concurrency, retries: 0 }
  // Warm the code paths and the server first; the measured runs still open their own sockets.
  await runEngine(urls('warm=1').slice(0, 500), settings)
  await bareUndici(urls('warm=2').slice(0, 500), concurrency)
  const engineWalls: number[] = []
  const bareWalls: number[] = []
  let failed = 0
  for (let round = 0; round < shape.rounds; round += 1) {
    const run = await runEngine(urls(`e=${round}`), settings)
    engineWalls.push(run.wallMs)
    failed += run.failed
    bareWalls.push(await bareUndici(urls(`b=${round}`), concurrency))
  }
  const wallMs = median(engineWalls)
  const bareMs = median(bareWalls)
  return {
    requests,
    concurrency,
    wallMs,
    idealMs,
    ratio: wallMs / idealMs,
    fifoMs,
    ratioToFifo: wallMs / fifoMs,
    bareMs,
    ratioToBare: wallMs / bareMs,
    failed
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** The bench's own workload: 2,000 delays of 20–200 ms at concurrency 100. */
export function benchMakespan(origin: string): Promise<MakespanFigures> {
  return makespanOf(origin, { requests: 2_000, concurrency: 100, minMs: 20, maxMs: 200, rounds: 3, seed: 42 })
}

/** The seeds' workload: 1,500 URLs answering in 50–150 ms at concurrency 50. */
export function benchSeedsMakespan(origin: string): Promise<MakespanFigures> {
  return makespanOf(origin, { requests: 1_500, concurrency: 50, minMs: 50, maxMs: 150, rounds: 3, seed: 7 })
}

async function bareUndici(urls: readonly string[], concurrency: number): Promise<number> {
  const agent = new Agent({ connections: concurrency, pipelining: 1, allowH2: false })
  let next = 0
  const started = performance.now()
  const worker = async () => {
    for (;;) {
      const i = next++
      const url = urls[i]
      if (url === undefined) return
      const u = new URL(url)
      const res = await agent.request({ origin: u.origin, path: u.pathname + u.search, method: 'GET' })
      await res.body.text()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wall = performance.now() - started
  await agent.close()
  return wall
}

export interface ThroughputFigures {
  readonly requests: number
  readonly concurrency: number
  readonly enginePerSecond: number
  readonly barePerSecond: number
  readonly ratio: number
}

export async function benchThroughput(origin: string): Promise<ThroughputFigures> {
  const requests = 20_000
  const concurrency = 50
  const urls = (round: number) =>
    Array.from({ length: requests }, (_, i) => `${origin}/delay/0?r=${round}&n=${i}`)
  // Warm both paths, then alternate so drift on a shared machine hits both sides alike.
  await bareUndici(urls(0).slice(0, 2_000), concurrency)
  await runEngine(urls(1).slice(0, 2_000), { concurrency, perHostConcurrency: concurrency })
  let bareMs = 0
  let engineMs = 0
  for (let round = 0; round < 2; round += 1) {
    bareMs += await bareUndici(urls(10 + round), concurrency)
    engineMs += (
      await runEngine(urls(20 + round), { concurrency, perHostConcurrency: concurrency, retries: 0 })
    ).wallMs
  }
  const barePerSecond = (2 * requests) / (bareMs / 1000)
  const enginePerSecond = (2 * requests) / (engineMs / 1000)
  return { requests, concurrency, enginePerSecond, barePerSecond, ratio: enginePerSecond / barePerSecond }
}

export interface MemoryFigures {
  readonly requests: number
  readonly rssBeforeMb: number
  readonly rssPeakMb: number
  readonly rssAfterMb: number
  readonly growthMb: number
  readonly wallMs: number
}

const mb = (bytes: number) => bytes / (1024 * 1024)
const gc = (): void => {
  ;(globalThis as { gc?: () => void }).gc?.()
}

export async function benchMemory(origin: string): Promise<MemoryFigures> {
  const requests = 100_000
  gc()
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 100)
  const urls = Array.from({ length: requests }, (_, i) => `${origin}/delay/0?m=${i}`)
  const run = await runEngine(urls, { concurrency: 100, perHostConcurrency: 100, retries: 0 })
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  gc()
  const after = process.memoryUsage().rss
  return {
    requests,
    rssBeforeMb: mb(before),
    rssPeakMb: mb(peak),
    rssAfterMb: mb(after),
    growthMb: mb(peak - before),
    wallMs: run.wallMs
  }
}

export interface CancelFigures {
  readonly inFlight: number
  readonly cancelToZeroSocketsMs: number
  readonly openSocketsAfter: number
}

export async function benchCancel(origin: string): Promise<CancelFigures> {
  const inFlight = 1_000
  const engine = new CrawlEngine({
    runId: 'run-test',
    config: config({
      concurrency: inFlight,
      perHostConcurrency: inFlight,
      headersTimeoutMs: 120_000,
      totalTimeoutMs: 120_000
    })
  })
  let started = 0
  const allStarted = new Promise<void>((resolve) => {
    engine.onEvent((e) => {
      if (e.kind === 'request-started' && (started += 1) === inFlight) resolve()
    })
  })
  const urls = Array.from({ length: inFlight }, (_, i) => `${origin}/stall-headers?ms=60000&c=${i}`)
  const run = engine.start(urls.map((url, id) => ({ id, url })))
  await allStarted
  // Let the sockets connect and the requests reach the server.
  const deadline = Date.now() + 10_000
  while (engine.openSockets() < inFlight && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  const t0 = performance.now()
  await engine.cancel()
  while (engine.openSockets() > 0 && performance.now() - t0 < 5_000) await new Promise((r) => setImmediate(r))
  const elapsed = performance.now() - t0
  await run
  return { inFlight, cancelToZeroSocketsMs: elapsed, openSocketsAfter: engine.openSockets() }
}
