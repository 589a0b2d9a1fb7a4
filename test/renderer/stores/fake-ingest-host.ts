import type { EventBatch, RunSnapshot, SettingsMark } from '../../../shared/api.ts'
import { DEFAULT_CONFIG, type LiveSettings } from '../../../shared/config.ts'
import type { RunState } from '../../../shared/events.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { drivenStatus, type RunStatus } from '../../../shared/run-status.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import type { IngestApi } from '../../../renderer/src/stores/ingest.ts'
import { compactResults, eventBatch, result, runSnapshot, runSummary } from '../../helpers/fixtures.ts'

/**
 * The main-process side of the renderer's ingest, faked: runs that keep the same shared
 * aggregates main keeps and cut them into numbered batches, and a host that pushes batches to
 * subscribers and answers snapshots (held back on request, to interleave them with batches).
 */

export const INTERRUPTED: RunStatus = { kind: 'interrupted', reason: 'the app quit while it was going' }

export const T0 = 1_700_000_000_000

/** A run on the fake host side: the same shared aggregates main keeps, cut into batches. */
export class FakeRun {
  readonly runId: string
  seq = 0
  state: RunState = 'running'
  note = ''
  /** Saved unfinished, and no engine drives it (the app was closed mid-run). */
  interrupted = false
  settings: LiveSettings = { ...DEFAULT_CONFIG }
  private readonly buckets = new TimeBuckets({ startedAt: T0 })
  private readonly histogram = new LogHistogram()
  private readonly recent: RequestResult[] = []
  private readonly marks: SettingsMark[] = []
  private nextId = 0
  private ok = 0
  private failed = 0

  constructor(runId: string) {
    this.runId = runId
  }

  get done(): number {
    return this.ok + this.failed
  }

  /** n finished results (1 event each) plus a progress event; optionally a settings change. */
  batch(n: number, opts: { change?: Partial<LiveSettings>; at?: number } = {}): EventBatch {
    const fromSeq = this.seq + 1
    const finished: RequestResult[] = []
    const marks: SettingsMark[] = []
    for (let i = 0; i < n; i++) {
      const id = this.nextId++
      // One in five answered 503; latencies cycle through 5–54 ms.
      const r = result({
        id,
        code: id % 5 === 0 ? 'HTTP_STATUS' : null,
        status: id % 5 === 0 ? 503 : 200,
        totalMs: 5 + (id % 50),
        finishedAt: opts.at ?? T0 + id * 10
      })
      finished.push(r)
      this.buckets.record(r)
      this.histogram.record(r.timings.total)
      this.recent.push(r)
      if (r.ok) this.ok++
      else this.failed++
      this.seq++
    }
    if (opts.change) {
      const mark = { at: T0 + this.nextId * 10, changed: opts.change }
      this.settings = { ...this.settings, ...opts.change }
      this.marks.push(mark)
      marks.push(mark)
      this.seq++
    }
    this.seq++ // run-progress
    const inFlight = { at: T0 + this.nextId * 10, inFlight: 7, limit: this.settings.concurrency }
    this.buckets.noteInFlight(inFlight.at, inFlight.inFlight, inFlight.limit)
    return eventBatch({
      runId: this.runId,
      fromSeq,
      toSeq: this.seq,
      results: compactResults(finished),
      marks,
      status: drivenStatus(this.state),
      settings: this.settings,
      summary: this.summary(),
      inFlight
    })
  }

  summary(): RunSummary {
    return runSummary({
      runId: this.runId,
      state: this.state,
      total: 10_000,
      ok: this.ok,
      failed: this.failed,
      inFlight: 7,
      startedAt: T0
    })
  }

  snapshot(): RunSnapshot {
    return runSnapshot({
      runId: this.runId,
      note: this.note,
      seq: this.seq,
      status: this.interrupted ? INTERRUPTED : drivenStatus(this.state),
      settings: this.settings,
      summary: this.summary(),
      series: this.buckets.toJSON(),
      histogram: this.histogram.toJSON(),
      recent: compactResults(this.recent),
      marks: this.marks.slice(),
      inFlight: { at: T0, inFlight: 7, limit: this.settings.concurrency }
    })
  }
}

/** A run the fake host serves: its snapshot on request (its batches, the test delivers). */
export interface HostedRun {
  readonly runId: string
  snapshot(): RunSnapshot
}

/** The host: pushes batches to subscribers; snapshots can be held back to interleave batches. */
export class FakeIngestHost implements IngestApi {
  readonly runs = new Map<string, HostedRun>()
  newest: HostedRun | null = null
  listeners = new Set<(batch: EventBatch) => void>()
  snapshotCalls = 0
  /** When set, getSnapshot waits for release(), which cuts the snapshot then (answered a tick later). */
  hold = false
  private held: (() => void)[] = []

  add<R extends HostedRun>(run: R): R {
    this.runs.set(run.runId, run)
    this.newest = run
    return run
  }

  /** A new list run on this host, the newest. */
  run(runId: string): FakeRun {
    return this.add(new FakeRun(runId))
  }

  deliver(batch: EventBatch): void {
    for (const l of [...this.listeners]) l(batch)
  }

  release(): void {
    const held = this.held
    this.held = []
    for (const r of held) r()
  }

  onEvents(listener: (batch: EventBatch) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot(runId?: string): Promise<RunSnapshot | null> {
    this.snapshotCalls++
    const run = runId === undefined ? this.newest : (this.runs.get(runId) ?? null)
    if (!this.hold) return Promise.resolve(run ? run.snapshot() : null)
    return new Promise((resolve) => {
      this.held.push(() => {
        resolve(run ? run.snapshot() : null)
      })
    })
  }
}
