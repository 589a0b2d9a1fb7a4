import { create } from 'zustand'
import type { ErrorCode } from '../../../shared/errors.ts'

/** Which screen is showing. Kept in sessionStorage so a reload lands where the person was. */
export type View = 'setup' | 'dashboard' | 'results' | 'history' | 'compare'
export type Outcome = 'all' | 'ok' | 'failed'

export const VIEWS: readonly { readonly id: View; readonly label: string }[] = [
  { id: 'setup', label: 'Setup' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'results', label: 'Results' },
  { id: 'history', label: 'History' },
  { id: 'compare', label: 'Compare' }
]

const KEY = 'crawlboard.view'

function storedView(): View | null {
  try {
    const v = sessionStorage.getItem(KEY)
    return VIEWS.some((x) => x.id === v) ? (v as View) : null
  } catch {
    return null
  }
}

export interface ViewState {
  readonly view: View
  /** Whether the view came from this session (a reload) rather than the default. */
  readonly restored: boolean
  /** The outcome filter the Results view opens with. */
  readonly outcome: Outcome
  /** Error codes the Results view opens filtered by (a failure group picked on the dashboard). */
  readonly errorCodes: readonly ErrorCode[]
}

const restoredView = storedView()

export const useViewStore = create<ViewState>()(() => ({
  view: restoredView ?? 'setup',
  restored: restoredView !== null,
  outcome: 'all',
  errorCodes: []
}))

export function navigate(view: View, outcome: Outcome = 'all', errorCodes: readonly ErrorCode[] = []): void {
  useViewStore.setState({ view, outcome, errorCodes, restored: true })
  try {
    sessionStorage.setItem(KEY, view)
  } catch {
    // Not remembering the view across reloads is fine.
  }
}
