import { accessSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureFromWebcam, createFaceDetector, processPhoto } from '../../main/services/photos'

const root = resolve(import.meta.dirname, '..', '..')

// fswebcam exits 255 even for --help, so look for it on the PATH instead of running it.
function hasFswebcam(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'fswebcam'), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}
const fswebcam = hasFswebcam()
if (!fswebcam) console.warn('photos-webcam: fswebcam is not installed (apt-get install fswebcam); capture tests skipped')

/**
 * captureFromWebcam's temp folders (posko-webcam-*, under os.tmpdir()) left behind. Counted in a folder of this
 * file's own (TMPDIR, read at each call): Vitest runs other files at once, whose captures come and go in the shared one.
 */
const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('posko-webcam-'))

describe('captureFromWebcam: refused before any shell runs', () => {
  it.each(['TEST; touch /tmp/posko-pwned', '/dev/video0 && id', '$(id)', '../../etc/passwd', '/dev/video', ''])('device %j → invalid_input', async (device) => {
    await expect(captureFromWebcam({ device, width: 640, height: 480 })).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it.each([
    [0, 480],
    [640.5, 480],
    [640, 99_999],
  ])('size %s×%s → invalid_input', async (width, height) => {
    await expect(captureFromWebcam({ device: 'TEST', width, height })).rejects.toMatchObject({ code: 'invalid_input' })
  })
})

describe.skipIf(!fswebcam)('captureFromWebcam with fswebcam', () => {
  const detector = createFaceDetector({ modelDir: join(root, 'resources', 'models') })
  const tmpdirBefore = process.env.TMPDIR
  let ownTmp = ''
  beforeAll(() => {
    ownTmp = mkdtempSync(join(tmpdir(), 'posko-capture-tmp-'))
    process.env.TMPDIR = ownTmp
    expect(tmpdir()).toBe(ownTmp)
  })
  afterAll(() => {
    if (tmpdirBefore === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmpdirBefore
    rmSync(ownTmp, { recursive: true, force: true })
    detector.dispose()
  })

  it('captures the TEST pattern at the asked size, then processes it as a card', async () => {
    const frame = await captureFromWebcam({ device: 'TEST', width: 1280, height: 720 })
    const meta = await sharp(frame).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1280, 720])
    expect(leftovers()).toEqual([])

    const card = await processPhoto(frame, 'card', { detector: null })
    expect([card.width, card.height]).toEqual([1000, 563])
    expect((await sharp(card.jpeg).metadata()).format).toBe('jpeg')
  })

  it('as a face photo, the colour bars fail for want of a face, and still yield a processed JPEG', async () => {
    const frame = await captureFromWebcam({ device: 'TEST', width: 640, height: 480 })
    const result = await processPhoto(frame, 'face', { detector })
    expect(result.verdict).toBe('fail')
    expect(result.checks.find((c) => c.id === 'face_count')).toMatchObject({ ok: false, value: 0 })
    expect([result.width, result.height]).toEqual([480, 640])
  })

  it('reports a camera that is not there as unavailable', async () => {
    await expect(captureFromWebcam({ device: '/dev/video99', width: 640, height: 480 })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('/dev/video99'),
    })
  })
})

describe('captureFromWebcam without fswebcam on the PATH', () => {
  it('says fswebcam is missing, as unavailable', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'posko-empty-path-'))
    const path = process.env.PATH
    process.env.PATH = empty
    try {
      await expect(captureFromWebcam({ device: 'TEST', width: 640, height: 480 })).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('fswebcam is not installed'),
      })
    } finally {
      process.env.PATH = path
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
