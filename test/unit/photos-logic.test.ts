import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../common/result'
import type { FaceBox, FaceDetector } from '../../main/services/photos'
import { defaultPhotoThresholds, PhotoThresholds, processPhoto } from '../../main/services/photos'
import { centreCrop, faceCrop } from '../../main/services/photos/crop'

// Everything here runs without the model: the detector is a fake that answers what each test needs.
const root = resolve(import.meta.dirname, '..', '..')
const goodFace = readFileSync(join(root, 'test', 'fixtures', 'photos', 'good-face.jpg'))

function fakeDetector(faces: FaceBox[]): FaceDetector & { calls: Array<{ width: number; height: number; bytes: number }> } {
  const calls: Array<{ width: number; height: number; bytes: number }> = []
  return {
    calls,
    async detect(rgb, width, height) {
      calls.push({ width, height, bytes: rgb.byteLength })
      return faces
    },
    dispose() {},
  }
}

describe('crop geometry', () => {
  const frame = fc.record({ width: fc.integer({ min: 16, max: 4000 }), height: fc.integer({ min: 16, max: 4000 }) })

  it('centreCrop is the largest 3:4 rectangle in the middle of the frame', () => {
    expect(centreCrop({ width: 1280, height: 720 }, 3 / 4)).toEqual({ left: 370, top: 0, width: 540, height: 720 })
    expect(centreCrop({ width: 480, height: 1000 }, 3 / 4)).toEqual({ left: 0, top: 180, width: 480, height: 640 })
  })

  it('faceCrop always stays inside the frame and keeps the 3:4 shape (to rounding)', () => {
    fc.assert(
      fc.property(frame, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1.5, noNaN: true }), (size, fx, fy, fh) => {
        const h = fh * size.height
        const face = { x: fx * size.width - h / 2, y: fy * size.height - h / 2, width: h, height: h, score: 1 }
        const r = faceCrop(size, face, 3 / 4)
        expect(r.left).toBeGreaterThanOrEqual(0)
        expect(r.top).toBeGreaterThanOrEqual(0)
        expect(r.left + r.width).toBeLessThanOrEqual(size.width)
        expect(r.top + r.height).toBeLessThanOrEqual(size.height)
        expect(Math.abs(r.width - (r.height * 3) / 4)).toBeLessThanOrEqual(1.5)
      }),
    )
  })

  it('a face with room around it ends up whole, centred across, and a little above the middle', () => {
    const face = { x: 560, y: 260, width: 160, height: 200, score: 1 }
    const r = faceCrop({ width: 1280, height: 720 }, face, 3 / 4)
    expect(r.left).toBeLessThanOrEqual(face.x)
    expect(r.top).toBeLessThanOrEqual(face.y)
    expect(r.left + r.width).toBeGreaterThanOrEqual(face.x + face.width)
    expect(r.top + r.height).toBeGreaterThanOrEqual(face.y + face.height)
    expect(Math.abs(r.left + r.width / 2 - (face.x + face.width / 2))).toBeLessThanOrEqual(1)
    expect(face.y + face.height / 2 - r.top).toBeLessThan(r.height / 2)
  })
})

describe('processPhoto with an injected detector', () => {
  it('hands the detector a copy at most 640 px long and maps its boxes back to the frame', async () => {
    const frame = await sharp(goodFace).resize(1280, 720, { fit: 'fill' }).jpeg().toBuffer()
    // In the 640×360 copy: a face 150 px tall, centred across, so 300 px of 720 in the frame.
    const detector = fakeDetector([{ x: 270, y: 100, width: 100, height: 150, score: 0.9 }])
    const result = await processPhoto(frame, 'face', { detector })
    expect(detector.calls).toEqual([{ width: 640, height: 360, bytes: 640 * 360 * 3 }])
    expect(result.checks.find((c) => c.id === 'face_size')?.value).toBeCloseTo(300 / 720, 3)
  })

  it('does not count candidates under the score threshold', async () => {
    const faces = [
      { x: 200, y: 100, width: 220, height: 220, score: 0.9 },
      { x: 10, y: 10, width: 60, height: 60, score: defaultPhotoThresholds.face.minFaceScore - 0.01 },
    ]
    const result = await processPhoto(goodFace, 'face', { detector: fakeDetector(faces) })
    expect(result.checks.find((c) => c.id === 'face_count')).toMatchObject({ ok: true, value: 1 })
  })

  it('counts every face over the threshold', async () => {
    const faces = [0.9, 0.8, 0.7].map((score, i) => ({ x: i * 200, y: 100, width: 150, height: 150, score }))
    const result = await processPhoto(goodFace, 'face', { detector: fakeDetector(faces) })
    expect(result.checks.find((c) => c.id === 'face_count')).toMatchObject({ ok: false, value: 3 })
  })

  it('with detector null skips the face rules and keeps the centre of the frame', async () => {
    const result = await processPhoto(goodFace, 'face', { detector: null })
    expect(result.checks.map((c) => c.id)).toEqual(['decodable', 'resolution', 'brightness', 'blur'])
    expect([result.width, result.height]).toEqual([480, 640])
  })

  it('never asks the detector about a card', async () => {
    const detector = fakeDetector([])
    await processPhoto(goodFace, 'card', { detector })
    expect(detector.calls).toEqual([])
  })

  it('passes a detector failure through as it was thrown', async () => {
    const broken: FaceDetector = {
      detect: () => Promise.reject(new DomainError('unavailable', 'model missing')),
      dispose() {},
    }
    await expect(processPhoto(goodFace, 'face', { detector: broken })).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('judges by the thresholds it is given', async () => {
    const strict = PhotoThresholds.parse({ face: { brightness: { min: 200, max: 250 } } })
    const result = await processPhoto(goodFace, 'face', { detector: null, thresholds: strict })
    expect(result.checks.find((c) => c.id === 'brightness')).toMatchObject({ ok: false, min: 200, max: 250 })
  })
})

describe('PhotoThresholds', () => {
  it('fills every default from an empty object and keeps siblings when one field is overridden', () => {
    expect(PhotoThresholds.parse({})).toEqual(defaultPhotoThresholds)
    const tweaked = PhotoThresholds.parse({ card: { minSharpness: 99 } })
    expect(tweaked.card).toEqual({ ...defaultPhotoThresholds.card, minSharpness: 99 })
    expect(tweaked.face).toEqual(defaultPhotoThresholds.face)
  })

  it('refuses a brightness range upside down, an unknown key and a score above 1', () => {
    expect(PhotoThresholds.safeParse({ face: { brightness: { min: 150, max: 100 } } }).success).toBe(false)
    expect(PhotoThresholds.safeParse({ face: { minSharpnes: 3 } }).success).toBe(false)
    expect(PhotoThresholds.safeParse({ face: { minFaceScore: 1.5 } }).success).toBe(false)
  })
})
