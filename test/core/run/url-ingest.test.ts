import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CrawlEngine, LIST_READ_WINDOW, WindowedListFrontier } from '../../../electron/core/engine/engine.ts'
import { INVALID_EXAMPLES, UrlIngest } from '../../../electron/core/run/url-ingest.ts'
import { UrlHashSet } from '../../../electron/core/run/url-hash-set.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'

/**
 * The streamed list's parts on a real SQLite file and a loopback server: the ingest (batches,
 * dedupe across batches, bad lines by number with a bounded list of examples), the hash set, and
 * the windowed frontier the engine pulls from (what it holds stays bounded).
 */

let dir: string
let server: Server
let origin: string
let served = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-ingest-'))
  server = createServer((_req, res) => {
    served++
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

/** Lines in chunks of `size`, as a file is read. */
async function* chunked(lines: readonly string[], size: number): AsyncGenerator<readonly string[]> {
  for (let i = 0; i < lines.length; i += size) {
    await Promise.resolve()
    yield lines.slice(i, i + size)
  }
}

describe('UrlIngest', () => {
  it('hands over batches of new URLs, deduplicated across batches and inputs, with bad lines by number', async () => {
    const lines = ['url', 'http://a.test/1', 'ftp://a.test/x', 'http://a.test/2', '', 'http://a.test/1']
    for (let i = 3; i < 40; i++) lines.push(`http://a.test/${i}`, `http://a.test/${i - 2}`)
    lines.push('http://a.test/1 # again', 'a.test/no-scheme')
    const ingest = new UrlIngest(
      [
        { label: 'file', lines: chunked(lines, 7) },
        { label: 'arguments', lines: [['http://a.test/5', 'http://b.test/']] }
      ],
      { batchSize: 10 }
    )
    const batches: (readonly string[])[] = []
    const stored: string[] = []
    for (let batch = await ingest.next((id) => stored[id] ?? null); batch.length > 0;) {
      batches.push(batch)
      stored.push(...batch)
      batch = await ingest.next((id) => stored[id] ?? null)
    }
    expect(ingest.ended).toBe(true)
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10])
    expect(stored).toEqual([
      ...Array.from({ length: 39 }, (_, i) => `http://a.test/${i + 1}`),
      'http://b.test/'
    ])
    const report = ingest.report()
    expect(report.urls).toBe(40)
    expect(report.invalidCount).toBe(2)
    const [file, args] = report.inputs
    expect(file?.invalid).toEqual([
      { line: 3, text: 'ftp://a.test/x', reason: 'unsupported scheme "ftp:"' },
      { line: lines.length, text: 'a.test/no-scheme', reason: 'missing scheme (http:// or https://)' }
    ])
    // The header row and the blank line are skipped; 39 repeats in the file, one in the arguments.
    expect(file).toMatchObject({ lines: lines.length, skipped: 2, duplicates: 39, urls: 39 })
    expect(args).toMatchObject({ lines: 2, duplicates: 1, urls: 1, invalidCount: 0 })
  })

  it('keeps the first INVALID_EXAMPLES bad lines and counts the rest', async () => {
    const lines = Array.from({ length: INVALID_EXAMPLES + 500 }, (_, i) =>
      i === 700 ? 'http://ok.test/' : `bad ${i}`
    )
    const ingest = new UrlIngest([{ label: 'file', lines: chunked(lines, 64) }])
    expect(await ingest.next()).toEqual(['http://ok.test/'])
    const [file] = ingest.report().inputs
    expect(file?.invalidCount).toBe(INVALID_EXAMPLES + 499)
    expect(file?.invalid).toHaveLength(INVALID_EXAMPLES)
    expect(file?.invalid[0]?.line).toBe(1)
    expect(file?.invalid[700]?.line).toBe(702)
  })

  it('stops at maxUrls, reporting the line that would exceed it', async () => {
    const ingest = new UrlIngest(
      [{ label: 'f', lines: [['http://a.test/1', 'http://a.test/1', 'http://a.test/2', 'http://a.test/3']] }],
      {
        maxUrls: 1
      }
    )
    expect(await ingest.next()).toEqual(['http://a.test/1'])
    const report = ingest.report()
    expect(report.cut).toBe(true)
    expect(report.inputs[0]?.duplicates).toBe(1)
    expect(report.inputs[0]?.invalid).toEqual([
      expect.objectContaining({
        line: 3,
        reason: expect.stringContaining('URL limit of 1 reached') as string
      })
    ])
  })
})

describe('UrlHashSet', () => {
  it('dedupes exactly, growing past its start capacity, and checks a hash match against the stored URL', () => {
    const set = new UrlHashSet(16)
    const urls: string[] = []
    for (let i = 0; i < 50_000; i++) {
      const url = `http://h.test/${i % 30_000}`
      if (set.add(url, urls.length, (id) => urls[id] ?? null)) urls.push(url)
    }
    expect(set.size).toBe(30_000)
    expect(urls).toHaveLength(30_000)
    // A lookup that answers a different URL for the matching id is a collision, not a duplicate.
    const lying = new UrlHashSet(16)
    expect(lying.add('http://x.test/', 0, () => null)).toBe(true)
    expect(lying.add('http://x.test/', 1, () => 'http://other.test/')).toBe(true)
    expect(lying.collisions).toBe(1)
  })
})

describe('WindowedListFrontier', () => {
  let store: RunStore
  const runId = 'run-window'
  const count = 20_000

  beforeAll(() => {
    store = openRunStore(join(dir, 'window.db'))
    store.createRun({
      id: runId,
      name: 'window',
      config: DEFAULT_CONFIG,
      urls: Array.from({ length: count }, (_, i) => `${origin}/w/${i}`),
      createdAt: Date.now(),
      owner: null,
      flags: {}
    })
  })

  afterAll(() => {
    store.close()
  })

  it('feeds the engine every stored URL once while holding at most a window of them', async () => {
    const frontier = new WindowedListFrontier({
      total: count - 5_000,
      settled: false,
      source: { next: (afterId, limit) => store.runUrlWindow(runId, afterId, limit, false) }
    })
    const engine = new CrawlEngine({
      runId,
      config: { ...DEFAULT_CONFIG, concurrency: 100, perHostConcurrency: 100, retries: 0 },
      frontier: frontier.factory
    })
    const ids = new Set<number>()
    let maxHeld = 0
    let maxQueued = 0
    engine.onEvent((event) => {
      if (event.kind !== 'request-started') return
      maxHeld = Math.max(maxHeld, frontier.held)
      maxQueued = Math.max(maxQueued, engine.queuedNow() - frontier.pending)
    })
    engine.onEvent((event) => {
      if (event.kind === 'request-finished') ids.add(event.result.id)
    })
    served = 0
    const finished = engine.start([])
    // The last 5,000 "arrive" later, as a streamed input's next batch does.
    await new Promise((r) => setTimeout(r, 200))
    expect(engine.state).toBe('running')
    frontier.grow(5_000)
    frontier.end()
    const summary = await Promise.race([
      finished,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          reject(new Error('run did not finish in 60 s'))
        }, 60_000)
      )
    ])
    expect(summary.state).toBe('completed')
    expect(summary.total).toBe(count)
    expect(ids.size).toBe(count)
    expect(served).toBe(count)
    expect(maxHeld).toBeGreaterThan(0)
    expect(maxHeld).toBeLessThanOrEqual(LIST_READ_WINDOW)
    // What the engine queues on hosts is its pull window (twice the concurrency, at least 256).
    expect(maxQueued).toBeLessThanOrEqual(Math.max(256, 200) + LIST_READ_WINDOW)
  }, 90_000)

  it('does not complete while its input is still being read', () => {
    const frontier = new WindowedListFrontier({ total: 0, settled: false, source: { next: () => [] } })
    expect(frontier.pull(10)).toEqual([])
    expect(frontier.settled).toBe(false)
    frontier.end()
    expect(frontier.settled).toBe(true)
  })
})
