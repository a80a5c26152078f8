import { readFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultPhotoThresholds } from '../../common/photo-thresholds'
import { DomainError } from '../../common/result'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { PHOTO_ENGINE_MISSING, lazySharp, processPhoto } from '../../main/services/photos'
import { unpackedPath } from '../../main/services/photos/load-module'
import { createPhotoService } from '../../main/services/photos/service'
import type { Vault } from '../../main/services/security/vault'
import type { PhotosRepository } from '../../main/services/store/photos'

/** What a packaged app whose libvips stayed inside app.asar sees when sharp's addon is loaded. */
const dlopenFailure = () => {
  throw Object.assign(new Error('libvips-cpp.so.8.17.3: cannot open shared object file: No such file or directory'), { code: 'ERR_DLOPEN_FAILED' })
}
const jpeg = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'photos', 'good-face.jpg'))

describe('photos when sharp cannot load', () => {
  it('answers unavailable with reason photo_engine_missing, and the loader tries again next time', () => {
    let attempts = 0
    const sharp = lazySharp(() => {
      attempts++
      return dlopenFailure()
    })
    for (let i = 0; i < 2; i++) {
      expect(sharp).toThrow(DomainError)
      try {
        sharp()
      } catch (error) {
        expect(error).toMatchObject({ code: 'unavailable', details: { reason: PHOTO_ENGINE_MISSING } })
        expect((error as Error).message).toContain('libvips-cpp')
      }
    }
    expect(attempts).toBe(4)
  })

  it('the photo service answers the typed error, stores nothing, and the detector is never needed for it', async () => {
    let stored = 0
    const repo = { insert: () => stored++ } as unknown as PhotosRepository
    const photos = createPhotoService({
      repo,
      vault: {} as Vault,
      thresholds: defaultPhotoThresholds,
      detector: () => ({ detect: () => Promise.resolve([]), dispose: () => undefined }),
      cameraDevice: 'TEST',
      logger: createMemoryLogger(),
      now: () => new Date('2025-01-01T00:00:00Z'),
      sharp: lazySharp(dlopenFailure),
    })
    for (const kind of ['face', 'card'] as const) {
      await expect(photos.process(kind, jpeg.toString('base64'))).rejects.toMatchObject({ code: 'unavailable', details: { reason: PHOTO_ENGINE_MISSING } })
    }
    expect(stored).toBe(0)
  })

  it('loads sharp for real by default (the packaged path is the same require)', async () => {
    const result = await processPhoto(jpeg, 'card', { detector: null, sharp: lazySharp() })
    expect(result.jpeg.byteLength).toBeGreaterThan(0)
  })
})

describe('unpackedPath', () => {
  it("names app.asar.unpacked for a path inside the packaged app's asar, anything else unchanged", () => {
    const inAsar = ['opt', 'Posko', 'resources', 'app.asar', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'].join(sep)
    expect(unpackedPath(`${sep}${inAsar}`)).toBe(`${sep}${inAsar.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`)}`)
    const dev = join(sep, 'work', 'posko', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
    expect(unpackedPath(dev)).toBe(dev)
  })
})
