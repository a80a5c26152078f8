import { createHash } from 'node:crypto'
import { missingCaseError } from '../../../common/result'
import type { Check } from './checks'
import {
  blurCheck,
  brightnessCheck,
  cardResolutionCheck,
  contentCheck,
  decodableCheck,
  faceCenteredCheck,
  faceCountCheck,
  faceResolutionCheck,
  faceSizeCheck,
} from './checks'
import type { FaceBox, Rect } from './crop'
import { centreCrop, faceCrop } from './crop'
import type { FaceDetector } from './face-detector'
import type { RgbFrame } from './pipeline'
import { decodeUpright, encodeJpeg, measure, readHeader, renderCrop, shrink } from './pipeline'
import type { Sharp } from './sharp-loader'
import { lazySharp } from './sharp-loader'
import type { PhotoThresholds } from './thresholds'
import { defaultPhotoThresholds } from './thresholds'

export type PhotoKind = 'face' | 'card'

export interface PhotoResult {
  verdict: 'pass' | 'fail'
  /** In a fixed order: decodable, resolution, face_count, face_size, face_centered, brightness, blur; cards then content. */
  checks: Check[]
  /** Upright, metadata-free mozjpeg; empty only when the input could not be decoded. */
  jpeg: Buffer
  /** Hex SHA-256 of `jpeg`. */
  sha256: string
  width: number
  height: number
  bytes: number
}

export interface ProcessPhotoOptions {
  /**
   * Required for kind 'face' so that skipping face detection is always a decision: `null` skips the face
   * rules (face_count, face_size, face_centered) and crops the centre of the frame. Ignored for cards.
   */
  detector: FaceDetector | null
  thresholds?: PhotoThresholds
  /** The image library; the default loads sharp on first use (see lazySharp). Tests pass one that fails. */
  sharp?: () => Sharp
}

const defaultSharp = lazySharp()

/** The stored face photo: 3:4, the shape of a pas foto. */
export const FACE_SIZE = { width: 480, height: 640 } as const
/** Wide enough that a KTP's smallest printed line stays legible. */
export const CARD_WIDTH = 1000
/** Detection runs on a copy this long at most (see shrink()). */
const DETECTION_SIDE = 640

/**
 * Turns a camera frame into the photo that is stored with a registration, and says whether it is good enough.
 * Throws DomainError('invalid_input') for input that is not a photo at all (empty, over MAX_INPUT_BYTES, not
 * JPEG/PNG/WebP, absurd dimensions, or noise that no JPEG quality fits into the byte budget), and passes on the
 * detector's errors ('unavailable'), as it does 'unavailable' with reason photo_engine_missing when sharp can't
 * load; everything about a real photo's quality is a failing check instead.
 */
export async function processPhoto(input: Uint8Array, kind: PhotoKind, options: ProcessPhotoOptions): Promise<PhotoResult> {
  const sharp = (options.sharp ?? defaultSharp)()
  await readHeader(sharp, input)
  const thresholds = options.thresholds ?? defaultPhotoThresholds
  const frame = await decodeUpright(sharp, input)
  if (!frame) return finish([decodableCheck(false)], Buffer.alloc(0), { width: 0, height: 0 })
  switch (kind) {
    case 'face':
      return processFace(sharp, frame, thresholds.face, options.detector)
    case 'card':
      return processCard(sharp, frame, thresholds.card)
    default:
      throw missingCaseError(kind)
  }
}

async function processFace(sharp: Sharp, frame: RgbFrame, limits: PhotoThresholds['face'], detector: FaceDetector | null): Promise<PhotoResult> {
  const checks: Check[] = [decodableCheck(true), faceResolutionCheck(frame, limits)]
  const aspect = FACE_SIZE.width / FACE_SIZE.height
  let crop = centreCrop(frame, aspect)
  if (detector) {
    const faces = (await findFaces(sharp, frame, detector)).filter((face) => face.score >= limits.minFaceScore)
    checks.push(faceCountCheck(faces.length, limits))
    const [face] = faces
    if (face && faces.length === 1) {
      checks.push(faceSizeCheck(face, frame, limits), faceCenteredCheck(face, frame, limits))
      crop = faceCrop(frame, face, aspect)
    }
  }
  return finishWithPixels(sharp, checks, frame, crop, FACE_SIZE, limits)
}

async function processCard(sharp: Sharp, frame: RgbFrame, limits: PhotoThresholds['card']): Promise<PhotoResult> {
  const checks: Check[] = [decodableCheck(true), cardResolutionCheck(frame, limits)]
  const size = { width: CARD_WIDTH, height: Math.max(1, Math.round((frame.height * CARD_WIDTH) / frame.width)) }
  return finishWithPixels(sharp, checks, frame, { left: 0, top: 0, width: frame.width, height: frame.height }, size, limits, limits.minDetail)
}

async function findFaces(sharp: Sharp, frame: RgbFrame, detector: FaceDetector): Promise<FaceBox[]> {
  const small = await shrink(sharp, frame, DETECTION_SIDE)
  const faces = await detector.detect(small.frame.data, small.frame.width, small.frame.height)
  const k = 1 / small.scale
  return faces.map((f) => ({ x: f.x * k, y: f.y * k, width: f.width * k, height: f.height * k, score: f.score }))
}

/** Renders and encodes the stored photo while, in parallel, measuring exposure and focus of the same region. */
async function finishWithPixels(
  sharp: Sharp,
  checks: Check[],
  frame: RgbFrame,
  crop: Rect,
  size: { width: number; height: number },
  limits: { brightness: { min: number; max: number }; minSharpness: number; maxBytes: number; quality: number },
  /** Cards: the least share of the picture with detail (a blank or uniform frame is no KTP); faces: not checked. */
  minDetail?: number,
): Promise<PhotoResult> {
  const [measured, encoded] = await Promise.all([
    measure(sharp, frame, crop, size.width, size.height),
    renderCrop(sharp, frame, crop, size.width, size.height).then((photo) => encodeJpeg(sharp, photo, limits.maxBytes, limits.quality)),
  ])
  checks.push(brightnessCheck(measured.brightness, limits.brightness), blurCheck(measured.sharpness, limits.minSharpness))
  if (minDetail !== undefined) checks.push(contentCheck(measured.detail, minDetail))
  return finish(checks, encoded.jpeg, size)
}

function finish(checks: Check[], jpeg: Buffer, size: { width: number; height: number }): PhotoResult {
  return {
    verdict: checks.every((c) => c.ok) ? 'pass' : 'fail',
    checks,
    jpeg,
    sha256: createHash('sha256').update(jpeg).digest('hex'),
    width: size.width,
    height: size.height,
    bytes: jpeg.byteLength,
  }
}
