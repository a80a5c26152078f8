import { useCallback, useEffect, useState } from 'react'
import type { PoskoApi } from '../../common/api'
import type { EventName, EventPayload } from '../../common/contract'
import type { PoskoErrorShape, Result } from '../../common/result'

/** The renderer's only way to the kiosk: the bridge the preload (or browser mode) installed. */
export function getPosko(): PoskoApi | null {
  return window.posko ?? null
}

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: PoskoErrorShape }

const noBridge: PoskoErrorShape = { code: 'unavailable', message: 'window.posko is missing' }

/** Runs a typed call on mount (and on `reload`), tracking loading and typed errors. */
export function useCall<T>(call: (posko: PoskoApi) => Promise<Result<T>>): [Loadable<T>, () => void, (v: T) => void] {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    const posko = getPosko()
    if (!posko) {
      setState({ status: 'error', error: noBridge })
      return
    }
    call(posko)
      .then((result) => {
        if (!live) return
        setState(result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error })
      })
      .catch((error: unknown) => {
        if (live) setState({ status: 'error', error: { code: 'internal', message: String(error) } })
      })
    return () => {
      live = false
    }
    // `call` is expected to be stable per screen; `tick` re-runs it.
  }, [tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const set = useCallback((value: T) => setState({ status: 'ready', value }), [])
  return [state, reload, set]
}

/** Subscribes to one kiosk event for the component's lifetime. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  useEffect(() => {
    const posko = getPosko()
    return posko ? posko.on(event, listener) : undefined
  }, [event, listener])
}
