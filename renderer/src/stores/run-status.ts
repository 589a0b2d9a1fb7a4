import type { RunInfo } from '../../../shared/api.ts'
import { assertNever, type RunState } from '../../../shared/events.ts'

/**
 * What a run's badge says, from its engine state and who drives it. A run no engine drives any
 * more (the app was killed mid-run) is Interrupted whatever state it was saved in; a run the
 * headless runner is crawling on the same database is Running elsewhere (read-only here).
 */
export type RunBadge =
  'starting' | 'running' | 'paused' | 'interrupted' | 'elsewhere' | 'completed' | 'stopped'

export type RunStatusFacts = Pick<RunInfo, 'state' | 'interrupted' | 'elsewhere'>

export const RUN_BADGE_LABELS: Readonly<Record<RunBadge, string>> = {
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  interrupted: 'Interrupted',
  elsewhere: 'Running elsewhere',
  completed: 'Completed',
  stopped: 'Stopped'
}

export function runBadge(run: RunStatusFacts): RunBadge {
  if (run.elsewhere) return 'elsewhere'
  if (run.interrupted) return 'interrupted'
  return badgeOfState(run.state)
}

function badgeOfState(state: RunState): RunBadge {
  switch (state) {
    case 'idle':
      return 'starting'
    case 'running':
      return 'running'
    case 'paused':
      return 'paused'
    case 'completed':
      return 'completed'
    case 'cancelled':
      return 'stopped'
    default:
      return assertNever(state, 'run state')
  }
}

/** Interrupted runs continue where they stopped; paused ones (this session's or a restored one) go on. */
export function canResume(run: RunStatusFacts): boolean {
  return !run.elsewhere && (run.interrupted || run.state === 'paused')
}

/** An engine here drives it: pausing, live limits and stopping apply. */
export function isDrivenHere(run: RunStatusFacts): boolean {
  return !run.elsewhere && !run.interrupted && (run.state === 'running' || run.state === 'paused')
}

/** Why a run cannot be deleted right now, or null when it can. */
export function deleteBlockedReason(run: RunStatusFacts): string | null {
  if (run.elsewhere) return 'The headless runner is crawling this run: stop it there first.'
  if (run.interrupted) return null
  switch (run.state) {
    case 'idle':
    case 'running':
      return 'The run is still going: stop it before deleting it.'
    case 'paused':
      return 'The run is paused, not finished: open it and stop it before deleting it.'
    case 'completed':
    case 'cancelled':
      return null
    default:
      return assertNever(run.state, 'run state')
  }
}
