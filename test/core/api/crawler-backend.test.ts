import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, type EventBatch, type RunSnapshot } from '../../../shared/api.ts'
import type { RunConfigInput } from '../../../shared/config.ts'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import type { CrawlerBackend } from '../../../electron/core/api/backend.ts'
import { createCrawlerBackend } from '../../../electron/core/api/crawler-backend.ts'

/** Short timeouts and quick retries: a run of a few hundred loopback URLs takes about a second. */
const FAST: RunConfigInput = {
  concurrency: 16,
  perHostConcurrency: 16,
  headersTimeoutMs: 300,
  retries: 1,
  backoffBaseMs: 5,
  backoffMaxMs: 20
}

let demo: DemoTarget
let dataDir: string
let backend: CrawlerBackend
let batches: EventBatch[]
let unsubscribe: () => void

beforeAll(async () => {
  demo = await startDemoTarget()
})
afterAll(async () => {
  await demo.close()
})
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crawlboard-backend-'))
  backend = createCrawlerBackend({ dataDir, version: '9.9.9', platform: 'test-os', transport: 'browser' })
  batches = []
  unsubscribe = backend.subscribe((b) => batches.push(b))
})
afterEach(async () => {
  unsubscribe()
  await backend.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** A mix with every outcome the tables and failure groups care about; `tag` keeps URLs unique per run. */
function mixedUrls(tag: string, okCount = 200): string[] {
  const u = (path: string, i: number) => demo.url(`${path}${path.includes('?') ? '&' : '?'}t=${tag}-${i}`)
  return [
    ...Array.from({ length: okCount }, (_, i) => u(`/latency?dist=lognormal&median=4&p99=40&seed=${i}`, i)),
    ...Array.from({ length: 20 }, (_, i) => u('/status/404?delay=1', i)),
    ...Array.from({ length: 8 }, (_, i) => u('/status/503?delay=1', i)),
    ...Array.from({ length: 8 }, (_, i) => u(`/flaky/${tag}-${i}?failures=1&status=503`, i)),
    ...Array.from({ length: 4 }, (_, i) => u('/reset', i)),
    ...Array.from({ length: 4 }, (_, i) => u('/stall-headers?ms=20000', i)),
    ...Array.from({ length: 6 }, (_, i) => u('/redirect/2', i))
  ]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== null && value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

const finishedBatch = (runId: string) => () =>
  batches.find((b) => b.runId === runId && (b.status.kind === 'completed' || b.status.kind === 'cancelled'))

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

/** Every result id in the snapshot's recent list plus the batches after it: what a client ends with. */
function reconstruct(snapshot: RunSnapshot, received: readonly EventBatch[]) {
  const later = received.filter((b) => b.runId === snapshot.runId && b.toSeq > snapshot.seq)
  const ids = [...snapshot.recent.id, ...later.flatMap((b) => b.results.id)]
  const ok = snapshot.summary.ok + later.reduce((n, b) => n + b.results.ok.filter((x) => x === 1).length, 0)
  const seriesDone = snapshot.series.buckets.reduce((n, b) => n + (b ? b.ok + b.failed : 0), 0)
  const done = seriesDone + later.reduce((n, b) => n + b.results.id.length, 0)
  return { later, ids, ok, done, histogramDone: snapshot.histogram.count + (done - seriesDone) }
}

describe('a run through the backend', () => {
  it('streams batched events and serves snapshots that add up exactly at any moment', async () => {
    const urls = mixedUrls('snap')
    const started = await backend.startRun({ urlsText: urls.join('\n'), config: FAST, name: 'Snapshot run' })
    expect(started).toMatchObject({ total: urls.length, invalid: [], duplicates: 0 })
    const { runId } = started

    // Snapshots at random moments, and clients that (re)connect mid-run: subscribe, then snapshot.
    const snapshots: RunSnapshot[] = []
    const clients: { got: EventBatch[]; snapshot: Promise<RunSnapshot | null>; stop: () => void }[] = []
    let rand = 12_345
    while (!finishedBatch(runId)()) {
      rand = (rand * 1_103_515_245 + 12_345) % 2 ** 31
      await sleep(rand % 37)
      const snap = await backend.getSnapshot(runId)
      if (snap) snapshots.push(snap)
      if (clients.length < 8 && rand % 3 === 0) {
        const got: EventBatch[] = []
        const stop = backend.subscribe((b) => got.push(b))
        clients.push({ got, snapshot: backend.getSnapshot(), stop })
      }
    }
    const final = await backend.getSnapshot(runId)
    if (!final) throw new Error('no final snapshot')
    expect(final.status).toEqual({ kind: 'completed' })
    expect(final.summary).toMatchObject({ state: 'completed', total: urls.length, done: urls.length })
    expect(snapshots.length).toBeGreaterThan(5)
    expect(clients.length).toBeGreaterThan(0)

    const all = batches.filter((b) => b.runId === runId)
    // Contiguous seq ranges from 1, and far fewer messages than requests.
    expect(all[0]?.fromSeq).toBe(1)
    for (let i = 1; i < all.length; i++) expect(all[i]?.fromSeq).toBe((all[i - 1]?.toSeq ?? 0) + 1)
    expect(all.at(-1)?.toSeq).toBe(final.seq)
    expect(all.length).toBeLessThan(urls.length / 2)
    const everyId = Array.from({ length: urls.length }, (_, i) => i)
    expect(all.flatMap((b) => b.results.id).sort((a, b) => a - b)).toEqual(everyId)
    expect(all.reduce((n, b) => n + b.retries, 0)).toBe(final.summary.retries)

    for (const snap of [...snapshots, final]) {
      // A snapshot sits exactly on a batch boundary: no batch straddles its seq.
      expect(all.some((b) => b.fromSeq <= snap.seq && b.toSeq > snap.seq)).toBe(false)
      expect(snap.summary.done).toBe(snap.histogram.count)
      expect(snap.recent.id).toHaveLength(snap.summary.done)
      const r = reconstruct(snap, all)
      expect(r.ids.sort((a, b) => a - b)).toEqual(everyId)
      expect(r.done).toBe(final.summary.done)
      expect(r.histogramDone).toBe(final.summary.done)
      expect(r.ok).toBe(final.summary.ok)
    }
    for (const client of clients) {
      client.stop()
      const snap = await client.snapshot
      if (!snap) throw new Error('no snapshot for a client')
      const r = reconstruct(snap, client.got)
      // The first batch it keeps continues right after its snapshot: nothing missed in between.
      if (r.later.length > 0) expect(r.later[0]?.fromSeq).toBe(snap.seq + 1)
      expect(r.ids.sort((a, b) => a - b)).toEqual(everyId)
      expect(r.ok).toBe(final.summary.ok)
    }

    // Aggregates of the finished run.
    expect(final.name).toBe('Snapshot run')
    expect(final.histogram.count).toBe(urls.length)
    expect(final.inFlight).toMatchObject({ inFlight: 0, limit: 16 })
    expect(final.summary.byStatus['404']).toBe(20)
    const runs = await backend.listRuns()
    expect(runs.map((r) => [r.runId, r.status.kind, r.total])).toEqual([[runId, 'completed', urls.length]])
  })

  it('answers table queries, facets, single results and failure groups for the run', async () => {
    const urls = mixedUrls('tables', 60)
    const { runId } = await backend.startRun({ urlsText: urls.join('\n'), config: FAST })
    await until('the run to finish', finishedBatch(runId))

    const failed = await backend.queryResults({
      runId,
      offset: 0,
      limit: 100,
      outcome: 'failed',
      sort: { column: 'errorCode', direction: 'asc' }
    })
    expect(failed.total).toBe(20 + 8 + 4 + 4)
    expect(failed.rows.map((r) => r.errorCode)).toEqual([
      ...Array<string>(28).fill('HTTP_STATUS'),
      ...Array<string>(4).fill('RESET'),
      ...Array<string>(4).fill('TIMEOUT_HEADERS')
    ])
    const notFound = await backend.queryResults({
      runId,
      offset: 0,
      limit: 5,
      statuses: [404],
      search: 'STATUS/404'
    })
    expect(notFound.total).toBe(20)
    expect(notFound.rows).toHaveLength(5)
    const redirected = await backend.queryResults({ runId, offset: 0, limit: 10, search: '/redirect/' })
    expect(redirected.total).toBe(6)
    expect(redirected.rows.every((r) => r.ok && r.status === 200)).toBe(true)

    const facets = await backend.getResultFacets(runId)
    expect(facets.hosts).toEqual([{ value: `127.0.0.1:${demo.port}`, count: urls.length }])
    expect(facets.statuses.find((s) => s.value === 404)?.count).toBe(20)
    expect(facets.errorCodes.map((e) => e.value).sort()).toEqual(['HTTP_STATUS', 'RESET', 'TIMEOUT_HEADERS'])

    const redirect = redirected.rows[0] ? await backend.getResult(runId, redirected.rows[0].id) : null
    expect(redirect?.redirects).toHaveLength(2)
    expect(await backend.getResult(runId, 99_999)).toBeNull()

    const groups = await backend.getFailureGroups(runId)
    expect(groups.map((g) => [g.code, g.count])).toEqual([
      ['HTTP_STATUS', 28],
      ['RESET', 4],
      ['TIMEOUT_HEADERS', 4]
    ])
    expect(groups[0]?.sampleUrls).toHaveLength(3)
    expect(groups[0]?.suggestion).toContain('404 ×20, 503 ×8')
    expect(groups[2]?.suggestion).toContain('raise Headers timeout (now 300 ms)')
  })

  it('pauses, resumes, changes settings live and stops; one active run at a time', async () => {
    const urls = Array.from({ length: 40 }, (_, i) => demo.url(`/stall-headers?ms=20000&t=ctl-${i}`))
    const { runId } = await backend.startRun({
      urlsText: urls.join('\n'),
      config: { ...FAST, concurrency: 4, headersTimeoutMs: 30_000 }
    })
    const conflict = await refusal(backend.startRun({ urlsText: demo.url('/'), config: {} }))
    expect(conflict).toMatchObject({
      code: 'CONFLICT',
      message: `Run ${runId} is still running: stop it first.`
    })

    await backend.pauseRun(runId)
    expect(batches.at(-1)?.status).toEqual({ kind: 'paused' })
    expect((await refusal(backend.startRun({ urlsText: demo.url('/'), config: {} }))).message).toBe(
      `Run ${runId} is still paused: stop it first.`
    )
    await backend.resumeRun(runId)
    expect(batches.at(-1)?.status).toEqual({ kind: 'running' })

    const settings = await backend.updateSettings(runId, { concurrency: 8 })
    expect(settings.concurrency).toBe(8)
    expect(batches.at(-1)?.marks).toEqual([expect.objectContaining({ changed: { concurrency: 8 } })])
    const snap = await backend.getSnapshot(runId)
    expect(snap?.settings.concurrency).toBe(8)
    expect(snap?.marks).toHaveLength(1)
    await until('8 in flight', () => (batches.at(-1)?.inFlight.inFlight === 8 ? true : null))
    expect(batches.at(-1)?.inFlight.limit).toBe(8)
    const badBackoff = await refusal(backend.updateSettings(runId, { backoffBaseMs: 50_000 }))
    expect(badBackoff.code).toBe('BAD_REQUEST')
    expect(badBackoff.message).toMatch(/^backoffMaxMs: must be at least backoffBaseMs/)

    await backend.stopRun(runId)
    expect(batches.at(-1)).toMatchObject({ status: { kind: 'cancelled' }, runId })
    expect((await backend.getSnapshot(runId))?.summary.state).toBe('cancelled')
    for (const attempt of [
      backend.pauseRun(runId),
      backend.resumeRun(runId),
      backend.stopRun(runId),
      backend.updateSettings(runId, { concurrency: 2 })
    ]) {
      const e = await refusal(attempt)
      expect(e.code).toBe('CONFLICT')
      expect(e.message).toContain('has already been stopped')
    }
    // The slot is free again.
    const next = await backend.startRun({ urlsText: demo.url('/healthz'), config: FAST })
    await until('the second run', finishedBatch(next.runId))
    expect((await backend.listRuns()).map((r) => r.runId)).toEqual([next.runId, runId])
    expect((await backend.getSnapshot())?.runId).toBe(next.runId)
  })

  it('refuses bad settings and URL lists with reasons a person can act on', async () => {
    const badConfig = await refusal(
      // Raw, as a transport would pass it: the config argument is validated by the backend.
      backend.startRun({
        urlsText: demo.url('/'),
        config: { concurrency: 0, retries: 'three', bogus: 1 } as unknown as RunConfigInput
      })
    )
    expect(badConfig.code).toBe('BAD_REQUEST')
    expect(badConfig.message.split('\n')).toEqual([
      'Invalid run settings:',
      'concurrency: Too small: expected number to be >=1',
      'retries: Invalid input: expected number, received string',
      'Unrecognized key: "bogus"'
    ])
    const noUrls = await refusal(
      backend.startRun({ urlsText: '# list\nftp://x.test/\nexample.com/page\n\nhttp://', config: {} })
    )
    expect(noUrls).toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'No valid URLs to fetch. line 2: unsupported scheme "ftp:"; line 3: missing scheme (http:// or https://); line 5: missing host.'
    })
    expect((await refusal(backend.startRun({ urlsText: '\n\n', config: {} }))).message).toMatch(
      /^No URLs to fetch/
    )

    const started = await backend.startRun({
      urlsText: `${demo.url('/healthz')}\nnot a url\n${demo.url('/healthz')}`,
      config: FAST
    })
    expect(started.total).toBe(1)
    expect(started.duplicates).toBe(1)
    expect(started.invalid).toEqual([expect.objectContaining({ line: 2 })])
    await until('the run', finishedBatch(started.runId))
    expect((await backend.listRuns())[0]?.name).toBe(`127.0.0.1:${demo.port} · 1 URL`)
  })

  it('refuses unknown runs with NOT_FOUND', async () => {
    for (const attempt of [
      backend.pauseRun('nope'),
      backend.resumeRun('nope'),
      backend.stopRun('nope'),
      backend.updateSettings('nope', {}),
      backend.getSnapshot('nope'),
      backend.queryResults({ runId: 'nope', offset: 0, limit: 1 }),
      backend.getResultFacets('nope'),
      backend.getResult('nope', 0),
      backend.getFailureGroups('nope')
    ]) {
      expect((await refusal(attempt)).code).toBe('NOT_FOUND')
    }
    expect(await backend.getSnapshot()).toBeNull()
    expect(await backend.listRuns()).toEqual([])
  })
})

describe('the rest of the backend', () => {
  it('reports app info', async () => {
    expect(await backend.getAppInfo()).toEqual({
      version: '9.9.9',
      transport: 'browser',
      platform: 'test-os'
    })
  })

  it('starts the demo target once and closes it with the backend', async () => {
    const first = await backend.startDemoTarget()
    const second = await backend.startDemoTarget()
    expect(second.origin).toBe(first.origin)
    expect(first.urlsText.split('\n')).toHaveLength(500)
    // The workshop list spreads over the demo's three hosts (ports).
    const origins = new Set(first.urlsText.split('\n').map((u) => new URL(u).origin))
    expect(origins.size).toBe(3)
    expect(origins.has(first.origin)).toBe(true)
    expect((await fetch(`${first.origin}/healthz`)).status).toBe(200)
    await backend.close()
    await expect(fetch(`${first.origin}/healthz`)).rejects.toThrow()
  })

  it('persists preferences in the data directory', async () => {
    const prefs = await backend.getPreferences()
    expect(prefs.theme).toBe('system')
    await backend.savePreferences({ ...prefs, theme: 'dark', demoOffered: true })
    const reopened = createCrawlerBackend({ dataDir, version: '1' })
    expect(await reopened.getPreferences()).toMatchObject({ theme: 'dark', demoOffered: true })
    await reopened.close()
  })

  it('interrupts a running run on close (resumable, saying why), sends its last batch, then refuses new work', async () => {
    const urls = Array.from({ length: 10 }, (_, i) => demo.url(`/stall-headers?ms=20000&t=close-${i}`))
    const { runId } = await backend.startRun({
      urlsText: urls.join('\n'),
      config: { headersTimeoutMs: 30_000 }
    })
    await until('requests in flight', () => (batches.some((b) => b.inFlight.inFlight > 0) ? true : null))
    const t0 = Date.now()
    await backend.close()
    expect(Date.now() - t0).toBeLessThan(2_000)
    expect(batches.at(-1)).toMatchObject({
      runId,
      status: { kind: 'interrupted', reason: 'the app quit while it was going' }
    })
    const e = await refusal(backend.startRun({ urlsText: demo.url('/'), config: {} }))
    expect(e).toMatchObject({ code: 'CONFLICT', message: 'Crawlboard is shutting down.' })
  })
})
