import { useCallback, useEffect, useRef } from 'react'
import type { SessionState } from '../../../common/staff'
import type { Loadable } from '../api'
import { announceSessionResumed, callPosko, onSessionTrouble, useCall, useEvent } from '../api'

/**
 * The session as the kiosk knows it: read once, then followed through `session.changed` (sign-in elsewhere in the
 * app, the auto-lock timer). A call refused with `unauthenticated` or `session_locked` means the renderer's
 * picture is stale, so the kiosk is asked again rather than guessed from the error.
 */
export function useSession(): [Loadable<SessionState>, () => void, (state: SessionState) => void] {
  const [session, reload, setSession] = useCall((posko) => posko.session.state())
  useEvent(
    'session.changed',
    useCallback((next: SessionState) => setSession(next), [setSession]),
  )
  const previous = useRef<SessionState['status'] | null>(null)
  useEffect(() => {
    const status = session.status === 'ready' ? session.value.status : null
    if (previous.current === 'locked' && status === 'active') announceSessionResumed()
    previous.current = status
  }, [session])
  const asking = useRef(false)
  useEffect(
    () =>
      onSessionTrouble(() => {
        // Several screens may be refused at once; one question answers them all.
        if (asking.current) return
        asking.current = true
        void callPosko((posko) => posko.session.state()).then((result) => {
          asking.current = false
          if (result.ok) setSession(result.value)
        })
      }),
    [setSession],
  )
  return [session, reload, setSession]
}

/** At most one `session.touch` per this interval: enough to keep a 5-minute auto-lock away while someone types. */
export const TOUCH_INTERVAL_MS = 30_000

/**
 * The kiosk locks after a few idle minutes, but it only sees calls, not keystrokes: typing a long form would look
 * idle. Key presses and taps anywhere count as activity, throttled so typing costs one call per half-minute.
 */
export function useActivityTouch(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return
    let last = Date.now()
    const onInput = () => {
      const now = Date.now()
      if (now - last < TOUCH_INTERVAL_MS) return
      last = now
      void callPosko((posko) => posko.session.touch())
    }
    const options = { capture: true, passive: true } as const
    document.addEventListener('keydown', onInput, options)
    document.addEventListener('pointerdown', onInput, options)
    return () => {
      document.removeEventListener('keydown', onInput, options)
      document.removeEventListener('pointerdown', onInput, options)
    }
  }, [enabled])
}
