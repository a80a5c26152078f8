import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * "3, 2, 1, click": gives the applicant time to look at the camera after staff press the button (or Space).
 * `left` is the number showing, null when idle. `onDone` is read at the end, so the latest one runs.
 */
export function useShutterCountdown(seconds: number, onDone: () => void): { left: number | null; start: () => void; cancel: () => void } {
  const [left, setLeft] = useState<number | null>(null)
  const done = useRef(onDone)
  useEffect(() => {
    done.current = onDone
  })

  useEffect(() => {
    if (left === null) return
    const timer = window.setTimeout(() => {
      if (left > 1) return setLeft(left - 1)
      setLeft(null)
      done.current()
    }, 1000)
    return () => window.clearTimeout(timer)
  }, [left])

  const start = useCallback(() => setLeft((current) => current ?? seconds), [seconds])
  const cancel = useCallback(() => setLeft(null), [])
  return { left, start, cancel }
}
