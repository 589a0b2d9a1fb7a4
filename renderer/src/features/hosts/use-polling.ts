import { useEffect, useState } from 'react'

export interface PollState<T> {
  /** The latest answer (kept while the next one is asked for). */
  readonly value: T | undefined
  readonly error: string | null
}

/**
 * Calls `load` once at once, then again `intervalMs` after each answer while `live` is true and
 * the page is visible: a hidden window or a finished run costs the host nothing. One call at a
 * time (a slow answer delays the next, never stacks them). A new `load` (memoise it) starts over.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, live: boolean): PollState<T> {
  const [state, setState] = useState<PollState<T>>({ value: undefined, error: null })
  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | null = null
    let inFlight = false
    const visible = (): boolean => document.visibilityState !== 'hidden'
    const schedule = (): void => {
      if (cancelled || !live || !visible() || timer !== null || inFlight) return
      timer = setTimeout(tick, intervalMs)
    }
    const tick = (): void => {
      timer = null
      if (cancelled) return
      inFlight = true
      load().then(
        (value) => {
          inFlight = false
          if (cancelled) return
          setState({ value, error: null })
          schedule()
        },
        (error: unknown) => {
          inFlight = false
          if (cancelled) return
          const message = error instanceof Error ? error.message : String(error)
          setState((prev) => ({ value: prev.value, error: message }))
          schedule()
        }
      )
    }
    const onVisibility = (): void => {
      if (!visible()) {
        if (timer !== null) clearTimeout(timer)
        timer = null
        return
      }
      // Back in view: refresh now rather than show figures as old as the time away.
      if (live && timer === null && !inFlight) tick()
    }
    tick()
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      cancelled = true
      if (timer !== null) clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [load, intervalMs, live])
  return state
}
