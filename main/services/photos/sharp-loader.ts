import type SharpModule from 'sharp'
import { DomainError } from '../../../common/result'
import { moduleRequire } from './load-module'

export type Sharp = typeof SharpModule
/** Returns the sharp module, or throws what loading it threw. */
export type SharpLoader = () => Sharp

/** `details.reason` of the 'unavailable' error photos answer when sharp can't load; the photo step names it. */
export const PHOTO_ENGINE_MISSING = 'photo_engine_missing'

/**
 * sharp is loaded on first use, not when main's bundle loads: its addon dlopens libvips, and a libvips that can't
 * be found (left inside app.asar, a wrong-architecture package, a missing system library) would otherwise throw
 * while main starts and take the whole kiosk down. This way photos answer DomainError('unavailable') with reason
 * PHOTO_ENGINE_MISSING and registration, search and uploads keep working. A failure isn't remembered: each photo
 * tries again (Node doesn't cache a module that failed to load), so a repaired install needs no restart.
 */
export function lazySharp(load: SharpLoader = () => moduleRequire()('sharp') as Sharp): () => Sharp {
  let sharp: Sharp | undefined
  return () => {
    if (sharp) return sharp
    try {
      sharp = load()
    } catch (error) {
      throw new DomainError('unavailable', `image library sharp could not be loaded: ${String(error)}`, { reason: PHOTO_ENGINE_MISSING })
    }
    return sharp
  }
}
