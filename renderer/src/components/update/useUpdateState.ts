import { useCallback, useEffect, useRef, useState } from 'react'
import type { UpdateState } from '../../../../common/operations'
import { callPosko, useEvent } from '../../api'

/**
 * The updater's state: asked once, then kept current by the `update.state` event. A failed ask leaves it null
 * (the notice is a courtesy; the Diagnostik screen is where IT looks when something is wrong).
 */
export function useUpdateState(): [UpdateState | null, (state: UpdateState) => void] {
  const [state, setState] = useState<UpdateState | null>(null)
  // An event that arrives before the first answer is newer than that answer: the answer must not undo it.
  const heard = useRef(false)
  const onEvent = useCallback((next: UpdateState) => {
    heard.current = true
    setState(next)
  }, [])
  useEvent('update.state', onEvent)
  useEffect(() => {
    let live = true
    void callPosko((posko) => posko.update.state()).then((result) => {
      if (live && result.ok && !heard.current) setState(result.value)
    })
    return () => {
      live = false
    }
  }, [])
  return [state, onEvent]
}
