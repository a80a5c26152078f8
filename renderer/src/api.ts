import { useCallback, useEffect, useRef, useState } from 'react'
import type { PoskoApi } from '../../common/api'
import type { EventName, EventPayload } from '../../common/contract'
import { channels } from '../../common/contract'
import type { ErrorCode, PoskoErrorShape, Result } from '../../common/result'

/**
 * What a screen can't fix by itself: nobody is signed in, or the session locked while it was working. The app's
 * session gate listens and brings the sign-in or lock screen, so no screen has to know about sessions.
 */
export type SessionTrouble = Extract<ErrorCode, 'unauthenticated' | 'session_locked'>
type TroubleListener = (trouble: SessionTrouble) => void
const troubleListeners = new Set<TroubleListener>()

export function onSessionTrouble(listener: TroubleListener): () => void {
  troubleListeners.add(listener)
  return () => void troubleListeners.delete(listener)
}

/**
 * The same operator unlocked: whatever a screen failed to load while the lock was up can simply be asked again.
 */
const resumeListeners = new Set<() => void>()

export function announceSessionResumed(): void {
  for (const listener of resumeListeners) listener()
}

type AnyMethod = (input?: unknown) => Promise<Result<unknown>>

/** The bridge with every method wrapped to report session trouble; built once per bridge object. */
function guard(raw: PoskoApi): PoskoApi {
  const source = raw as unknown as Record<string, Record<string, AnyMethod>>
  const groups: Record<string, Record<string, AnyMethod>> = {}
  for (const channel of channels) {
    const [group, method] = channel.split('.') as [string, string]
    const call = source[group]?.[method]
    if (!call) continue
    groups[group] ??= {}
    groups[group][method] = async (input?: unknown) => {
      const result = await call(input)
      if (!result.ok && (result.error.code === 'unauthenticated' || result.error.code === 'session_locked')) {
        for (const listener of troubleListeners) listener(result.error.code)
      }
      return result
    }
  }
  return Object.freeze({ ...groups, on: raw.on }) as unknown as PoskoApi
}

const guarded = new WeakMap<PoskoApi, PoskoApi>()

/** The renderer's only way to the kiosk: the bridge the preload (or browser mode) installed. */
export function getPosko(): PoskoApi | null {
  const raw = window.posko
  if (!raw) return null
  let api = guarded.get(raw)
  if (!api) {
    api = guard(raw)
    guarded.set(raw, api)
  }
  return api
}

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: PoskoErrorShape }

export const noBridge: PoskoErrorShape = { code: 'unavailable', message: 'window.posko is missing' }

/** A rejected promise (a broken transport) as the same typed failure every other error is. */
export function asFailure(error: unknown): { ok: false; error: PoskoErrorShape } {
  return { ok: false, error: { code: 'internal', message: String(error) } }
}

/** One call through the guarded bridge, never throwing: a missing bridge or a broken transport is a typed error. */
export async function callPosko<T>(call: (posko: PoskoApi) => Promise<Result<T>>): Promise<Result<T>> {
  const posko = getPosko()
  if (!posko) return { ok: false, error: noBridge }
  return call(posko).catch(asFailure)
}

/** Runs a typed call on mount (and on `reload`), tracking loading and typed errors. */
export function useCall<T>(call: (posko: PoskoApi) => Promise<Result<T>>): [Loadable<T>, () => void, (v: T) => void] {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    void callPosko(call).then((result) => {
      if (!live) return
      setState(result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error })
    })
    return () => {
      live = false
    }
    // `call` is expected to be stable per screen; `tick` re-runs it.
  }, [tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const set = useCallback((value: T) => setState({ status: 'ready', value }), [])
  // A screen refused because the session had locked shows that refusal only until the PIN is back.
  const current = useRef(state)
  current.current = state
  useEffect(() => {
    const listener = () => {
      if (current.current.status === 'error' && current.current.error.code === 'session_locked') reload()
    }
    resumeListeners.add(listener)
    return () => void resumeListeners.delete(listener)
  }, [reload])
  return [state, reload, set]
}

/** Subscribes to one kiosk event for the component's lifetime. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  useEffect(() => {
    const posko = getPosko()
    return posko ? posko.on(event, listener) : undefined
  }, [event, listener])
}
