import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { Ingest } from '../../../renderer/src/stores/ingest.ts'
import { getRunData, markLabel, setRunData } from '../../../renderer/src/stores/run-data.ts'
import { initialRunState, useRunStore } from '../../../renderer/src/stores/run-store.ts'
import { FakeIngestHost, INTERRUPTED } from './fake-ingest-host.ts'

/**
 * Snapshot, then stream: the renderer seeds its stores from a snapshot and applies each later
 * batch once, across reloads, gaps, other runs' batches and interrupted runs.
 */

/** What the renderer counted: every result recorded once means these equal the host's totals. */
function counted(): { histogram: number; buckets: number } {
  const data = getRunData()
  if (!data) return { histogram: 0, buckets: 0 }
  const series = data.buckets.series({ maxPoints: 100_000 })
  const buckets = series.reduce((sum, p) => sum + (p.ok + p.failed) * p.spanS, 0)
  return { histogram: data.histogram.count, buckets: Math.round(buckets) }
}

describe('ingest: snapshot, then stream', () => {
  let api: FakeIngestHost
  let ingest: Ingest

  beforeEach(() => {
    useRunStore.setState(initialRunState)
    setRunData(null)
    api = new FakeIngestHost()
    ingest = new Ingest(api)
  })
  afterEach(() => {
    ingest.dispose()
  })

  test('seeds from the snapshot and applies later batches once each', async () => {
    const run = api.run('r1')
    run.batch(40)
    run.batch(30)
    await ingest.open()
    expect(useRunStore.getState()).toMatchObject({ phase: 'ready', runId: 'r1', lastSeq: run.seq })
    expect(counted()).toEqual({ histogram: 70, buckets: 70 })

    const b3 = run.batch(25)
    api.deliver(b3)
    api.deliver(b3) // delivered twice: applied once
    const b4 = run.batch(5)
    api.deliver(b4)
    expect(counted()).toEqual({ histogram: 100, buckets: 100 })
    expect(useRunStore.getState().summary?.done).toBe(100)
    expect(useRunStore.getState().lastSeq).toBe(run.seq)
    expect(ingest.counters).toMatchObject({ applied: 2, dropped: 1, gaps: 0, snapshots: 1 })
  })

  test('buffers batches while the snapshot loads; drops those it contains', async () => {
    const run = api.run('r1')
    run.batch(10)
    api.hold = true
    const opening = ingest.open('r1')
    // Emitted after subscribing, before the snapshot is cut: buffered, then dropped as contained.
    const early = run.batch(10)
    api.deliver(early)
    api.release() // cuts the snapshot now; the answer arrives a tick later
    // Emitted after the cut, before the answer: buffered, then applied.
    const late = run.batch(15)
    api.deliver(late)
    expect(counted().histogram).toBe(0)
    await opening
    expect(counted()).toEqual({ histogram: 35, buckets: 35 })
    expect(useRunStore.getState().summary?.done).toBe(35)
    expect(ingest.counters).toMatchObject({ applied: 1, dropped: 1, gaps: 0 })
  })

  test('a seq gap resyncs from a fresh snapshot without double counting', async () => {
    const run = api.run('r1')
    await ingest.open()
    api.deliver(run.batch(10))
    run.batch(10) // lost on the way
    api.deliver(run.batch(10)) // gap: fromSeq > lastSeq + 1
    await ingest.settled()
    expect(ingest.counters.gaps).toBe(1)
    expect(api.snapshotCalls).toBe(2)
    expect(counted()).toEqual({ histogram: 30, buckets: 30 })
    api.deliver(run.batch(5))
    expect(counted().histogram).toBe(35)
    expect(useRunStore.getState().lastSeq).toBe(run.seq)
  })

  test("ignores other runs' batches", async () => {
    const mine = api.run('mine')
    await ingest.open('mine')
    const other = api.run('other')
    api.deliver(other.batch(50))
    api.deliver(mine.batch(5))
    expect(counted().histogram).toBe(5)
    expect(useRunStore.getState().runId).toBe('mine')
    expect(ingest.counters.ignored).toBe(1)
  })

  test('a reload mid-run (new ingest instance) continues without double counting', async () => {
    const run = api.run('r1')
    await ingest.open()
    api.deliver(run.batch(20))
    api.deliver(run.batch(20))
    // The page reloads: the old instance goes away, a new one starts from a snapshot.
    ingest.dispose()
    const reloaded = new Ingest(api)
    api.hold = true
    const opening = reloaded.open()
    const contained = run.batch(20)
    api.deliver(contained)
    api.release()
    const late = run.batch(20)
    api.deliver(late)
    await opening
    api.deliver(late) // a repeated delivery is still dropped
    api.deliver(run.batch(20))
    expect(counted()).toEqual({ histogram: 100, buckets: 100 })
    expect(useRunStore.getState().summary?.done).toBe(100)
    expect(useRunStore.getState().lastSeq).toBe(run.seq)
    reloaded.dispose()
  })

  test('a batch straddling the snapshot takes its summary but not its results', async () => {
    const run = api.run('r1')
    api.deliver(run.batch(10))
    await ingest.open()
    const lastSeq = useRunStore.getState().lastSeq
    const next = run.batch(10)
    // Pretend the snapshot had been cut in the middle of this batch.
    api.deliver({ ...next, fromSeq: lastSeq - 3 })
    expect(counted().histogram).toBe(10)
    expect(useRunStore.getState()).toMatchObject({ lastSeq: next.toSeq })
    expect(useRunStore.getState().summary?.done).toBe(20)
  })

  test('a batch straddling the snapshot takes its summary but not its results', async () => {
    const run = api.run('r1')
    await ingest.open()
    const b = run.batch(10)
    // A snapshot cut in the middle of b: it already holds b's results.
    api.hold = false
    await ingest.resync()
    const straddling = { ...b, fromSeq: b.fromSeq, toSeq: b.toSeq + 0 }
    // Force lastSeq into the middle of the batch by delivering a batch that ends mid-way.
    expect(useRunStore.getState().lastSeq).toBe(b.toSeq)
    api.deliver(straddling)
    expect(counted().histogram).toBe(10)
  })

  test('switching runs shows loading, then the new run', async () => {
    api.run('a').batch(5)
    await ingest.open('a')
    api.run('b').batch(3)
    api.hold = true
    const opening = ingest.open('b')
    expect(useRunStore.getState().phase).toBe('loading')
    api.release()
    await opening
    expect(useRunStore.getState()).toMatchObject({ phase: 'ready', runId: 'b' })
    expect(counted().histogram).toBe(3)
  })

  test('no runs yet: the empty state; a failing snapshot: the error state', async () => {
    await ingest.open()
    expect(useRunStore.getState().phase).toBe('empty')
    const failing = new Ingest({
      onEvents: () => () => undefined,
      getSnapshot: () => Promise.reject(new Error('host went away'))
    })
    await failing.open('x')
    expect(useRunStore.getState()).toMatchObject({ phase: 'error' })
    expect(useRunStore.getState().error).toContain('host went away')
    failing.dispose()
  })

  test('an interrupted run shows as such; resumed in a new engine session, re-opening follows it', async () => {
    const run = api.run('r1')
    run.batch(40)
    run.batch(40)
    run.interrupted = true
    run.note = 'Closed the laptop mid-run'
    await ingest.open('r1')
    expect(useRunStore.getState()).toMatchObject({
      phase: 'ready',
      status: INTERRUPTED,
      note: 'Closed the laptop mid-run'
    })

    // Resumed: a new engine session numbers its events from 1 again, below the old snapshot's seq.
    run.interrupted = false
    run.seq = 0
    const first = run.batch(10)
    api.deliver(first)
    expect(counted().histogram).toBe(80)
    expect(useRunStore.getState().status).toEqual(INTERRUPTED)

    await ingest.open('r1')
    api.deliver(run.batch(10))
    expect(useRunStore.getState()).toMatchObject({ status: { kind: 'running' }, lastSeq: run.seq })
    expect(counted().histogram).toBe(100)
  })

  test('settings changes become labelled chart marks, also when seeded from a snapshot', async () => {
    const run = api.run('r1')
    run.settings = { ...run.settings, concurrency: 8 }
    await ingest.open()
    // The fake's config is DEFAULT_CONFIG (concurrency 50); the first mark says 50 → 8.
    api.deliver(run.batch(1, { change: { concurrency: 8 } }))
    api.deliver(run.batch(1, { change: { concurrency: 20 } }))
    expect(getRunData()?.marks.map((m) => m.label)).toEqual(['concurrency 50 → 8', 'concurrency 8 → 20'])
    const reloaded = new Ingest(api)
    await reloaded.open()
    expect(getRunData()?.marks.map((m) => m.label)).toEqual(['concurrency 50 → 8', 'concurrency 8 → 20'])
    reloaded.dispose()
    expect(
      markLabel(
        { perHostConcurrency: 6, connectTimeoutMs: 3000 },
        { perHostConcurrency: 12, connectTimeoutMs: 5000 }
      )
    ).toBe('per host 6 → 12, connect timeout 3000 ms → 5000 ms')
  })
})
