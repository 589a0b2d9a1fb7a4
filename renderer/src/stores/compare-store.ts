import { create } from 'zustand'
import { navigate } from '../app/view-store.ts'

/**
 * Which two runs the Compare view shows. Any view may open a comparison (History picks two runs,
 * or one run to compare with the next it is paired with); the Compare view's pickers change it.
 * Kept in sessionStorage, as the view is, so a reload shows the same comparison.
 */
export interface CompareState {
  readonly baseRunId: string | null
  readonly otherRunId: string | null
}

const KEY = 'crawlboard.compare'

function storedPair(): CompareState {
  try {
    const raw = sessionStorage.getItem(KEY)
    if (raw === null) return { baseRunId: null, otherRunId: null }
    const parsed = JSON.parse(raw) as Partial<Record<keyof CompareState, unknown>>
    const pick = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
    return { baseRunId: pick(parsed.baseRunId), otherRunId: pick(parsed.otherRunId) }
  } catch {
    return { baseRunId: null, otherRunId: null }
  }
}

export const useCompareStore = create<CompareState>()(() => storedPair())

/** Sets the pair (either may be null while a picker is empty) and remembers it for a reload. */
export function setComparePair(baseRunId: string | null, otherRunId: string | null): void {
  useCompareStore.setState({ baseRunId, otherRunId })
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ baseRunId, otherRunId }))
  } catch {
    // Not remembering the pair across reloads is fine.
  }
}

/**
 * Opens the Compare view on `baseRunId`. Without `otherRunId` the other picker keeps its run
 * unless that is the base itself (then it is cleared, for the person to pick).
 */
export function openCompare(baseRunId: string, otherRunId?: string): void {
  const current = useCompareStore.getState().otherRunId
  const other = otherRunId ?? (current === baseRunId ? null : current)
  setComparePair(baseRunId, other)
  navigate('compare')
}
