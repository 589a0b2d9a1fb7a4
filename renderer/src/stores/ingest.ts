import type { CrawlerApi, EventBatch, RunSnapshot } from '../../../shared/api.ts'
import { RunData, getRunData, setRunData } from './run-data.ts'
import { initialRunState, useRunStore } from './run-store.ts'

/**
 * The one writer of run events into the stores: "snapshot, then stream" (ARCHITECTURE.md).
 *
 *   open(runId?) ─▶ subscribe (once) ─▶ syncing: batches are buffered
 *                ─▶ getSnapshot() ─▶ seed raw data + run store, lastSeq = snapshot.seq
 *                ─▶ drain the buffer, then apply live batches as they come:
 *                     other run            → ignored
 *                     toSeq ≤ lastSeq      → already in the snapshot (or applied): dropped
 *                     fromSeq > lastSeq+1  → a gap (events were lost): resync from a new snapshot
 *                     otherwise            → applied in ONE run-store update
 *
 * A batch that straddles the snapshot (fromSeq ≤ lastSeq < toSeq) cannot be split, since its
 * results carry no seq of their own: its deltas (results, marks) are dropped as already counted,
 * and its absolute fields (summary, state, settings) are taken. Snapshots are cut at batch
 * boundaries, so this should not happen; it is handled so it cannot double count.
 *
 * A reload creates a fresh Ingest, which starts again from a snapshot: nothing is counted twice.
 */

export type IngestApi = Pick<CrawlerApi, 'getSnapshot' | 'onEvents'>

export interface IngestCounters {
  applied: number
  /** Batches already covered by the snapshot or applied before. */
  dropped: number
  /** Batches of other runs. */
  ignored: number
  /** Gaps seen (each starts a resync). */
  gaps: number
  snapshots: number
}

export class Ingest {
  readonly counters: IngestCounters = { applied: 0, dropped: 0, ignored: 0, gaps: 0, snapshots: 0 }
  private readonly api: IngestApi
  private unsubscribe: (() => void) | null = null
  private runId: string | null = null
  private lastSeq = 0
  private syncing = false
  private buffer: EventBatch[] = []
  /** Each sync gets a number; a snapshot answering an older sync is thrown away. */
  private generation = 0
  private current: Promise<void> = Promise.resolve()
  private disposed = false

  constructor(api: IngestApi) {
    this.api = api
  }

  /** Follows a run (the newest when runId is omitted), starting from its snapshot. */
  open(runId?: string): Promise<void> {
    return this.sync(runId)
  }

  /** Starts again from a fresh snapshot of the same run (after a reconnect, or a retry). */
  resync(): Promise<void> {
    return this.sync(this.runId ?? undefined)
  }

  /** Settles when the latest sync has. */
  settled(): Promise<void> {
    return this.current
  }

  dispose(): void {
    this.disposed = true
    this.generation++
    this.unsubscribe?.()
    this.unsubscribe = null
    this.buffer = []
  }

  private sync(target: string | undefined): Promise<void> {
    if (this.disposed) return Promise.resolve()
    // Subscribe before asking for the snapshot, so nothing emitted in between is missed.
    this.unsubscribe ??= this.api.onEvents((batch) => {
      this.onBatch(batch)
    })
    const generation = ++this.generation
    this.syncing = true
    this.buffer = []
    // Resyncing the run on screen keeps showing it; anything else shows the loading state.
    const phase = useRunStore.getState().phase
    if (target === undefined || target !== this.runId || phase !== 'ready') {
      useRunStore.setState({ phase: 'loading', error: null })
    }
    this.current = this.load(generation, target)
    return this.current
  }

  private async load(generation: number, target: string | undefined): Promise<void> {
    let snapshot: RunSnapshot | null
    try {
      snapshot = await this.api.getSnapshot(target)
    } catch (error) {
      if (generation !== this.generation) return
      this.syncing = false
      this.buffer = []
      const message = error instanceof Error ? error.message : String(error)
      useRunStore.setState({ phase: 'error', error: `Could not load the run: ${message}` })
      return
    }
    if (generation !== this.generation) return
    this.counters.snapshots++
    if (snapshot === null && target !== undefined) {
      this.syncing = false
      this.buffer = []
      useRunStore.setState({ phase: 'error', error: `Run ${target} is no longer available.` })
      return
    }
    if (snapshot === null) {
      this.runId = null
      this.lastSeq = 0
      setRunData(null)
      useRunStore.setState({ ...initialRunState, phase: 'empty' })
    } else {
      let data: RunData
      try {
        data = RunData.fromSnapshot(snapshot)
      } catch (error) {
        this.syncing = false
        this.buffer = []
        const message = error instanceof Error ? error.message : String(error)
        console.error('Crawlboard: unreadable run snapshot', error)
        useRunStore.setState({ phase: 'error', error: `The run's data could not be read: ${message}` })
        return
      }
      this.runId = snapshot.runId
      this.lastSeq = snapshot.seq
      setRunData(data)
      useRunStore.setState({
        phase: 'ready',
        error: null,
        runId: snapshot.runId,
        name: snapshot.name,
        note: snapshot.note,
        status: snapshot.status,
        config: snapshot.config,
        settings: snapshot.settings,
        summary: snapshot.summary,
        safeguardReason: snapshot.safeguardReason,
        spider: snapshot.spider,
        lastSeq: snapshot.seq
      })
    }
    this.syncing = false
    const buffered = this.buffer
    this.buffer = []
    for (const batch of buffered) {
      // A gap while draining starts a new sync; its snapshot covers the rest of the buffer.
      if (this.onBatch(batch) === 'resync') break
    }
  }

  private onBatch(batch: EventBatch): 'buffered' | 'ignored' | 'dropped' | 'resync' | 'applied' {
    if (this.disposed) return 'ignored'
    if (this.syncing) {
      this.buffer.push(batch)
      return 'buffered'
    }
    if (batch.runId !== this.runId) {
      this.counters.ignored++
      return 'ignored'
    }
    if (batch.toSeq <= this.lastSeq) {
      this.counters.dropped++
      return 'dropped'
    }
    if (batch.fromSeq > this.lastSeq + 1) {
      this.counters.gaps++
      void this.sync(this.runId)
      return 'resync'
    }
    this.apply(batch, batch.fromSeq === this.lastSeq + 1)
    return 'applied'
  }

  /** One batch, one store update; `withDeltas` false for a batch that straddles the snapshot. */
  private apply(batch: EventBatch, withDeltas: boolean): void {
    const data = getRunData()
    if (data && data.runId === batch.runId) {
      if (withDeltas) {
        data.applyResults(batch.results)
        data.addMarks(batch.marks)
      }
      data.noteInFlight(batch.inFlight)
      data.applySpider(batch, withDeltas)
    }
    this.lastSeq = batch.toSeq
    this.counters.applied++
    // Events come only from an engine in this process: the batch says how it stands now.
    const previous = useRunStore.getState()
    useRunStore.setState({
      status: batch.status,
      settings: batch.settings,
      summary: batch.summary,
      // The safeguard's reason stands until the run goes on (resumed) or ends.
      safeguardReason:
        batch.safeguardReason ?? (batch.status.kind === 'paused' ? previous.safeguardReason : null),
      spider: batch.spider ?? previous.spider,
      lastSeq: batch.toSeq
    })
  }
}
