import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createFaceDetector } from '../../main/services/photos'
import { createMemoryLogger } from '../../main/services/platform/logger'

const root = resolve(import.meta.dirname, '..', '..')
const modelDir = join(root, 'resources', 'models')

describe('createFaceDetector (Human, WASM, blazeface from resources/models)', () => {
  it('reports a missing model as unavailable instead of hanging, and a good folder still works afterwards', async () => {
    // Human logs the failed load to the console itself; keep that out of the test output.
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const missing = createFaceDetector({ modelDir: join(root, 'test', 'fixtures', 'photos', 'no-models-here'), timeoutMs: 10_000 })
    await expect(missing.detect(new Uint8Array(30 * 30 * 3), 30, 30)).rejects.toMatchObject({ code: 'unavailable' })
    missing.dispose()
    quiet.mockRestore()

    const logger = createMemoryLogger()
    const good = createFaceDetector({ modelDir, logger })
    expect(await good.detect(new Uint8Array(64 * 64 * 3), 64, 64)).toEqual([])
    expect(logger.entries).toContainEqual(expect.objectContaining({ message: 'face detector ready', fields: expect.objectContaining({ backend: 'wasm' }) }))
    good.dispose()
  })

  it('leaves no process-wide crash handlers behind (the WASM glue installs some)', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]
    const detector = createFaceDetector({ modelDir })
    await detector.detect(new Uint8Array(32 * 32 * 3), 32, 32)
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(before)
    detector.dispose()
  })

  it('refuses a buffer that does not match the stated size, and any call after dispose', async () => {
    const detector = createFaceDetector({ modelDir })
    await expect(detector.detect(new Uint8Array(10), 64, 64)).rejects.toMatchObject({ code: 'invalid_input' })
    detector.dispose()
    await expect(detector.detect(new Uint8Array(64 * 64 * 3), 64, 64)).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('runs concurrent calls one after another and answers each', async () => {
    const detector = createFaceDetector({ modelDir })
    const answers = await Promise.all([1, 2, 3].map(() => detector.detect(new Uint8Array(48 * 48 * 3), 48, 48)))
    expect(answers).toEqual([[], [], []])
    detector.dispose()
  })
})
