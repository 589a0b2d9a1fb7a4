import { Text } from '@codemirror/state'
import { create } from 'zustand'
import { MAX_URL_DRAFT_CHARS, type CrawlerApi } from '../../../shared/api.ts'

/**
 * The URL list being set up (the draft), apart from the settings: it can hold 100,000 lines and
 * more. It is kept as CodeMirror's `Text` (an immutable tree of lines), so an edit makes a new
 * document in about the time of one line, and nothing turns the whole list into one string until
 * it is checked, saved or sent. Loaded from and saved to the host's draft file (debounced).
 */

export interface UrlDraftState {
  readonly loaded: boolean
  readonly doc: Text
  /** True once the person changed the list (a late load must not replace what they typed). */
  readonly edited: boolean
  /** Counts replacements of the whole list (a file, the demo URLs, Clear, the saved list loading). */
  readonly replacedAt: number
  readonly saveError: string | null
}

export const useUrlDraftStore = create<UrlDraftState>()(() => ({
  loaded: false,
  doc: Text.empty,
  edited: false,
  replacedAt: 0,
  saveError: null
}))

/** A document from text, any line ending. */
export function docOf(text: string): Text {
  return text === '' ? Text.empty : Text.of(text.split(/\r\n?|\n/))
}

/** True when the list has nothing but white space (scans only as far as the first character). */
export function isBlankDoc(doc: Text): boolean {
  const iter = doc.iter()
  for (let next = iter.next(); !next.done; next = iter.next()) if (/\S/.test(next.value)) return false
  return true
}

export const urlDraftActions = {
  hydrate(text: string): void {
    const s = useUrlDraftStore.getState()
    useUrlDraftStore.setState(
      s.edited ? { loaded: true } : { loaded: true, doc: docOf(text), replacedAt: s.replacedAt + 1 }
    )
  },
  loadFailed(): void {
    useUrlDraftStore.setState({ loaded: true })
  },
  setText(text: string): void {
    const replacedAt = useUrlDraftStore.getState().replacedAt + 1
    useUrlDraftStore.setState({ doc: docOf(text), edited: true, replacedAt })
  },
  setDoc(doc: Text): void {
    if (doc === useUrlDraftStore.getState().doc) return
    useUrlDraftStore.setState({ doc, edited: true })
  }
}

/** The list as the text a run is started with. */
export function draftText(): string {
  return useUrlDraftStore.getState().doc.toString()
}

/**
 * Saves the draft a moment after the last edit; a long list waits longer (turning 100,000 lines
 * into text and sending it takes tens of milliseconds, not something to do every keystroke).
 * `flush` saves a pending change now; `stop` flushes and stops watching.
 */
export function startUrlDraftAutosave(
  api: Pick<CrawlerApi, 'saveUrlDraft'>,
  delayMs = 800
): { flush: () => void; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = (): void => {
    timer = null
    const state = useUrlDraftStore.getState()
    if (!state.loaded) return
    // A list beyond what the host keeps is not saved (the run can still take it).
    const text = state.doc.length <= MAX_URL_DRAFT_CHARS ? state.doc.toString() : ''
    api.saveUrlDraft(text).then(
      () => {
        if (useUrlDraftStore.getState().saveError !== null) useUrlDraftStore.setState({ saveError: null })
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        useUrlDraftStore.setState({ saveError: `The URL list was not saved: ${message}` })
      }
    )
  }
  const unsubscribe = useUrlDraftStore.subscribe((state, prev) => {
    if (!state.loaded || !prev.loaded || state.doc === prev.doc) return
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(save, state.doc.length < 1_000_000 ? delayMs : delayMs * 2)
  })
  const flush = (): void => {
    if (timer === null) return
    clearTimeout(timer)
    save()
  }
  return {
    flush,
    stop: () => {
      unsubscribe()
      flush()
    }
  }
}
