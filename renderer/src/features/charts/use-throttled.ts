import { useEffect, useRef, useState } from 'react'

/**
 * Redraw interval of every chart. The shell may hand new data 10×/s; recharts redraws every vertex
 * of every series each time, and at 4 Hz a live chart still reads as live while the renderer keeps
 * most frames free for the table and input (the bench targets p95 frame time ≤ 33 ms).
 */
export const CHART_REDRAW_MS = 250

/**
 * `value`, updated at most once per `ms` and always to the latest value (trailing edge). The first
 * value shows at once; the state only changes from a timer, never during render or the effect.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value)
  const last = useRef(0)
  useEffect(() => {
    if (Object.is(value, shown)) return
    const wait = Math.max(0, last.current + ms - Date.now())
    const timer = setTimeout(() => {
      last.current = Date.now()
      setShown(() => value)
    }, wait)
    return () => {
      clearTimeout(timer)
    }
  }, [value, ms, shown])
  return shown
}
