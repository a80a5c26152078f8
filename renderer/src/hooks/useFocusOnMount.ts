import type { RefObject } from 'react'
import { useEffect } from 'react'

/** Moves focus to a screen's heading when it opens, so screen readers announce where the person now is. */
export function useFocusOnMount(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    ref.current?.focus()
  }, [ref])
}
