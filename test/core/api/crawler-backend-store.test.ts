import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, type EventBatch, type RunInfo } from '../../../shared/api.ts'
import type { RunConfigInput } from '../../../shared/config.ts'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import type { CrawlerBackend } from '../../../electron/core/api/backend.ts'
import { createCrawlerBackend, type DownloadSource } from '../../../electron/core/api/crawler-backend.ts'
import { openRunStore } from '../../../electron/core/store/index.ts'

/**
 * The app's backend on the run database: runs outlive the process that made them, an interrupted
 * run resumes without fetching anything twice, a pause survives a restart, and an unusable
 * database file is left alone until the user asks for a fresh one.
 */

const FAST: RunConfigInput = {
  concurrency: 8,
  perHostConcurrency: 8,
  headersTimeoutMs: 2_000,
  retries: 0
}

let demo: DemoTarget
let dataDir: string
let backend: CrawlerBackend & DownloadSource
let batches: EventBatch[]

beforeAll(async () => {
  demo = await startDemoTarget()
})
afterAll(async () => {
  await demo.close()
})
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-store-backend-'))
  backend = open()
})
afterEach(async () => {
  await backend.close()
  await rm(dataDir, { recursive: true, force: true })
})

function open(): CrawlerBackend & DownloadSource {
  batches = []
  const b = createCrawlerBackend({ dataDir, version: '9.9.9', transport: 'browser', log: () => undefined })
  b.subscribe((batch) => batches.push(batch))
  return b
}

/** Closes the backend (as quitting the app does) and opens a new one on the same data folder. */
async function restart(): Promise<void> {
  await backend.close()
  backend = open()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(
  what: string,
  probe: () => T | null | undefined | Promise<T | null | undefined>,
  timeoutMs = 15_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== null && value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

const urls = (tag: string, n: number, path = '/latency?dist=fixed&median=2') =>
  Array.from({ length: n }, (_, i) => demo.url(`${path}&t=${tag}-${i}`))

async function finished(runId: string): Promise<RunInfo> {
  return until(`run ${runId} to finish`, async () => {
    const info = (await backend.listRuns()).find((r) => r.runId === runId)
    return info && (info.status.kind === 'completed' || info.status.kind === 'cancelled') ? info : null
  })
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected the call to be refused')
}

/** Every result id of the run, in id order, paged the way the table pages. */
async function allIds(runId: string): Promise<number[]> {
  const ids: number[] = []
  for (let offset = 0; offset < 100_000; offset += 1_000) {
    const page = await backend.queryResults({ runId, offset, limit: 1_000 })
    ids.push(...page.rows.map((r) => r.id))
    if (offset + page.rows.length >= page.total) break
  }
  return ids
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('runs outlive the backend', () => {
  it('reopens a finished run from the database with the same dashboard, tables and details', async () => {
    const list = [...urls('a', 40), demo.url('/status/404?t=a'), demo.url('/status/500?t=a')]
    const { runId } = await backend.startRun({ urlsText: list.join('\n'), config: FAST, name: 'Shop crawl' })
    const done = await finished(runId)
    const live = await backend.getSnapshot(runId)
    await restart()

    const runs = await backend.listRuns()
    const info = runs.find((r) => r.runId === runId)
    expect(info).toMatchObject({ name: 'Shop crawl', status: { kind: 'completed' }, total: 42 })
    expect(info?.summary).toMatchObject({ done: 42, ok: 40, failed: 2 })
    expect(info?.summary.latency.p95).toBe(done.summary.latency.p95)

    const snap = await backend.getSnapshot(runId)
    expect(snap?.summary).toMatchObject({
      done: 42,
      ok: 40,
      failed: 2,
      byStatus: { '200': 40, '404': 1, '500': 1 }
    })
    expect(snap?.histogram).toEqual(live?.histogram)
    expect(snap?.series.buckets.length).toBeGreaterThan(0)
    expect(snap?.recent.id.length).toBe(42)

    const failed = await backend.queryResults({ runId, offset: 0, limit: 10, outcome: 'failed' })
    expect(failed.total).toBe(2)
    expect(failed.rows.map((r) => r.status).sort()).toEqual([404, 500])
    const detail = await backend.getResult(runId, failed.rows[0]?.id ?? -1)
    expect(detail?.attempts.length).toBe(1)
    expect((await backend.getResultFacets(runId)).statuses.map((s) => s.value).sort()).toEqual([
      200, 404, 500
    ])
    expect((await backend.getFailureGroups(runId)).map((g) => [g.code, g.count])).toEqual([
      ['HTTP_STATUS', 2]
    ])
    // Without a run id, the newest run opens (what the app shows at start).
    expect((await backend.getSnapshot())?.runId).toBe(runId)
  })

  it('renames, annotates, re-runs and deletes stored runs', async () => {
    const { runId } = await backend.startRun({ urlsText: urls('b', 12).join('\n'), config: FAST })
    await finished(runId)
    await restart()

    expect((await backend.renameRun(runId, '  Before the release  ')).name).toBe('Before the release')
    expect((await backend.setRunNote(runId, 'Staging, VPN on')).note).toBe('Staging, VPN on')
    expect((await refusal(backend.renameRun(runId, '   '))).code).toBe('BAD_REQUEST')
    expect((await refusal(backend.renameRun('run-nope', 'x'))).message).toContain('run-nope')

    const again = await backend.rerun(runId)
    expect(again.total).toBe(12)
    const rerun = await finished(again.runId)
    expect(rerun.name).toBe('Before the release (re-run)')
    expect(rerun.summary.ok).toBe(12)
    const snap = await backend.getSnapshot(again.runId)
    expect(snap?.config.concurrency).toBe(8)

    await restart()
    const names = (await backend.listRuns()).map((r) => [r.name, r.note])
    expect(names).toEqual([
      ['Before the release (re-run)', ''],
      ['Before the release', 'Staging, VPN on']
    ])
    await backend.deleteRun(runId)
    expect((await backend.listRuns()).map((r) => r.runId)).toEqual([again.runId])
    expect((await refusal(backend.getSnapshot(runId))).code).toBe('NOT_FOUND')
    expect((await refusal(backend.deleteRun(runId))).code).toBe('NOT_FOUND')
  })

  it('refuses to delete a run while it goes', async () => {
    const slow = urls('c', 30, '/latency?dist=fixed&median=300')
    const { runId } = await backend.startRun({
      urlsText: slow.join('\n'),
      config: { ...FAST, concurrency: 2 }
    })
    const error = await refusal(backend.deleteRun(runId))
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toMatch(/stop it/)
    await backend.stopRun(runId)
  })
})

describe('interrupted runs', () => {
  it('shows a run cut off by quitting as interrupted and resumes it without fetching anything twice', async () => {
    const list = urls('d', 60, '/latency?dist=fixed&median=40')
    const { runId } = await backend.startRun({
      urlsText: list.join('\n'),
      config: { ...FAST, concurrency: 4 }
    })
    await until('some results', () => batches.some((b) => b.summary.done >= 10))
    await restart()

    const info = (await backend.listRuns()).find((r) => r.runId === runId)
    expect(info?.status).toEqual({ kind: 'interrupted', reason: 'the app quit while it was going' })
    const before = info?.summary.done ?? 0
    expect(before).toBeGreaterThanOrEqual(10)
    expect(before).toBeLessThan(60)
    const snap = await backend.getSnapshot(runId)
    expect(snap?.status.kind).toBe('interrupted')
    expect(snap?.summary.inFlight).toBe(0)
    // Not going, so it cannot be paused; it can be resumed.
    expect((await refusal(backend.pauseRun(runId))).message).toMatch(/resume it/)

    await backend.resumeRun(runId)
    const resumed = await finished(runId)
    expect(resumed.status).toEqual({ kind: 'completed' })
    expect(resumed.summary).toMatchObject({ total: 60, done: 60, ok: 60 })
    const ids = await allIds(runId)
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => i))
    // The first batch of the resumed session carries the counts on from where they were.
    const first = batches.find((b) => b.runId === runId)
    expect(first?.summary.done).toBeGreaterThanOrEqual(before)

    await backend.close()
    const store = openRunStore(join(dataDir, 'crawlboard.db'))
    try {
      expect(store.integrityCheck()).toBe('ok')
      expect(store.summaryFromRows(runId)).toMatchObject({ done: 60, ok: 60, failed: 0 })
      expect(store.getRun(runId)?.summary).toMatchObject({ done: 60, ok: 60 })
    } finally {
      store.close()
      backend = open()
    }
  })

  it('keeps a pause across a restart, then resumes', async () => {
    const list = urls('e', 40, '/latency?dist=fixed&median=30')
    const { runId } = await backend.startRun({
      urlsText: list.join('\n'),
      config: { ...FAST, concurrency: 2 }
    })
    await until('some results', () => batches.some((b) => b.summary.done >= 4))
    await backend.pauseRun(runId)
    await until('the pause', () => batches.some((b) => b.status.kind === 'paused'))
    await restart()

    const info = (await backend.listRuns()).find((r) => r.runId === runId)
    expect(info?.status).toEqual({ kind: 'suspended' })
    await backend.resumeRun(runId)
    expect((await finished(runId)).summary).toMatchObject({ done: 40, ok: 40 })
    expect(await allIds(runId)).toHaveLength(40)
  })

  it('marks an interrupted run stopped, keeping its results', async () => {
    const { runId } = await backend.startRun({
      urlsText: urls('f', 40, '/latency?dist=fixed&median=50').join('\n'),
      config: { ...FAST, concurrency: 2 }
    })
    await until('some results', () => batches.some((b) => b.summary.done >= 2))
    await restart()
    const done = (await backend.listRuns()).find((r) => r.runId === runId)?.summary.done ?? 0
    await backend.stopRun(runId)
    const info = (await backend.listRuns()).find((r) => r.runId === runId)
    expect(info?.status).toEqual({ kind: 'cancelled' })
    expect(info?.summary.done).toBe(done)
    expect((await refusal(backend.resumeRun(runId))).message).toMatch(/been stopped/)
  })

  it('leaves alone a run another live process is fetching', async () => {
    const { runId } = await backend.startRun({ urlsText: urls('g', 3).join('\n'), config: FAST })
    await finished(runId)
    await backend.close()
    // Pretend a headless runner (a live process that is not us) drives it.
    const other: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
    const pid = other.pid ?? 0
    try {
      const store = openRunStore(join(dataDir, 'crawlboard.db'))
      store.updateRun(runId, { state: 'running', finishedAt: null })
      const claim = { pid, host: null, token: 'claim-of-the-other-process', startedAt: null }
      expect(store.claimRun(runId, claim, null)).toBe(true)
      store.close()
      backend = open()
      const info = (await backend.listRuns()).find((r) => r.runId === runId)
      expect(info?.status).toEqual({ kind: 'elsewhere', pid, host: null })
      expect((await refusal(backend.resumeRun(runId))).message).toMatch(
        new RegExp(`another Crawlboard process right now \\(process ${pid}\\)`)
      )
      expect((await refusal(backend.deleteRun(runId))).message).toMatch(/another Crawlboard process/)
    } finally {
      other.kill()
    }
    // Once that process is gone, the run is interrupted and resumable.
    await until('the other process to exit', () => other.exitCode !== null || other.signalCode !== null)
    const info = (await backend.listRuns()).find((r) => r.runId === runId)
    expect(info?.status).toEqual({
      kind: 'interrupted',
      reason: `the process driving it (pid ${pid}) ended before it finished`
    })
  })
})

describe('an unusable database', () => {
  it('is left untouched, runs stay in memory, and a fresh database keeps the old file', async () => {
    await backend.close()
    const path = join(dataDir, 'crawlboard.db')
    writeFileSync(path, randomBytes(64 * 1024))
    const hash = sha256(path)
    backend = open()

    const status = await backend.getStoreStatus()
    expect(status).toMatchObject({ kind: 'unavailable', path, code: 'CORRUPT', canStartFresh: true })
    if (status.kind === 'unavailable') expect(status.message).toMatch(/damaged/)
    // A run still works, in memory: its tables page, filter and export with the same SQL.
    const { runId } = await backend.startRun({ urlsText: urls('h', 5).join('\n'), config: FAST })
    expect((await finished(runId)).summary.ok).toBe(5)
    const failedOnly = await backend.queryResults({ runId, offset: 0, limit: 10, outcome: 'failed' })
    expect(failedOnly.total).toBe(0)
    const page = await backend.queryResults({
      runId,
      offset: 0,
      limit: 10,
      sort: { column: 'id', direction: 'desc' }
    })
    expect(page.rows.map((r) => r.id)).toEqual([4, 3, 2, 1, 0])
    const exported = await backend.exportRun({ kind: 'run', runId, format: 'csv' })
    expect(exported.kind).toBe('download')
    if (exported.kind === 'download') {
      const download = backend.takeDownload(exported.url.split('/').at(-1) ?? '')
      const chunks: Buffer[] = []
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk)
          done()
        }
      })
      await download?.write(sink)
      // A header line and one line per result.
      expect(Buffer.concat(chunks).toString('utf8').trim().split('\n')).toHaveLength(6)
    }
    expect(sha256(path)).toBe(hash)

    const fresh = await backend.startFreshStore()
    expect(fresh.kind).toBe('replaced')
    if (fresh.kind !== 'replaced') return
    expect(sha256(fresh.keptAs)).toBe(hash)
    expect(existsSync(path)).toBe(true)
    const next = await backend.startRun({ urlsText: urls('i', 5).join('\n'), config: FAST })
    await finished(next.runId)
    await restart()
    expect((await backend.getStoreStatus()).kind).toBe('ok')
    expect((await backend.listRuns()).map((r) => r.runId)).toEqual([next.runId])
  })
})

describe('exports from the desktop app', () => {
  it('writes to the path the save dialog chose, and does nothing when it was cancelled', async () => {
    const { runId } = await backend.startRun({
      urlsText: urls('j', 6).join('\n'),
      config: FAST,
      name: 'Report run'
    })
    await finished(runId)
    await backend.close()
    const asked: string[] = []
    let answer: string | null = join(dataDir, 'chosen.html')
    backend = createCrawlerBackend({
      dataDir,
      version: '9.9.9',
      log: () => undefined,
      chooseSavePath: (name) => {
        asked.push(name)
        return Promise.resolve(answer)
      }
    })
    const saved = await backend.exportRun({ kind: 'run', runId, format: 'html' })
    expect(saved).toMatchObject({ kind: 'saved', path: join(dataDir, 'chosen.html') })
    expect(asked[0]).toMatch(/^crawlboard-report-run-\d{4}-\d{2}-\d{2}\.html$/)
    const html = readFileSync(join(dataDir, 'chosen.html'), 'utf8')
    expect(html).toContain('Report run')
    if (saved.kind === 'saved') expect(saved.bytes).toBe(Buffer.byteLength(html))

    answer = null
    expect(await backend.exportRun({ kind: 'run', runId, format: 'csv' })).toEqual({ kind: 'cancelled' })
    expect((await refusal(backend.exportRun({ kind: 'run', runId: 'run-gone', format: 'csv' }))).code).toBe(
      'NOT_FOUND'
    )
  })
})
