import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { CrawlEngine } from '../../electron/core/engine/engine.ts'
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config.ts'
import type { EngineEvent } from '../../shared/events.ts'
import type { RequestResult } from '../../shared/result.ts'
import type { RunSummary } from '../../shared/summary.ts'

/**
 * Shared helpers for the engine's integration tests: an engine that records its event stream, a
 * bounded run, bounded polling, and tiny loopback servers that track (and on close destroy) their
 * sockets.
 */

export type EventOf<K extends EngineEvent['kind']> = Extract<EngineEvent, { kind: K }>

export interface Recorder {
  readonly engine: CrawlEngine
  readonly events: EngineEvent[]
  /** performance.now() when each event arrived (same index as `events`). */
  readonly arrivedAt: number[]
  ofKind<K extends EngineEvent['kind']>(kind: K): EventOf<K>[]
  /** Final results in input order. */
  results(): RequestResult[]
  /** The final result of input `id`; throws when there is none. */
  result(id: number): RequestResult
  /** Starts the run over `urls` (ids are their indexes); cancels and throws after `deadlineMs`. */
  run(urls: readonly string[], deadlineMs?: number): Promise<RunSummary>
}

/** The same jitter the brief asks for: backoff = floor(0.5 · min(max, base · 2^(n−1))). */
export const HALF = (): number => 0.5

export function recordEngine(
  overrides: Partial<RunConfig> = {},
  onEvent?: (event: EngineEvent, rec: Recorder) => void
): Recorder {
  const engine = new CrawlEngine({
    runId: 'run-test',
    config: { ...DEFAULT_CONFIG, ...overrides },
    random: HALF
  })
  const events: EngineEvent[] = []
  const arrivedAt: number[] = []
  const rec: Recorder = {
    engine,
    events,
    arrivedAt,
    ofKind: <K extends EngineEvent['kind']>(kind: K) =>
      events.filter((e): e is EventOf<K> => e.kind === kind),
    results: () =>
      rec
        .ofKind('request-finished')
        .map((e) => e.result)
        .sort((a, b) => a.id - b.id),
    result(id) {
      const found = rec.ofKind('request-finished').find((e) => e.result.id === id)
      if (!found) throw new Error(`no result for id ${id}`)
      return found.result
    },
    async run(urls, deadlineMs = 15_000) {
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Reject first: cancel() also settles start(), and the race must report the overrun.
          reject(new Error(`the run did not finish within ${deadlineMs} ms`))
          void engine.cancel()
        }, deadlineMs)
      })
      try {
        return await Promise.race([engine.start(urls.map((url, id) => ({ id, url }))), deadline])
      } finally {
        clearTimeout(timer)
      }
    }
  }
  engine.onEvent((event) => {
    events.push(event)
    arrivedAt.push(performance.now())
    onEvent?.(event, rec)
  })
  return rec
}

/** Runs `urls` on a fresh engine (retries off unless overridden) and returns the recorder and summary. */
export async function runUrls(
  urls: readonly string[],
  overrides: Partial<RunConfig> = {},
  deadlineMs?: number
): Promise<{ rec: Recorder; summary: RunSummary }> {
  const rec = recordEngine({ retries: 0, ...overrides })
  const summary = await rec.run(urls, deadlineMs)
  return { rec, summary }
}

/** A spider crawl from `seeds` on a fresh engine (retries off unless overridden), until it ends. */
export async function runSpider(
  seeds: readonly string[],
  overrides: Partial<RunConfig> = {},
  deadlineMs = 15_000
): Promise<Recorder> {
  const rec = recordEngine({ mode: 'spider', retries: 0, ...overrides })
  await rec.run(seeds, deadlineMs)
  return rec
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms)
  })

/** Polls `check` every `intervalMs` until it is true; throws after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 5_000,
  intervalMs = 5
): Promise<void> {
  const until = performance.now() + timeoutMs
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}

export interface TestServer {
  readonly server: Server
  readonly port: number
  /** Open sockets the server holds right now. */
  readonly sockets: Set<Socket>
  /** e.g. url('/x') → http://127.0.0.1:PORT/x; `host` picks another name for the same server. */
  url(path: string, host?: string): string
  close(): Promise<void>
}

/** A node:http server on an ephemeral loopback port. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: '127.0.0.1' | '::1' = '127.0.0.1'
): Promise<TestServer> {
  const server = createServer(handler)
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const defaultHost = host === '::1' ? '[::1]' : host
  return {
    server,
    port,
    sockets,
    url: (path, name = defaultHost) => `http://${name}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        for (const socket of sockets) socket.destroy()
      })
  }
}

/** Counts of process resources by type (timers show up as 'Timeout'). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1)
  return counts
}
