import {
  ApiError,
  type FailureGroup,
  type HostRow,
  type PathStep,
  type RunInfo,
  type RunSnapshot
} from '../../../shared/api.ts'
import type { LiveSettings } from '../../../shared/config.ts'
import { pickLive } from '../../../shared/config.ts'
import { describeOwner, type RunStatus } from '../../../shared/run-status.ts'
import type { RunStore, StoredRun as StoredRunRecord } from '../store/index.ts'
import { failureGroups } from './failure-groups.ts'
import type { RunHandle } from './run-handle.ts'
import { pathOf } from './spider-aggregates.ts'
import { StoredResultStore } from './stored-result-store.ts'
import { infoOfStored, storedHosts, storedSnapshot, storedStatus } from './stored-runs.ts'

/**
 * A run no engine here drives, as its store holds it: read on every call (another process may be
 * saving it every second). What changes it goes through the registry: resuming claims it, stopping
 * marks it cancelled.
 */
export class StoredRun implements RunHandle {
  readonly runId: string
  readonly results: StoredResultStore
  readonly #store: RunStore
  readonly #actions: { resume(runId: string): void; stop(runId: string): void }

  constructor(
    store: RunStore,
    runId: string,
    actions: { resume(runId: string): void; stop(runId: string): void }
  ) {
    this.runId = runId
    this.#store = store
    this.#actions = actions
    // Read-only: nothing is written through it, so it has nothing to report.
    this.results = new StoredResultStore({ store, runId, stored: 0, writer: null, onError: () => undefined })
  }

  /** The record now; NOT_FOUND when it was deleted meanwhile. */
  record(): StoredRunRecord {
    const run = this.#store.getRun(this.runId)
    if (run === null) throw new ApiError('NOT_FOUND', `No run ${this.runId}: it was deleted.`)
    return run
  }

  status(): RunStatus {
    return storedStatus(this.record())
  }

  info(): RunInfo {
    return infoOfStored(this.#store, this.record())
  }

  snapshot(): RunSnapshot {
    return storedSnapshot(this.#store, this.record())
  }

  hosts(): HostRow[] {
    return storedHosts(this.#store, this.record())
  }

  failureGroups(): FailureGroup[] {
    const run = this.record()
    const context = {
      settings: run.settings ?? pickLive(run.config),
      config: run.config,
      done: this.#store.countResults(this.runId)
    }
    return failureGroups(this.#store.failureCounts(this.runId), context)
  }

  path(id: number): PathStep[] {
    return pathOf(id, (n) => this.results.get(n))
  }

  pause(): void {
    throw this.#notGoing('pause')
  }

  resume(): void {
    this.#actions.resume(this.runId)
  }

  stop(): Promise<void> {
    this.#actions.stop(this.runId)
    return Promise.resolve()
  }

  updateSettings(): LiveSettings {
    throw this.#notGoing('change the settings of')
  }

  #notGoing(action: string): ApiError {
    const status = this.status()
    switch (status.kind) {
      case 'elsewhere':
        return new ApiError(
          'CONFLICT',
          `Cannot ${action} run ${this.runId} here: another Crawlboard process (${describeOwner(status)}) is fetching it.`
        )
      case 'completed':
        return new ApiError('CONFLICT', `Cannot ${action} run ${this.runId}: it has already completed.`)
      case 'cancelled':
        return new ApiError('CONFLICT', `Cannot ${action} run ${this.runId}: it has already been stopped.`)
      case 'interrupted':
      case 'suspended':
      case 'running':
      case 'paused':
        return new ApiError(
          'CONFLICT',
          `Run ${this.runId} is not going (it was interrupted): resume it to continue.`
        )
    }
  }
}
