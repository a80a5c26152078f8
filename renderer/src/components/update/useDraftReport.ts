import { useEffect } from 'react'
import { callPosko } from '../../api'

/** Fire and forget: a lost report costs at most a delayed update, never the form (the kiosk forgets after 8 h). */
function report(open: boolean): void {
  void callPosko((posko) => posko.registration.draftState({ open }))
}

/**
 * Tells the kiosk whether a registration form holds someone's data, so an update never restarts the app under a
 * person typing (docs/updates.md, "When a kiosk installs"). True from the form's first input; false once it is
 * sent, and whenever the form goes away: leaving the screen, signing out and the self-service idle wipe all
 * unmount it, which runs the cleanup.
 */
export function useDraftReport(open: boolean): void {
  useEffect(() => {
    if (!open) return
    report(true)
    // A reload or a closed window runs no React cleanup; pagehide is the last chance to say so.
    const onPageHide = () => report(false)
    window.addEventListener('pagehide', onPageHide)
    return () => {
      window.removeEventListener('pagehide', onPageHide)
      report(false)
    }
  }, [open])
}
