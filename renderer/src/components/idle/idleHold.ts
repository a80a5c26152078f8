import { useEffect } from 'react'

/**
 * Moments the self-service idle timer must not count (issue 19 point 7): the photo countdown and the check after
 * it, when the applicant stands still on purpose and touches nothing. Any part of the screen may hold the timer;
 * it restarts its wait when the last hold ends (useIdleTimer).
 */
const holds = new Set<symbol>()
const listeners = new Set<() => void>()

export function idleHeld(): boolean {
  return holds.size > 0
}

export function onIdleHoldChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** Holds the idle timer while `active`. */
export function useIdleHold(active: boolean): void {
  useEffect(() => {
    if (!active) return
    const hold = Symbol('idle-hold')
    holds.add(hold)
    for (const l of listeners) l()
    return () => {
      holds.delete(hold)
      for (const l of listeners) l()
    }
  }, [active])
}
