import type { DiscoveredUrl } from '../../../shared/events.ts'
import type { RunOwner, RunPatch, RunStore } from '../store/index.ts'
import { HEARTBEAT_INTERVAL_MS, releaseClaim } from './owner.ts'

/**
 * A live run's record in its store, written only while this process's claim on the run holds:
 * every save is guarded by the claim's token and doubles as its heartbeat, a timer keeps the
 * heartbeat going while nothing is saved (a paused run), and the last write lets go of the run.
 * If another process takes the run over, every later write is refused and `onLost` says so once.
 */

/** How often a live run saves its counts, series and settings (History shows them; resume uses them). */
export const SAVE_INTERVAL_MS = HEARTBEAT_INTERVAL_MS

export class RunRecord {
  readonly #store: RunStore
  readonly #runId: string
  readonly #claim: RunOwner
  readonly #log: (message: string, error?: unknown) => void
  readonly #onLost: () => void
  #writable = true
  /** The last save: a save is due a second after it, whatever heartbeats came between. */
  #lastSaveAt = 0
  /** The last write of any kind: the heartbeat beats only after a second without one. */
  #lastWriteAt = 0
  #heartbeat: NodeJS.Timeout | null = null

  constructor(opts: {
    store: RunStore
    runId: string
    claim: RunOwner
    log: (message: string, error?: unknown) => void
    /** Another process's claim replaced ours: the run must stop driving. */
    onLost: () => void
  }) {
    this.#store = opts.store
    this.#runId = opts.runId
    this.#claim = opts.claim
    this.#log = opts.log
    this.#onLost = opts.onLost
  }

  /** False once the run was released, or lost to another process. */
  get writable(): boolean {
    return this.#writable
  }

  /** Keeps the claim alive from now on (about once a second when nothing else was written). */
  startHeartbeat(): void {
    this.#heartbeat = setInterval(() => {
      this.#beat()
    }, HEARTBEAT_INTERVAL_MS)
    this.#heartbeat.unref()
  }

  /** True when a save is due (a second since the last write). */
  get due(): boolean {
    return Date.now() - this.#lastSaveAt >= SAVE_INTERVAL_MS
  }

  /** Saves the patch (`flush` first writes pending results, so counts never exceed stored rows). */
  save(patch: RunPatch, flush: () => void): void {
    if (!this.#writable) return
    this.#lastSaveAt = this.#lastWriteAt = Date.now()
    try {
      flush()
      if (!this.#store.updateRun(this.#runId, patch, this.#claim.token)) this.#lost()
    } catch (error) {
      this.#log(`crawlboard: run ${this.#runId} could not be saved (kept in memory, retried):`, error)
    }
  }

  /** Spider mode: URLs the frontier accepted, recorded so a resumed run continues its frontier. */
  addUrls(urls: readonly DiscoveredUrl[]): void {
    if (!this.#writable) return
    try {
      this.#store.addRunUrls(
        this.#runId,
        urls.map((u) => [u.id, u.url, u.depth, u.foundOn] as const)
      )
    } catch (error) {
      this.#log(
        `crawlboard: URLs found by run ${this.#runId} could not be recorded (a resume will miss them):`,
        error
      )
    }
  }

  /** The last write: saves the patch and lets go of the run. False when it could not be saved. */
  release(patch: RunPatch): boolean {
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    this.#heartbeat = null
    releaseClaim(this.#claim)
    if (!this.#writable) return false
    this.#writable = false
    try {
      return this.#store.releaseRun(this.#runId, this.#claim.token, patch)
    } catch (error) {
      this.#log(`crawlboard: run ${this.#runId} could not be saved:`, error)
      return false
    }
  }

  #beat(): void {
    if (!this.#writable || Date.now() - this.#lastWriteAt < HEARTBEAT_INTERVAL_MS) return
    this.#lastWriteAt = Date.now()
    try {
      if (!this.#store.heartbeat(this.#runId, this.#claim.token)) this.#lost()
    } catch (error) {
      this.#log(`crawlboard: run ${this.#runId} could not be marked as still going (retried):`, error)
    }
  }

  #lost(): void {
    if (!this.#writable) return
    this.#writable = false
    this.#log(`crawlboard: run ${this.#runId} was taken over by another process; this one stops driving it.`)
    this.#onLost()
  }
}
