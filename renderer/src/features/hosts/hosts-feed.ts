import { create } from 'zustand'
import type { HostRow } from '../../../../shared/api.ts'

/**
 * The latest hosts view answer of the open run, as the hosts panel polled it: the sentence on why
 * in flight is below the limit reads the same rows, so the run is asked once a second, not twice.
 */
export interface HostsFeed {
  readonly runId: string | null
  readonly rows: readonly HostRow[] | undefined
  /** Date.now() when the rows arrived. */
  readonly at: number
  readonly publish: (runId: string, rows: readonly HostRow[] | undefined) => void
}

export const useHostsFeed = create<HostsFeed>()((set) => ({
  runId: null,
  rows: undefined,
  at: 0,
  publish: (runId, rows) => {
    set({ runId, rows, at: Date.now() })
  }
}))
