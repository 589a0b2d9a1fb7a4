import type { Text } from '@codemirror/state'
import { useEffect, useState } from 'react'
import { isBlankDoc, useUrlDraftStore } from '../../stores/url-draft-store.ts'
import type { UrlCheck, UrlCheckRequest, UrlCheckResponse } from './url-check.ts'

/**
 * Checks the URL list in a Web Worker a moment after typing stops, for the latest text only: a
 * newer list cancels the check of an older one (the worker is ended and a fresh one started), so
 * an answer always describes the document on screen, and a keystroke never waits for a parse.
 */

export interface UrlCheckState {
  /** The check of the list as it was when last checked; null before the first. */
  readonly check: UrlCheck | null
  /** True while the list on screen differs from the one `check` describes. */
  readonly pending: boolean
  /** Why the last check failed, if it did. */
  readonly error: string | null
  /** False while the list has nothing but white space. */
  readonly hasText: boolean
  readonly lines: number
}

class UrlChecker {
  private worker: Worker | null = null
  private nextId = 1
  private waiting: { id: number; resolve: (r: UrlCheckResponse) => void } | null = null

  check(text: string): Promise<UrlCheckResponse> {
    this.cancel()
    const worker = (this.worker ??= this.start())
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting = { id, resolve }
      const request: UrlCheckRequest = { id, text }
      worker.postMessage(request)
    })
  }

  /** Drops the check in progress: its worker is ended (it may be mid-parse) and never answers. */
  cancel(): void {
    if (this.waiting === null) return
    this.waiting = null
    this.worker?.terminate()
    this.worker = null
  }

  private start(): Worker {
    const worker = new Worker(new URL('./url-check.worker.ts', import.meta.url), { type: 'module' })
    worker.addEventListener('message', (event: MessageEvent<UrlCheckResponse>) => {
      const waiting = this.waiting
      if (waiting?.id !== event.data.id) return
      this.waiting = null
      waiting.resolve(event.data)
    })
    worker.addEventListener('error', (event) => {
      const waiting = this.waiting
      if (waiting === null) return
      this.waiting = null
      this.worker = null
      worker.terminate()
      waiting.resolve({ id: waiting.id, ok: false, message: event.message || 'the checker stopped' })
    })
    return worker
  }
}

/** Debounce: longer lists wait longer after the last edit (a million lines parse in about a second). */
function delayFor(length: number): number {
  return length < 50_000 ? 150 : length < 2_000_000 ? 300 : 600
}

/**
 * Watches the draft store outside React: a keystroke re-renders nothing here; the state changes
 * only when a check answers, when the list turns blank or not, gains or loses a line, or starts
 * to differ from the last check.
 */
export function useUrlCheck(): UrlCheckState {
  const [state, setState] = useState<UrlCheckState>(() => {
    const doc = useUrlDraftStore.getState().doc
    return { check: null, pending: true, error: null, hasText: !isBlankDoc(doc), lines: doc.lines }
  })
  useEffect(() => {
    const checker = new UrlChecker()
    let timer: ReturnType<typeof setTimeout> | null = null
    let checked: Text | null = null
    const schedule = (doc: Text, immediate: boolean): void => {
      if (timer !== null) clearTimeout(timer)
      checker.cancel()
      timer = setTimeout(
        () => {
          timer = null
          void checker.check(doc.toString()).then((response) => {
            // Only the latest list's answer arrives (a newer one cancels the check), but be sure.
            if (useUrlDraftStore.getState().doc !== doc) return
            checked = doc
            setState((prev) =>
              response.ok
                ? { ...prev, check: response.check, pending: false, error: null }
                : { ...prev, pending: false, error: response.message }
            )
          })
        },
        immediate ? 0 : delayFor(doc.length)
      )
    }
    const changed = (doc: Text, immediate: boolean): void => {
      const hasText = !isBlankDoc(doc)
      const pending = doc !== checked
      setState((prev) =>
        prev.hasText === hasText && prev.lines === doc.lines && prev.pending === pending
          ? prev
          : { ...prev, hasText, lines: doc.lines, pending }
      )
      schedule(doc, immediate)
    }
    changed(useUrlDraftStore.getState().doc, true)
    const unsubscribe = useUrlDraftStore.subscribe((s, prev) => {
      // A list replaced at once (a file, the demo URLs) is checked at once; typing is debounced.
      if (s.doc !== prev.doc) changed(s.doc, s.replacedAt !== prev.replacedAt)
    })
    return () => {
      unsubscribe()
      if (timer !== null) clearTimeout(timer)
      checker.cancel()
    }
  }, [])
  return state
}
