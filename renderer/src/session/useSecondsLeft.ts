import { useEffect, useState } from 'react'

/**
 * Whole seconds left until `until` (ms since epoch), ticking down on screen; 0 when there is nothing to wait for.
 * Read from the clock at render time, so the first render after a new deadline is already right.
 */
export function useSecondsLeft(until: number | null): number {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (until === null) return
    // A quarter-second tick keeps the shown number within a blink of the truth.
    const timer = setInterval(() => {
      setTick((n) => n + 1)
      if (Date.now() >= until) clearInterval(timer)
    }, 250)
    return () => clearInterval(timer)
  }, [until])
  return until === null ? 0 : Math.max(0, Math.ceil((until - Date.now()) / 1000))
}
