import { useEffect, useRef } from 'react'

/** Taps on the post name that open the staff sign-in, and the time they must fall within. */
export const GESTURE_TAPS = 5
export const GESTURE_WINDOW_MS = 3000

/**
 * Staff reach their sign-in on a self-service kiosk without a button an applicant would press: Ctrl+Shift+S on a
 * keyboard, or five quick taps on the post name in the header. Returns the tap handler for the post name.
 */
export function useSupervisorGesture(onOpen: () => void): () => void {
  const taps = useRef<number[]>([])
  const open = useRef(onOpen)
  useEffect(() => {
    open.current = onOpen
  })

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.shiftKey && !event.altKey && event.code === 'KeyS') {
        event.preventDefault()
        open.current()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  return () => {
    const now = Date.now()
    const recent = [...taps.current.filter((at) => now - at < GESTURE_WINDOW_MS), now]
    taps.current = recent.length >= GESTURE_TAPS ? [] : recent
    if (recent.length >= GESTURE_TAPS) open.current()
  }
}
