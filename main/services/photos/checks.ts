import type { FaceBox, Size } from './crop'
import type { PhotoThresholds } from './thresholds'

/**
 * Stable codes: the renderer turns each failing one into an Indonesian reason ("Foto terlalu gelap"), so they
 * never change meaning. `min`/`max` carry the bound(s) as numbers so the UI can tell which way a check failed
 * (face_count 0 vs 2, too dark vs too bright) without parsing `threshold`, which is for people and logs.
 */
export type CheckId = 'decodable' | 'resolution' | 'face_count' | 'face_size' | 'face_centered' | 'brightness' | 'blur' | 'content'

export interface Check {
  id: CheckId
  ok: boolean
  value: number
  threshold: string
  min?: number
  max?: number
}

type FaceLimits = PhotoThresholds['face']
type CardLimits = PhotoThresholds['card']

// Values are rounded before they are compared, so a reported value never contradicts its own verdict.
const round = (value: number, digits: number) => Number(value.toFixed(digits))

function atLeast(id: CheckId, value: number, min: number, threshold: string): Check {
  return { id, ok: value >= min, value, threshold, min }
}

function atMost(id: CheckId, value: number, max: number, threshold: string): Check {
  return { id, ok: value <= max, value, threshold, max }
}

function between(id: CheckId, value: number, min: number, max: number, threshold: string): Check {
  return { id, ok: value >= min && value <= max, value, threshold, min, max }
}

export function decodableCheck(decoded: boolean): Check {
  return atLeast('decodable', decoded ? 1 : 0, 1, 'decodes as JPEG, PNG or WebP')
}

export function faceResolutionCheck(frame: Size, limits: FaceLimits): Check {
  const shortSide = Math.min(frame.width, frame.height)
  return atLeast('resolution', shortSide, limits.minShortSide, `short side >= ${limits.minShortSide} px`)
}

export function cardResolutionCheck(frame: Size, limits: CardLimits): Check {
  const longSide = Math.max(frame.width, frame.height)
  return atLeast('resolution', longSide, limits.minLongSide, `long side >= ${limits.minLongSide} px`)
}

/** value is the number of faces found: 0 and 2+ are different problems for the person in front of the camera. */
export function faceCountCheck(count: number, limits: FaceLimits): Check {
  return between('face_count', count, 1, 1, `exactly 1 face with score >= ${limits.minFaceScore}`)
}

export function faceSizeCheck(face: FaceBox, frame: Size, limits: FaceLimits): Check {
  const ratio = round(face.height / frame.height, 3)
  return atLeast('face_size', ratio, limits.minFaceHeight, `face height >= ${limits.minFaceHeight} of frame height`)
}

/** The larger of the horizontal and vertical offsets of the face centre from the frame centre, as fractions. */
export function faceCenteredCheck(face: FaceBox, frame: Size, limits: FaceLimits): Check {
  const dx = Math.abs((face.x + face.width / 2) / frame.width - 0.5)
  const dy = Math.abs((face.y + face.height / 2) / frame.height - 0.5)
  const offset = round(Math.max(dx, dy), 3)
  return atMost('face_centered', offset, limits.maxCenterOffset, `face centre within ${limits.maxCenterOffset} of frame centre`)
}

export function brightnessCheck(mean: number, range: { min: number; max: number }): Check {
  return between('brightness', round(mean, 1), range.min, range.max, `mean grey ${range.min}–${range.max}`)
}

export function blurCheck(sharpness: number, minSharpness: number): Check {
  return atLeast('blur', round(sharpness, 1), minSharpness, `Laplacian variance >= ${minSharpness}`)
}

/** Cards only: enough of the picture holds something (pipeline.ts detailCoverage); a blank or uniform frame fails. */
export function contentCheck(coverage: number, minCoverage: number): Check {
  return atLeast('content', round(coverage, 2), minCoverage, `>= ${minCoverage} of the picture with detail (grey s.d. >= 8 in a 16x10 grid)`)
}
