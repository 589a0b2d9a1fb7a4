import type { Text } from '@codemirror/state'
import { useEffect, useState } from 'react'
import type { UrlCheck, UrlCheckRequest, UrlCheckResponse } from './url-check.ts'

/**
 * Checks the URL list in a Web Worker a moment after typing stops, for the latest text only: a
 * newer list cancels the check of an older one (the worker is ended and a fresh one started), so
 * an answer always describes the document on screen, and a keystroke never waits for a parse.
 */

export interface UrlCheckState {
  /** The check of `checkedDoc`; null before the first. */
  readonly check: UrlCheck | null
  readonly checkedDoc: Text | null
  /** Why the last check failed, if it did. */
  readonly error: string | null
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

export function useUrlCheck(doc: Text): UrlCheckState & { readonly pending: boolean } {
  const [checker] = useState(() => new UrlChecker())
  const [state, setState] = useState<UrlCheckState>({ check: null, checkedDoc: null, error: null })
  useEffect(() => {
    let live = true
    const timer = setTimeout(() => {
      void checker.check(doc.toString()).then((response) => {
        if (!live) return
        setState((prev) =>
          response.ok
            ? { check: response.check, checkedDoc: doc, error: null }
            : { check: prev.check, checkedDoc: doc, error: response.message }
        )
      })
    }, delayFor(doc.length))
    return () => {
      live = false
      clearTimeout(timer)
      checker.cancel()
    }
  }, [checker, doc])
  return { ...state, pending: state.checkedDoc !== doc }
}
