import { create } from 'zustand'
import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import { isDrivenHere, isUnfinished, type RunStatus } from '../../../shared/run-status.ts'
import type { SpiderState } from '../../../shared/api.ts'
import type { RunSummary } from '../../../shared/summary.ts'

/**
 * The open run: identity, engine state, live settings and the latest summary. Low rate: the ingest
 * writes it once per event batch (~10×/s at most) and once per snapshot.
 *
 * `phase` is the view's loading state, not the engine's:
 *   idle ──open──▶ loading ──snapshot──▶ ready ◀─┐
 *                     │    └──no runs──▶ empty   │ resync keeps showing the run
 *                     └──call failed──▶ error ───┘ (retry)
 */
export type RunPhase = 'idle' | 'loading' | 'ready' | 'empty' | 'error'

export interface RunStoreState {
  readonly phase: RunPhase
  readonly error: string | null
  readonly runId: string | null
  readonly name: string
  /** The analyst's note ('' when none). */
  readonly note: string
  /**
   * Who drives the run and how it stands (shared/run-status.ts). An interrupted or suspended run
   * resumes in a new engine session (the dashboard then re-opens it); one running elsewhere is
   * read-only here. A batch of the run's events means an engine here drives it.
   */
  readonly status: RunStatus | null
  readonly config: RunConfig | null
  readonly settings: LiveSettings | null
  readonly summary: RunSummary | null
  /** Why the failure safeguard paused the run, while it stays paused; null otherwise. */
  readonly safeguardReason: string | null
  /** The latest spider aggregates (frontier, pages per depth); null for a list run. */
  readonly spider: SpiderState | null
  /** Seq of the last event applied (snapshot or batch). */
  readonly lastSeq: number
}

export const initialRunState: RunStoreState = {
  phase: 'idle',
  error: null,
  runId: null,
  name: '',
  note: '',
  status: null,
  config: null,
  settings: null,
  summary: null,
  safeguardReason: null,
  spider: null,
  lastSeq: 0
}

export const useRunStore = create<RunStoreState>()(() => initialRunState)

/** An engine here drives the run (running or paused): live controls apply. */
export function isLive(status: RunStatus | null): boolean {
  return status !== null && isDrivenHere(status)
}

/** The run completed or was stopped. */
export function isEnded(status: RunStatus | null): boolean {
  return status !== null && !isUnfinished(status)
}
