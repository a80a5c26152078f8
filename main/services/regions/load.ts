import { readFileSync } from 'node:fs'
import type { RegionIndex } from '../../../common/regions'
import { createRegionIndex, RegionData } from '../../../common/regions'

const cache = new Map<string, RegionIndex>()

/**
 * Loads the compiled region file once per process: it is ~2 MB and 90,000 entries, so every kiosk (and every
 * test kiosk) shares one parsed index. The file is validated, since it sits outside the asar where it can be altered.
 */
export function loadRegionIndex(file: string): RegionIndex {
  const cached = cache.get(file)
  if (cached) return cached
  const index = createRegionIndex(RegionData.parse(JSON.parse(readFileSync(file, 'utf8'))))
  cache.set(file, index)
  return index
}

/** The same index, loaded the first time any of its methods is called. */
export function lazyRegionIndex(file: string): RegionIndex {
  let index: RegionIndex | undefined
  const get = () => (index ??= loadRegionIndex(file))
  return new Proxy({} as RegionIndex, {
    get: (_target, property) => {
      const value = Reflect.get(get(), property) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(get()) : value
    },
  })
}
