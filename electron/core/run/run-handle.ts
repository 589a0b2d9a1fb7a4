import type { FailureGroup, HostRow, PathStep, RunInfo, RunSnapshot } from '../../../shared/api.ts'
import type { LiveSettings, LiveSettingsPatch } from '../../../shared/config.ts'
import type { ResultStore } from './result-store.ts'

/**
 * One run as the API serves it, whoever drives it: a LiveRun (an engine here drives it) or a
 * StoredRun (the store holds it; it ended, was interrupted, or another process drives it). The
 * registry hands out one or the other, so no API method chooses between them itself.
 */
export interface RunHandle {
  readonly runId: string
  info(): RunInfo
  snapshot(): RunSnapshot
  hosts(): readonly HostRow[]
  /** Its finished results, for the tables and the detail panel. */
  readonly results: ResultStore
  failureGroups(): readonly FailureGroup[]
  /** Seed → … → result `id` by the pages each was found on. */
  path(id: number): readonly PathStep[]
  pause(): void
  /** Continues it: a paused live run goes on; an interrupted or suspended one is claimed and resumed. */
  resume(): void
  /** Ends it (cancelled), keeping every result. */
  stop(): Promise<void>
  updateSettings(patch: LiveSettingsPatch): LiveSettings
}
