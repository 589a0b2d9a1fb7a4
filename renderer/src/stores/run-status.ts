import { RUN_STATUS_LABELS, type RunStatus } from '../../../shared/run-status.ts'

/**
 * What a run's badge says. The status union (shared/run-status.ts) says who drives the run; the
 * one thing the dashboard adds is "Starting", before the first snapshot arrives.
 */
export {
  canResume,
  deleteBlockedReason,
  isDrivenHere,
  RUN_STATUS_LABELS,
  type RunStatus,
  type RunStatusKind
} from '../../../shared/run-status.ts'

export type RunBadge = RunStatus['kind'] | 'starting'

export const RUN_BADGE_LABELS: Readonly<Record<RunBadge, string>> = {
  starting: 'Starting',
  ...RUN_STATUS_LABELS
}

export function runBadge(status: RunStatus | null): RunBadge {
  return status === null ? 'starting' : status.kind
}
