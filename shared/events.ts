import type { LiveSettings, LiveSettingsPatch, RunConfig } from './config.ts'
import type { RequestFailure } from './errors.ts'
import type { RequestResult } from './result.ts'
import type { RunSummary } from './summary.ts'

/**
 * A run's life:
 *
 *   idle ──start──▶ running ◀──resume── paused
 *                    │  └────pause────▶  │
 *                    ├──all done──▶ completed
 *                    └──cancel────▶ cancelled ◀──cancel── (paused)
 */
export type RunState = 'idle' | 'running' | 'paused' | 'completed' | 'cancelled'

interface EventBase {
  /** Strictly increasing per run, from 1. */
  readonly seq: number
  /** Epoch ms. */
  readonly at: number
}

export interface RunStartedEvent extends EventBase {
  readonly kind: 'run-started'
  readonly runId: string
  readonly total: number
  readonly config: RunConfig
}

export interface RequestStartedEvent extends EventBase {
  readonly kind: 'request-started'
  readonly id: number
  readonly url: string
  readonly attempt: number
}

export interface AttemptFailedEvent extends EventBase {
  readonly kind: 'attempt-failed'
  readonly id: number
  readonly url: string
  readonly attempt: number
  readonly error: RequestFailure
  readonly retryInMs: number
  readonly retryReason: 'backoff' | 'retry-after'
}

export interface RequestFinishedEvent extends EventBase {
  readonly kind: 'request-finished'
  readonly result: RequestResult
}

export interface RunProgressEvent extends EventBase {
  readonly kind: 'run-progress'
  readonly summary: RunSummary
}

export interface SettingsChangedEvent extends EventBase {
  readonly kind: 'settings-changed'
  readonly changed: LiveSettingsPatch
  readonly settings: LiveSettings
}

export interface RunStateChangedEvent extends EventBase {
  readonly kind: 'run-state-changed'
  readonly state: RunState
}

export interface RunFinishedEvent extends EventBase {
  readonly kind: 'run-finished'
  readonly state: 'completed' | 'cancelled'
  readonly summary: RunSummary
}

export type EngineEvent =
  | RunStartedEvent
  | RequestStartedEvent
  | AttemptFailedEvent
  | RequestFinishedEvent
  | RunProgressEvent
  | SettingsChangedEvent
  | RunStateChangedEvent
  | RunFinishedEvent

export type EngineEventKind = EngineEvent['kind']

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`)
}
