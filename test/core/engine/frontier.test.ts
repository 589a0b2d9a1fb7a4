import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, type RunConfig } from '../../../shared/config.ts'
import type { EngineEvent } from '../../../shared/events.ts'
import { ListFrontier } from '../../../electron/core/crawl/list-frontier.ts'
import type { FrontierPorts, UrlFrontier, UrlTask } from '../../../electron/core/crawl/url-frontier.ts'
import { CrawlEngine } from '../../../electron/core/engine/engine.ts'
import { startServer, type TestServer } from '../../helpers/engine-harness.ts'

/**
 * The engine's side of the frontier seam, on loopback: it pulls a long list a window at a time
 * instead of taking it all in at start, a host further down the list still gets the slots the
 * first host's limit leaves free, and the dashboard's counts include what is still in the frontier.
 */

let server: TestServer
beforeAll(async () => {
  server = await startServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 2)
  })
})
afterAll(async () => {
  await server.close()
})

/** A list frontier that counts what the engine holds: pulled and not finished yet. */
function watchedList(tasks: readonly UrlTask[]) {
  const seen = { held: 0, maxHeld: 0, pulls: 0 }
  const factory = (_ports: FrontierPorts): UrlFrontier => {
    const list = new ListFrontier(tasks)
    return {
      get total() {
        return list.total
      },
      get pending() {
        return list.pending
      },
      settled: true,
      start: () => {
        list.start()
      },
      pull: (max) => {
        const got = list.pull(max)
        seen.pulls += got.length > 0 ? 1 : 0
        seen.held += got.length
        seen.maxHeld = Math.max(seen.maxHeld, seen.held)
        return got
      },
      started: () => undefined,
      linksFrom: () => null,
      finished: () => {
        seen.held -= 1
        return 0
      },
      updateSettings: () => undefined,
      completed: () => undefined,
      cancel: () => undefined
    }
  }
  return { seen, factory }
}

function run(config: Partial<RunConfig>, frontier: (ports: FrontierPorts) => UrlFrontier) {
  const engine = new CrawlEngine({
    runId: 'run-test',
    config: { ...DEFAULT_CONFIG, retries: 0, ...config },
    progressIntervalMs: 10,
    frontier
  })
  const events: EngineEvent[] = []
  engine.onEvent((e) => events.push(e))
  return { engine, events, done: engine.start([]) }
}

const list = (n: number, host = '127.0.0.1'): UrlTask[] =>
  Array.from({ length: n }, (_, id) => ({ id, url: server.url(`/p${id}`, host) }))

describe('the engine pulls from its frontier', () => {
  it('a long list a window at a time: every URL once, in input order, the counts adding up', async () => {
    const concurrency = 50
    const { seen, factory } = watchedList(list(6_000))
    const { events, done } = run({ concurrency, perHostConcurrency: concurrency }, factory)
    const summary = await done
    expect(summary).toMatchObject({ state: 'completed', total: 6_000, done: 6_000, ok: 6_000 })
    const started = events.flatMap((e) => (e.kind === 'request-started' ? [e.id] : []))
    expect(started).toEqual(list(6_000).map((t) => t.id))
    // Never the whole list at once: a window (here 256) and what is in flight.
    expect(seen.maxHeld).toBeLessThanOrEqual(256 + concurrency)
    expect(seen.pulls).toBeGreaterThan(20)
    // While most of the list was still in the frontier, the dashboard counted it as queued.
    const progress = events.flatMap((e) => (e.kind === 'run-progress' ? [e.summary] : []))
    expect(progress.length).toBeGreaterThan(0)
    for (const s of progress) expect(s.queued + s.inFlight + s.done).toBe(6_000)
    expect(Math.max(...progress.map((s) => s.queued))).toBeGreaterThan(1_000)
  })

  it('a host further down the list gets the slots the first host’s limit leaves free', async () => {
    const tasks = [
      ...list(1_000),
      ...Array.from({ length: 10 }, (_, i) => ({ id: 1_000 + i, url: server.url(`/b${i}`, 'localhost') }))
    ]
    const { factory } = watchedList(tasks)
    const { events, done } = run({ concurrency: 10, perHostConcurrency: 4 }, factory)
    await done
    const starts = events.flatMap((e) => (e.kind === 'request-started' ? [e.url] : []))
    const firstB = starts.findIndex((url) => url.includes('localhost'))
    // Beyond the first window, yet it starts as soon as the first host is at its limit of 4.
    expect(starts[firstB]).toBe(server.url('/b0', 'localhost'))
    expect(firstB).toBeLessThanOrEqual(4)
  })

  it('an engine with its own frontier refuses a list at start', () => {
    const { factory } = watchedList([])
    const engine = new CrawlEngine({ runId: 'run-test', config: DEFAULT_CONFIG, frontier: factory })
    expect(() => engine.start([{ id: 0, url: server.url('/x') }])).toThrow(/own frontier/)
  })
})
