import { useEffect, useState } from 'react'
import type { RegionItem } from '../../common/records'
import type { Result } from '../../common/result'
import type { Loadable } from './api'
import { getPosko } from './api'

/**
 * Region lists never change while the kiosk runs, and the same lists are asked for by the NIK step, the
 * address pickers and the review: one request per parent, shared. Failures are not kept, so a retry asks again.
 */
const cache = new Map<string, Promise<Result<{ items: RegionItem[] }>>>()

export function loadRegionChildren(parent: string | null): Promise<Result<{ items: RegionItem[] }>> {
  const key = parent ?? ''
  const cached = cache.get(key)
  if (cached) return cached
  const posko = getPosko()
  const request: Promise<Result<{ items: RegionItem[] }>> = posko
    ? posko.regions.children({ parent }).catch((error: unknown) => ({ ok: false, error: { code: 'internal', message: String(error) } }))
    : Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'window.posko is missing' } })
  cache.set(key, request)
  void request.then((result) => {
    if (!result.ok) cache.delete(key)
  })
  return request
}

/** The children of `parent` (null: provinces), or nothing while `enabled` is false (no parent chosen yet). */
export function useRegionChildren(parent: string | null, enabled = true): [Loadable<RegionItem[]>, () => void] {
  const [state, setState] = useState<Loadable<RegionItem[]>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (!enabled) return
    let live = true
    setState({ status: 'loading' })
    void loadRegionChildren(parent).then((result) => {
      if (live) setState(result.ok ? { status: 'ready', value: result.value.items } : { status: 'error', error: result.error })
    })
    return () => {
      live = false
    }
  }, [parent, enabled, tick])
  return [state, () => setTick((t) => t + 1)]
}

/** The display name of one region code ("35.78" → "Kota Surabaya"), or the code itself until it is known. */
export function useRegionName(code: string): string {
  const parent = code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : null
  const [children] = useRegionChildren(parent, code !== '')
  if (children.status !== 'ready') return code
  return children.value.find((item) => item.code === code)?.name ?? code
}
