import { create } from 'zustand'
import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import type { RunState } from '../../../shared/events.ts'
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
  readonly state: RunState | null
  /**
   * No engine drives the run any more (the app was closed mid-run): `state` is what it was saved
   * in. Resume continues it in a new engine session (the dashboard then re-opens it); stopping it
   * marks it stopped. A batch of the run's events means an engine here drives it again.
   */
  readonly interrupted: boolean
  /** The headless runner is crawling it on the same database: read-only here. */
  readonly elsewhere: boolean
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
  state: null,
  interrupted: false,
  elsewhere: false,
  config: null,
  settings: null,
  summary: null,
  safeguardReason: null,
  spider: null,
  lastSeq: 0
}

export const useRunStore = create<RunStoreState>()(() => initialRunState)

export function isLive(state: RunState | null): boolean {
  return state === 'running' || state === 'paused'
}
