import { randomBytes } from 'node:crypto'
import { ApiError, type EventBatch } from '../../../shared/api.ts'
import type { RunConfig } from '../../../shared/config.ts'
import { describeOwner } from '../../../shared/run-status.ts'
import { WindowedListFrontier } from '../engine/engine.ts'
import type { RunFlags, RunStore } from '../store/index.ts'
import { LiveRun } from './live-run.ts'
import { holdClaim, newClaim, releaseClaim } from './owner.ts'
import { configFlags, restoredRun, spiderResumeOf, storedStatus } from './stored-runs.ts'
import type { IngestReport, UrlIngest } from './url-ingest.ts'

/**
 * The one way a run starts and resumes, for every front end (the app's backend, the browser host
 * and the headless runner): its id, its record, this process's claim on it, and what a resume
 * fetches (only the URLs without a result). LiveRun (live-run.ts) takes it from there to its end;
 * the rules of who may resume what are here, once.
 *
 * Both return a LiveRun not yet started: the caller registers it (so the first batch names a run
 * the API already knows), then calls start().
 */

export interface DriveOptions {
  readonly onBatch: (batch: EventBatch) => void
  /** The app pauses a run when the failure safeguard trips; the runner interrupts it. */
  readonly onSafeguard: 'pause' | 'interrupt'
  readonly batchIntervalMs?: number | undefined
  readonly log: (message: string, error?: unknown) => void
}

export interface NewRunRequest {
  readonly name: string
  readonly config: RunConfig
  readonly urls: readonly string[]
  /** Facts recorded with the run besides what its config implies. */
  readonly flags?: RunFlags
}

/** Every run's id: `run-` + creation time in base 36 + 6 random hex digits (sortable, unique enough). */
export function newRunId(now = Date.now()): string {
  return `run-${now.toString(36)}-${randomBytes(3).toString('hex')}`
}

/** Records a new run, claimed by this process, over `urls` (URL i gets result id i). */
export function createRun(store: RunStore, request: NewRunRequest, drive: DriveOptions): LiveRun {
  const { runId, claim } = recordRun(store, request, request.urls)
  const spider = request.config.mode === 'spider'
  return new LiveRun({
    runId,
    name: request.name,
    config: request.config,
    // A list is read back from the store a window at a time; a spider's seeds are few.
    tasks: spider ? request.urls.map((url, id) => ({ id, url })) : [],
    list: spider ? undefined : storedList(store, runId, request.urls.length, true, false),
    total: request.urls.length,
    store,
    claim,
    ...drive
  })
}

/** A list run whose input is still being read: its first batch, and the reading of the rest. */
export interface StreamedRunRequest {
  /** The run's name, given its first batch of URLs. */
  readonly name: (first: readonly string[]) => string
  readonly config: RunConfig
  /** The input, read up to its first batch (`first`). */
  readonly ingest: UrlIngest
  readonly first: readonly string[]
  readonly flags?: RunFlags
}

export interface StreamedRun {
  readonly run: LiveRun
  /**
   * Settles once the whole input is stored (or the reading stopped because the run ended first,
   * `cut`). Call after the run has started: the batches go into the store as the run fetches.
   */
  readonly ingested: () => Promise<IngestReport>
}

/**
 * Records a list run over its input's first batch and returns it ready to start; `ingested`
 * then stores the rest of the input batch by batch (one transaction each), the run's total
 * growing with each, while the engine fetches from the store a window at a time. The first
 * request goes out once the first batch is stored, whatever the length of the input.
 */
export function createStreamedRun(
  store: RunStore,
  request: StreamedRunRequest,
  drive: DriveOptions
): StreamedRun {
  const { first, ingest } = request
  const name = request.name(first)
  const { runId, claim } = recordRun(store, { name, config: request.config, flags: request.flags }, first)
  const list = storedList(store, runId, first.length, ingest.ended, false)
  const run = new LiveRun({
    runId,
    name,
    config: request.config,
    tasks: [],
    list,
    total: first.length,
    store,
    claim,
    ...drive
  })
  const ingested = async (): Promise<IngestReport> => {
    try {
      const lookup = (id: number): string | null => store.runUrl(runId, id)
      // The run may end (stopped, interrupted) while a batch is read: then reading stops too.
      const ended = (): boolean => list.cancelled
      for (;;) {
        if (ended()) {
          await ingest.stop()
          break
        }
        const batch = await ingest.next(lookup)
        if (batch.length === 0) break
        if (ended()) {
          await ingest.stop()
          break
        }
        store.appendRunUrls(runId, ingest.taken - batch.length, batch)
        list.grow(batch.length)
      }
    } finally {
      list.end()
    }
    return ingest.report()
  }
  return { run, ingested }
}

function recordRun(
  store: RunStore,
  request: Pick<NewRunRequest, 'name' | 'config' | 'flags'>,
  urls: readonly string[]
): { runId: string; claim: ReturnType<typeof newClaim> } {
  const runId = newRunId()
  const claim = newClaim()
  try {
    store.createRun({
      id: runId,
      name: request.name,
      config: request.config,
      urls,
      createdAt: Date.now(),
      owner: claim,
      flags: { ...configFlags(request.config), ...request.flags }
    })
  } catch (error) {
    throw new ApiError('INTERNAL', `The run could not be recorded: ${(error as Error).message}`)
  }
  holdClaim(claim)
  return { runId, claim }
}

/** A list run's frontier over its run_urls; `pendingOnly` for a resume (URLs without a result). */
function storedList(
  store: RunStore,
  runId: string,
  total: number,
  settled: boolean,
  pendingOnly: boolean
): WindowedListFrontier {
  return new WindowedListFrontier({
    total,
    settled,
    source: {
      next: (afterId, limit) => store.runUrlWindow(runId, afterId, limit, pendingOnly)
    }
  })
}

/**
 * Continues a stored run that nothing drives (interrupted, or suspended while paused): claims it
 * (of two processes resuming it at once, one wins), then fetches only its URLs without a result,
 * its counts, charts and spider frontier carrying on. Refuses, naming why, a run that ended or that
 * another live process drives.
 */
export function resumeRun(store: RunStore, runId: string, drive: DriveOptions): LiveRun {
  const run = store.getRun(runId)
  if (run === null) throw new ApiError('NOT_FOUND', `No run ${runId}: it is not in ${store.path}.`)
  const status = storedStatus(run)
  switch (status.kind) {
    case 'completed':
      throw new ApiError(
        'CONFLICT',
        `Cannot resume run ${runId}: it has already completed. Re-run it instead.`
      )
    case 'cancelled':
      throw new ApiError(
        'CONFLICT',
        `Cannot resume run ${runId}: it has already been stopped. Re-run it instead.`
      )
    case 'elsewhere':
      throw new ApiError(
        'CONFLICT',
        `Run ${runId} is being fetched by another Crawlboard process right now (${describeOwner(status)}); stop it there first.`
      )
    case 'running':
    case 'paused':
    case 'interrupted':
    case 'suspended':
      break
  }
  const claim = newClaim()
  if (!store.claimRun(runId, claim, run.owner)) {
    throw new ApiError('CONFLICT', `Run ${runId} was resumed by another Crawlboard process just now.`)
  }
  holdClaim(claim)
  try {
    const spider = run.config.mode === 'spider'
    // A spider continues its frontier from what it found; a list reads what is left a window at a time.
    const tasks = spider ? store.pendingUrls(runId) : []
    return new LiveRun({
      runId,
      name: run.name,
      config: run.config,
      tasks,
      list: spider ? undefined : storedList(store, runId, store.countPendingUrls(runId), true, true),
      total: run.total,
      store,
      claim,
      restored: restoredRun(store, run),
      // A spider run continues its frontier: what it fetched is not fetched again, new pages get new ids.
      spiderResume: spider ? spiderResumeOf(store, run, tasks) : undefined,
      ...drive
    })
  } catch (error) {
    // Let go again, so the run stays resumable.
    releaseClaim(claim)
    store.releaseRun(runId, claim.token, {})
    throw error
  }
}
