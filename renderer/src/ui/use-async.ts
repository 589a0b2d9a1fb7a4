import { useCallback, useEffect, useState } from 'react'

export interface AsyncState<T> {
  /** The latest value; while a reload runs this is the previous one (no flash of empty state). */
  readonly value: T | undefined
  /** The failure of the current load, if it failed. */
  readonly error: string | null
  /** True until the current `load` (or a retry) has answered. */
  readonly loading: boolean
  readonly retry: () => void
}

interface Settled<T> {
  readonly load: (() => Promise<T>) | null
  readonly attempt: number
  readonly value: T | undefined
  readonly error: string | null
}

/**
 * Runs `load` (memoise it with useCallback; a new function means a new load) and keeps its answer.
 * An answer to a superseded load is dropped. State is only set from the promise, never during the
 * effect itself, so a load never renders twice.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncState<T> {
  const [attempt, setAttempt] = useState(0)
  const [settled, setSettled] = useState<Settled<T>>({
    load: null,
    attempt: -1,
    value: undefined,
    error: null
  })
  useEffect(() => {
    let cancelled = false
    load().then(
      (value) => {
        if (!cancelled) setSettled({ load, attempt, value, error: null })
      },
      (err: unknown) => {
        if (cancelled) return
        const error = err instanceof Error ? err.message : String(err)
        setSettled((prev) => ({ load, attempt, value: prev.value, error }))
      }
    )
    return () => {
      cancelled = true
    }
  }, [load, attempt])
  const retry = useCallback(() => {
    setAttempt((n) => n + 1)
  }, [])
  const current = settled.load === load && settled.attempt === attempt
  return { value: settled.value, error: current ? settled.error : null, loading: !current, retry }
}
