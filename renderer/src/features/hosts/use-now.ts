import { useEffect, useState } from 'react'

/** The current time, ticking each second while `on` (for countdowns). */
export function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!on) return
    const tick = (): void => {
      setNow(Date.now())
    }
    // At once too (next task): the mount-time clock can be long stale when the first pause shows
    // up, and a 30 s Retry-After would read "in 31 s" or more until the first tick.
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, 1_000)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [on])
  return now
}
