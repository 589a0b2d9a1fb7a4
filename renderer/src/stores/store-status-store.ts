import { create } from 'zustand'
import type { CrawlerApi, StoreStatus } from '../../../shared/api.ts'

/**
 * Whether the host records runs in its database. Asked once at start (and after a reconnect);
 * when the database could not be opened, the app says so from every view until a fresh one is
 * started, since runs are then kept in memory only and vanish when the app closes.
 */
export interface StoreStatusState {
  readonly status: StoreStatus | null
  /** A fresh database is being started. */
  readonly starting: boolean
  /** Why asking or starting fresh failed (the host's message). */
  readonly error: string | null
  /** The person closed the "old database kept" notice. */
  readonly dismissed: boolean
}

export const useStoreStatus = create<StoreStatusState>()(() => ({
  status: null,
  starting: false,
  error: null,
  dismissed: false
}))

export async function loadStoreStatus(api: Pick<CrawlerApi, 'getStoreStatus'>): Promise<void> {
  try {
    const status = await api.getStoreStatus()
    // A 'replaced' notice already dismissed stays dismissed when the same answer comes again.
    const prev = useStoreStatus.getState().status
    const same = prev?.kind === status.kind && prev.path === status.path
    useStoreStatus.setState({ status, error: null, ...(same ? {} : { dismissed: false }) })
  } catch (error) {
    useStoreStatus.setState({ error: `Could not ask whether runs are recorded: ${errorText(error)}` })
  }
}

/** Moves the unusable database aside (kept) and records runs in a fresh one; true when it did. */
export async function startFreshStore(api: Pick<CrawlerApi, 'startFreshStore'>): Promise<boolean> {
  if (useStoreStatus.getState().starting) return false
  useStoreStatus.setState({ starting: true, error: null })
  try {
    const status = await api.startFreshStore()
    useStoreStatus.setState({ status, starting: false, dismissed: false })
    return status.kind !== 'unavailable'
  } catch (error) {
    useStoreStatus.setState({
      starting: false,
      error: `A fresh database could not be started: ${errorText(error)}`
    })
    return false
  }
}

export function dismissStoreNotice(): void {
  useStoreStatus.setState({ dismissed: true, error: null })
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
