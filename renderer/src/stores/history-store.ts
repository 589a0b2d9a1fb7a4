import { create } from 'zustand'
import type { CrawlerApi, RunInfo } from '../../../shared/api.ts'

/** The list of runs for the History view; loaded on demand (a later issue adds persistence). */
export interface HistoryState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error'
  readonly runs: readonly RunInfo[]
  readonly error: string | null
}

export const useHistoryStore = create<HistoryState>()(() => ({ status: 'idle', runs: [], error: null }))

let loading: Promise<void> | null = null

/** Loads the run list; a reload keeps showing the previous list until the new one arrives. */
export function loadHistory(api: Pick<CrawlerApi, 'listRuns'>): Promise<void> {
  if (loading) return loading
  const hadRuns = useHistoryStore.getState().status === 'ready'
  if (!hadRuns) useHistoryStore.setState({ status: 'loading', error: null })
  loading = api
    .listRuns()
    .then(
      (runs) => {
        // Newest first.
        const sorted = [...runs].sort((a, b) => b.createdAt - a.createdAt)
        useHistoryStore.setState({ status: 'ready', runs: sorted, error: null })
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        useHistoryStore.setState({ status: 'error', error: `Could not list runs: ${message}` })
      }
    )
    .finally(() => {
      loading = null
    })
  return loading
}
