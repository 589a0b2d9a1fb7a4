import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventBatch } from '../../../shared/api.ts'
import { DEFAULT_CONFIG, type LiveSettings } from '../../../shared/config.ts'
import type { EngineEvent } from '../../../shared/events.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { RunStatus } from '../../../shared/run-status.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { CompactRing } from '../../../electron/core/run/compact-results.ts'
import { EventBatcher } from '../../../electron/core/run/event-batcher.ts'
import { FIXTURE_T0, result as fixtureResult } from '../../helpers/fixtures.ts'

const T0 = FIXTURE_T0
const SETTINGS: LiveSettings = { ...DEFAULT_CONFIG }

/** Result `id` took id + 1 ms and finished id ms after T0; a failed one answered 503. */
const result = (id: number, ok = true): RequestResult =>
  fixtureResult({
    id,
    url: `http://a.test/${id}`,
    status: ok ? 200 : 503,
    code: ok ? null : 'HTTP_STATUS',
    totalMs: id + 1,
    finishedAt: T0 + id
  })

/** Numbers events as the engine does. */
function sequencer() {
  let seq = 0
  const next = (e: Record<string, unknown> & { kind: EngineEvent['kind'] }): EngineEvent =>
    ({ ...e, seq: ++seq, at: T0 + seq }) as unknown as EngineEvent
  return {
    finished: (id: number, ok = true) => next({ kind: 'request-finished', result: result(id, ok) }),
    started: (id: number) => next({ kind: 'request-started', id, url: `http://a.test/${id}`, attempt: 1 }),
    progress: () => next({ kind: 'run-progress', summary: {} }),
    retry: (id: number) =>
      next({
        kind: 'attempt-failed',
        id,
        url: `http://a.test/${id}`,
        attempt: 1,
        error: { code: 'RESET', message: 'reset', phase: 'body', retryable: true },
        retryInMs: 10,
        retryReason: 'backoff'
      }),
    runStarted: () => next({ kind: 'run-started', runId: 'r', total: 0, config: DEFAULT_CONFIG }),
    state: (state: 'paused' | 'running') => next({ kind: 'run-state-changed', state }),
    settings: (concurrency: number) =>
      next({
        kind: 'settings-changed',
        changed: { concurrency },
        settings: { ...SETTINGS, concurrency }
      }),
    finishedRun: () => next({ kind: 'run-finished', state: 'completed', summary: {} }),
    get seq() {
      return seq
    }
  }
}

function setup(intervalMs = 100) {
  const batches: EventBatch[] = []
  let summaryCalls = 0
  // The run's status as the run reports it at flush time (a LiveRun follows its engine's events).
  const run = { status: { kind: 'running' } as RunStatus }
  const batcher = new EventBatcher({
    runId: 'r',
    settings: SETTINGS,
    intervalMs,
    summary: () => ({ done: ++summaryCalls }) as unknown as RunSummary,
    status: () => run.status,
    inFlight: () => ({ at: 0, inFlight: 3, limit: 50 }),
    onBatch: (b) => batches.push(b)
  })
  return { batcher, batches, run }
}

describe('EventBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends one batch per interval, with every result and only the newest summary', () => {
    const { batcher, batches } = setup()
    const s = sequencer()
    for (let i = 0; i < 500; i++) {
      batcher.push(s.started(i))
      batcher.push(s.finished(i, i % 10 !== 0))
      if (i % 50 === 0) batcher.push(s.progress())
    }
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(99)
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(batches).toHaveLength(1)
    const [b] = batches
    expect(b?.fromSeq).toBe(1)
    expect(b?.toSeq).toBe(s.seq)
    expect(b?.results.id).toEqual(Array.from({ length: 500 }, (_, i) => i))
    expect(b?.results.ok.filter((x) => x === 0)).toHaveLength(50)
    expect(b?.results.code[0]).toBe('HTTP_STATUS')
    expect(b?.results.code[1]).toBe('')
    expect(b?.results.status[0]).toBe(503)
    expect(b?.results.totalMs[7]).toBe(8)
    // The summary is read once, at flush time: progress events are coalesced into it.
    expect(b?.summary).toEqual({ done: 1 })
    expect(b?.inFlight).toEqual({ at: 0, inFlight: 3, limit: 50 })
    vi.advanceTimersByTime(1_000)
    expect(batches).toHaveLength(1)
  })

  it('never drops a result and keeps seq ranges contiguous across many flushes', () => {
    const { batcher, batches } = setup(20)
    const s = sequencer()
    let id = 0
    let retried = 0
    for (let tick = 0; tick < 200; tick++) {
      const n = (tick * 37) % 23
      for (let k = 0; k < n; k++) {
        batcher.push(s.started(id))
        if (k % 3 === 0) {
          batcher.push(s.retry(id))
          retried++
        }
        batcher.push(s.finished(id++))
      }
      if (tick % 7 === 0) batcher.push(s.progress())
      if (tick % 31 === 0) batcher.push(s.settings(10 + tick))
      vi.advanceTimersByTime(tick % 5 === 0 ? 3 : 11)
    }
    batcher.close()
    const ids = batches.flatMap((b) => b.results.id)
    expect(ids).toEqual(Array.from({ length: id }, (_, i) => i))
    expect(batches[0]?.fromSeq).toBe(1)
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i]?.fromSeq).toBe((batches[i - 1]?.toSeq ?? 0) + 1)
    }
    expect(batches.at(-1)?.toSeq).toBe(s.seq)
    expect(batcher.lastFlushedSeq).toBe(s.seq)
    expect(batches.reduce((n, b) => n + b.retries, 0)).toBe(retried)
    expect(batches.flatMap((b) => b.marks)).toHaveLength(7)
  })

  it('flushes at once on run start, state and settings changes and the end of the run', () => {
    const { batcher, batches, run } = setup()
    const s = sequencer()
    batcher.push(s.runStarted())
    expect(batches.map((b) => b.status)).toEqual([{ kind: 'running' }])
    batcher.push(s.finished(0))
    run.status = { kind: 'paused' }
    batcher.push(s.state('paused'))
    expect(batches).toHaveLength(2)
    expect(batches[1]).toMatchObject({ fromSeq: 2, toSeq: 3, status: { kind: 'paused' } })
    expect(batches[1]?.results.id).toEqual([0])
    batcher.push(s.settings(7))
    expect(batches[2]?.marks).toEqual([{ at: T0 + 4, changed: { concurrency: 7 } }])
    expect(batches[2]?.settings.concurrency).toBe(7)
    run.status = { kind: 'running' }
    batcher.push(s.state('running'))
    batcher.push(s.retry(1))
    batcher.push(s.finished(1))
    run.status = { kind: 'completed' }
    batcher.push(s.finishedRun())
    expect(batches.at(-1)).toMatchObject({ fromSeq: 6, toSeq: 8, status: { kind: 'completed' }, retries: 1 })
    vi.advanceTimersByTime(500)
    expect(batches).toHaveLength(5)
  })

  it('has nothing to flush when nothing happened, and ignores events after close', () => {
    const { batcher, batches } = setup()
    const s = sequencer()
    expect(batcher.flush()).toBeNull()
    batcher.push(s.finished(0))
    expect(batcher.pending).toBe(true)
    const b = batcher.flush()
    expect(b?.results.id).toEqual([0])
    expect(batcher.pending).toBe(false)
    batcher.close()
    batcher.push(s.finished(1))
    vi.advanceTimersByTime(500)
    expect(batches).toHaveLength(1)
  })
})

describe('CompactRing', () => {
  it('keeps the newest results, oldest first', () => {
    const ring = new CompactRing(3)
    expect(ring.toCompact().id).toEqual([])
    for (let i = 0; i < 5; i++) ring.push(result(i, i !== 3))
    expect(ring.size).toBe(3)
    const c = ring.toCompact()
    expect(c).toEqual({
      id: [2, 3, 4],
      finishedAt: [T0 + 2, T0 + 3, T0 + 4],
      totalMs: [3, 4, 5],
      status: [200, 503, 200],
      ok: [1, 0, 1],
      code: ['', 'HTTP_STATUS', '']
    })
  })
})
