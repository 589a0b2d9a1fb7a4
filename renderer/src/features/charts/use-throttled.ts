import { useEffect, useRef, useState } from 'react'

/**
 * Redraw interval of every chart. The shell may hand new data 10×/s; recharts redraws every vertex
 * of every series each time, and at 4 Hz a live chart still reads as live while the renderer keeps
 * most frames free for the table and input.
 */
export const CHART_REDRAW_MS = 250

/**
 * Chart redraws waiting for a frame, one applied per animation frame. The charts all receive new
 * data from the same store update; drawn together, seven recharts trees made one long task per tick
 * (measured during a real 20,000-URL demo run: p95 frame 116 ms, longest task ~1 s on a busy
 * 2-core machine). One chart a frame keeps each frame's work to a single chart's redraw; at ~7
 * charts × 4 Hz that is well inside 60 frames a second. Keyed per hook, so a chart whose redraw
 * is still waiting just gets the newer value.
 */
const pending = new Map<object, () => void>()
let pumping = false

function pump(): void {
  const next = pending.entries().next()
  if (next.done === true) {
    pumping = false
    return
  }
  const [key, apply] = next.value
  pending.delete(key)
  apply()
  requestAnimationFrame(pump)
}

function enqueue(key: object, apply: () => void): void {
  pending.set(key, apply)
  if (typeof requestAnimationFrame !== 'function') {
    pending.delete(key)
    apply()
    return
  }
  if (!pumping) {
    pumping = true
    requestAnimationFrame(pump)
  }
}

/**
 * `value`, updated at most once per `ms` and always to the latest value (trailing edge), each
 * update in a frame of its own (see `pending`). The first value shows at once; the state only
 * changes from a timer or a frame callback, never during render or the effect.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value)
  const last = useRef(0)
  const [key] = useState<object>(() => ({}))
  useEffect(() => {
    if (Object.is(value, shown)) return
    const wait = Math.max(0, last.current + ms - Date.now())
    const timer = setTimeout(() => {
      enqueue(key, () => {
        last.current = Date.now()
        setShown(() => value)
      })
    }, wait)
    return () => {
      clearTimeout(timer)
      pending.delete(key)
    }
  }, [value, ms, shown, key])
  return shown
}
