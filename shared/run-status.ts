import { assertNever, type RunState } from './events.ts'

/**
 * A run's status as every front end sees it (the app, the browser host, the runner's `runs`): one
 * union, nothing beside it. The engine's own RunState (idle/running/paused/completed/cancelled) is
 * what one engine knows; the status adds who drives the run.
 *
 *                 ┌───────────── resume ─────────────┐
 *                 ▼                                  │
 *   start ──▶ running ──── pause (or the app's ────▶ paused
 *             │  │  │      failure safeguard)        │  │
 *             │  │  │                                │  └── quit, process ends ──▶ suspended ──┐
 *             │  │  └──── stop ──▶ cancelled ◀── stop ┘                                        │
 *             │  │                    ▲                                                       │
 *             │  │                    └──── stop ──── interrupted, suspended                   │
 *             │  └── every URL has a result ──▶ completed                                     │
 *             └── SIGINT, SIGTERM, quit, the runner's safeguard, a crash ──▶ interrupted ──────┤
 *                                                                                             │
 *   running ◀──────────────── resume: only the URLs without a result are fetched ─────────────┘
 *
 *   Seen from another process while the one driving it lives, any unfinished run is `elsewhere`.
 *
 *  - running, paused: an engine in this process drives it; pause, live settings and stop apply.
 *  - interrupted: nothing drives it, and it was going when its process stopped driving it (a
 *    signal, the app quitting, the runner's failure safeguard, a crash or power cut); `reason`
 *    says which when it is known. Resume fetches only its URLs without a result.
 *  - suspended: nothing drives it, and it was paused when its process let go (a paused run is still
 *    paused after a restart). Resume continues it.
 *  - elsewhere: another live process drives it (the headless runner or another app on the same
 *    database); this one shows its counts as that process saves them and touches nothing.
 *  - completed, cancelled: ended. A cancelled run was stopped on purpose: re-run it instead.
 */
export type RunStatus =
  | { readonly kind: 'running' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'interrupted'; readonly reason: string }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'elsewhere'; readonly pid: number; readonly host: string | null }
  | { readonly kind: 'completed' }
  | { readonly kind: 'cancelled' }

export type RunStatusKind = RunStatus['kind']

export const RUN_STATUS_LABELS: Readonly<Record<RunStatusKind, string>> = {
  running: 'Running',
  paused: 'Paused',
  interrupted: 'Interrupted',
  suspended: 'Paused',
  elsewhere: 'Running elsewhere',
  completed: 'Completed',
  cancelled: 'Stopped'
}

export const RUNNING: RunStatus = Object.freeze({ kind: 'running' })
export const PAUSED: RunStatus = Object.freeze({ kind: 'paused' })
export const SUSPENDED: RunStatus = Object.freeze({ kind: 'suspended' })
export const COMPLETED: RunStatus = Object.freeze({ kind: 'completed' })
export const CANCELLED: RunStatus = Object.freeze({ kind: 'cancelled' })

/** The status of a run an engine here drives, from the engine's state. */
export function drivenStatus(state: RunState): RunStatus {
  switch (state) {
    case 'idle':
    case 'running':
      return RUNNING
    case 'paused':
      return PAUSED
    case 'completed':
      return COMPLETED
    case 'cancelled':
      return CANCELLED
    default:
      return assertNever(state, 'run state')
  }
}

/** An engine here drives it: pause, live settings and stop apply. */
export function isDrivenHere(status: RunStatus): boolean {
  return status.kind === 'running' || status.kind === 'paused'
}

/** It neither completed nor was stopped. */
export function isUnfinished(status: RunStatus): boolean {
  return status.kind !== 'completed' && status.kind !== 'cancelled'
}

/** Resume continues it here: paused here, or left by a process that no longer drives it. */
export function canResume(status: RunStatus): boolean {
  return status.kind === 'paused' || status.kind === 'interrupted' || status.kind === 'suspended'
}

/** "process 4242" or "process 4242 on build-02". */
export function describeOwner(status: Extract<RunStatus, { kind: 'elsewhere' }>): string {
  return status.host === null ? `process ${status.pid}` : `process ${status.pid} on ${status.host}`
}

/** Why a run cannot be deleted right now, or null when it can. */
export function deleteBlockedReason(status: RunStatus): string | null {
  switch (status.kind) {
    case 'elsewhere':
      return `Another Crawlboard ${describeOwner(status)} is fetching this run: stop it there first.`
    case 'running':
      return 'The run is still going: stop it before deleting it.'
    case 'paused':
      return 'The run is paused, not finished: open it and stop it before deleting it.'
    case 'interrupted':
    case 'suspended':
    case 'completed':
    case 'cancelled':
      return null
    default:
      return assertNever(status, 'run status')
  }
}

/** The status in a few words, for a terminal table: "running elsewhere (process 4242)". */
export function statusText(status: RunStatus): string {
  switch (status.kind) {
    case 'elsewhere':
      return `running elsewhere (${describeOwner(status)})`
    case 'suspended':
      return 'paused'
    case 'running':
    case 'paused':
    case 'interrupted':
    case 'completed':
    case 'cancelled':
      return status.kind
    default:
      return assertNever(status, 'run status')
  }
}
