import { useCallback, useEffect, useRef, useState } from 'react'
import { idleHeld, onIdleHoldChange } from './idleHold'

export interface IdleTimer {
  /** "Masih di sini?" is due: nobody has touched the kiosk for the warning time. */
  warning: boolean
  /** Whole seconds until the reset, while warning. */
  secondsLeft: number
  /** The person answered the warning: the wait starts over. */
  stillHere: () => void
}

const INPUT_EVENTS = ['pointerdown', 'keydown', 'touchstart'] as const

/**
 * A self-service kiosk left alone must forget the person who left it. Armed by the first touch or key after a
 * reset (an untouched welcome screen has nothing to forget), it warns after `warnSeconds` without input and
 * calls `onReset` at `resetSeconds`; not while something holds it (idleHold.ts: the photo countdown). Only setTimeout and Date.now: one timer to the next moment that matters,
 * so a fake clock can drive it, and a suspended machine that wakes late resets at once.
 */
export function useIdleTimer(options: { warnSeconds: number; resetSeconds: number; enabled?: boolean; onReset: () => void }): IdleTimer {
  const enabled = options.enabled ?? true
  const warnMs = options.warnSeconds * 1000
  const resetMs = options.resetSeconds * 1000
  const [warning, setWarning] = useState(false)
  const [secondsLeft, setSecondsLeft] = useState(0)
  // Null while disarmed; else when the kiosk last saw someone.
  const lastInput = useRef<number | null>(null)
  const warned = useRef(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const onReset = useRef(options.onReset)
  useEffect(() => {
    onReset.current = options.onReset
  })

  const check = useCallback(() => {
    clearTimeout(timer.current)
    const since = lastInput.current
    // Held (a photo countdown): nothing counts down until the hold ends, which restarts the wait.
    if (since === null || idleHeld()) return
    const idle = Date.now() - since
    if (idle >= resetMs) {
      lastInput.current = null
      warned.current = false
      setWarning(false)
      onReset.current()
      return
    }
    if (idle < warnMs) {
      timer.current = setTimeout(check, warnMs - idle)
      return
    }
    warned.current = true
    setWarning(true)
    const left = resetMs - idle
    setSecondsLeft(Math.ceil(left / 1000))
    // Next at the moment the shown number changes.
    timer.current = setTimeout(check, left % 1000 || 1000)
  }, [warnMs, resetMs])

  const stillHere = useCallback(() => {
    warned.current = false
    setWarning(false)
    lastInput.current = Date.now()
    check()
  }, [check])

  useEffect(() => {
    if (!enabled) return
    // While warning, only the answer counts: a tap that lands on the warning must not silently undo it.
    const onInput = () => {
      if (warned.current) return
      lastInput.current = Date.now()
      check()
    }
    const listen = { capture: true, passive: true } as const
    for (const name of INPUT_EVENTS) document.addEventListener(name, onInput, listen)
    // A hold that ends counts as the applicant still being there: the wait starts over from then.
    const unhold = onIdleHoldChange(() => {
      if (lastInput.current === null || warned.current) return
      lastInput.current = Date.now()
      check()
    })
    return () => {
      unhold()
      for (const name of INPUT_EVENTS) document.removeEventListener(name, onInput, listen)
      clearTimeout(timer.current)
      lastInput.current = null
    }
  }, [check, enabled])

  return { warning, secondsLeft, stillHere }
}
