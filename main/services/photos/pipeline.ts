import type { Metadata } from 'sharp'
import { DomainError } from '../../../common/result'
import type { Rect, Size } from './crop'
import type { Sharp } from './sharp-loader'

/** Largest upload accepted: a 1080p webcam JPEG is well under 1 MB; anything near this is not a camera frame. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024
/** A small compressed file can still decode to gigabytes (a "decompression bomb"); ~40 MP is beyond any webcam. */
const MAX_INPUT_PIXELS = 40_000_000
/** Formats a camera or a canvas produces. SVG, TIFF, HEIF and the rest are refused, not just unneeded. */
const ACCEPTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp'])
/** Qualities tried in turn (from the kind's own, thresholds `quality`) until the JPEG fits its byte budget; the first fits for ordinary frames. */
const QUALITY_STEPS = [88, 80, 72, 64, 56, 48, 40, 32] as const

/** Upright, 8-bit sRGB, 3 channels, no alpha: the one pixel layout the rest of the pipeline handles. */
export interface RgbFrame extends Size {
  data: Buffer
}

/**
 * Checks that the bytes are an image of an accepted format and size, from the header alone, and returns its
 * upright size. Everything refused here is a caller error (not a photo), so it throws rather than failing a check.
 */
export async function readHeader(sharp: Sharp, input: Uint8Array): Promise<Size & { format: string }> {
  if (input.byteLength === 0) throw new DomainError('invalid_input', 'photo is empty')
  if (input.byteLength > MAX_INPUT_BYTES) {
    throw new DomainError('invalid_input', `photo is ${input.byteLength} bytes; the limit is ${MAX_INPUT_BYTES}`, {
      bytes: input.byteLength,
      maxBytes: MAX_INPUT_BYTES,
    })
  }
  let meta: Metadata
  try {
    meta = await sharp(input).metadata()
  } catch {
    throw new DomainError('invalid_input', 'photo is not a readable image')
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw new DomainError('invalid_input', `photo format ${meta.format ?? 'unknown'} is not accepted (JPEG, PNG or WebP)`)
  }
  const { width, height } = meta.autoOrient
  if (!width || !height) throw new DomainError('invalid_input', 'photo has no dimensions')
  if (width * height > MAX_INPUT_PIXELS) {
    throw new DomainError('invalid_input', `photo is ${width}×${height}; the limit is ${MAX_INPUT_PIXELS} pixels`)
  }
  return { width, height, format: meta.format }
}

/**
 * Decodes to upright sRGB pixels. EXIF orientation is applied here, before anything looks at the picture;
 * from then on the pixels travel as raw data, so no metadata (EXIF, GPS, ICC, XMP) can reach the output.
 * Returns null when the header was fine but the pixel data is not (a truncated frame): that is a retake,
 * reported as the `decodable` check, not a caller error.
 */
export async function decodeUpright(sharp: Sharp, input: Uint8Array): Promise<RgbFrame | null> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) return null
    return { data, width: info.width, height: info.height }
  } catch {
    return null
  }
}

/** A copy no longer than `maxSide`, for the detector, which works at 256 px inside and gains nothing from more. */
export async function shrink(sharp: Sharp, frame: RgbFrame, maxSide: number): Promise<{ frame: RgbFrame; scale: number }> {
  const scale = Math.min(1, maxSide / Math.max(frame.width, frame.height))
  if (scale === 1) return { frame, scale }
  const { data, info } = await fromRaw(sharp, frame)
    .resize(Math.round(frame.width * scale), Math.round(frame.height * scale))
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { frame: { data, width: info.width, height: info.height }, scale: info.width / frame.width }
}

/** Cuts `rect` out and scales it to exactly width × height (rect already has that aspect, give or take a pixel). */
export async function renderCrop(sharp: Sharp, frame: RgbFrame, rect: Rect, width: number, height: number): Promise<RgbFrame> {
  const { data, info } = await fromRaw(sharp, frame)
    .extract(rect)
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/**
 * Exposure and focus of the part of the frame that becomes the photo. Measured at the frame's own resolution
 * (scaled down to the stored size if larger, never up): enlarging adds no detail but smooths it, so a small
 * crop would read as blurred when its real problem is size, which face_size and resolution already report.
 */
export async function measure(
  sharp: Sharp,
  frame: RgbFrame,
  rect: Rect,
  maxWidth: number,
  maxHeight: number,
): Promise<{ brightness: number; sharpness: number; detail: number }> {
  const { data: grey, info } = await fromRaw(sharp, frame)
    .extract(rect)
    .resize(maxWidth, maxHeight, { fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true })
  let sum = 0
  for (const v of grey) sum += v
  return { brightness: sum / grey.length, sharpness: laplacianVariance(grey, info.width, info.height), detail: detailCoverage(grey, info.width, info.height) }
}

/** The grid `detailCoverage` lays over the picture: 16 × 10 cells, about a KTP's line height each at 1000 px. */
const DETAIL_GRID = { columns: 16, rows: 10 } as const
/** Grey-level standard deviation below which a cell is flat: sensor noise and JPEG blocks stay under ~4. */
export const FLAT_CELL_SD = 8

/**
 * The share of the picture that holds something: the fraction of grid cells whose grey levels vary (standard
 * deviation ≥ FLAT_CELL_SD). A KTP is printed edge to edge (text, photo, guilloche): ~0.7 of a framed card. A blank
 * or uniform frame is ~0, and Chromium's fake camera (a green field with one moving disc and a counter, which passes
 * every other check at 1920×1080) is ~0.1. Blur keeps a card's coverage (the measure is of variation, not edges),
 * so blur and a blank frame stay separate reasons.
 */
export function detailCoverage(grey: Uint8Array, width: number, height: number): number {
  const { columns, rows } = DETAIL_GRID
  if (width < columns || height < rows) return 0
  let busy = 0
  for (let cy = 0; cy < rows; cy++) {
    const y0 = Math.floor((cy * height) / rows)
    const y1 = Math.floor(((cy + 1) * height) / rows)
    for (let cx = 0; cx < columns; cx++) {
      const x0 = Math.floor((cx * width) / columns)
      const x1 = Math.floor(((cx + 1) * width) / columns)
      let n = 0
      let sum = 0
      let squares = 0
      for (let y = y0; y < y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
          const v = grey[i]!
          sum += v
          squares += v * v
          n++
        }
      }
      const variance = squares / n - (sum / n) ** 2
      if (variance >= FLAT_CELL_SD * FLAT_CELL_SD) busy++
    }
  }
  return busy / (columns * rows)
}

/**
 * Variance of the 4-neighbour Laplacian [0 1 0; 1 −4 1; 0 1 0] over the interior pixels. sharp 0.34 can do the
 * same (`convolve(...).raw({ depth: 'float' })` keeps the negative half and gives the same variance to within the
 * border pixels), but that second libvips pipeline cost ~5 ms a photo against ~0.5 ms for this loop. Integer
 * sums stay exact: |v| ≤ 1020 and at most 640×640 pixels keep Σv² far below 2^53.
 */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  let n = 0
  let sum = 0
  let squares = 0
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const v = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!
      sum += v
      squares += v * v
      n++
    }
  }
  return n === 0 ? 0 : squares / n - (sum / n) ** 2
}

/**
 * mozjpeg at the highest quality step that fits `maxBytes`. Its tables and progressive scans, without trellis
 * quantisation and scan optimisation: those two made a 480×640 photo ~11% smaller but took 13 ms instead of 4,
 * and the budgets have room to spare.
 */
export async function encodeJpeg(sharp: Sharp, frame: RgbFrame, maxBytes: number, startQuality: number = QUALITY_STEPS[0]): Promise<{ jpeg: Buffer; quality: number }> {
  let last: { jpeg: Buffer; quality: number } | undefined
  for (const quality of [startQuality, ...QUALITY_STEPS.filter((q) => q < startQuality)]) {
    const jpeg = await fromRaw(sharp, frame).jpeg({ mozjpeg: true, trellisQuantisation: false, optimiseScans: false, quality }).toBuffer()
    last = { jpeg, quality }
    if (jpeg.byteLength <= maxBytes) return last
  }
  // Only noise compresses this badly at this size; a frame like that is not worth keeping.
  throw new DomainError('invalid_input', `photo does not fit ${maxBytes} bytes even at quality ${last?.quality}`, {
    bytes: last?.jpeg.byteLength ?? 0,
    maxBytes,
  })
}

const fromRaw = (sharp: Sharp, frame: RgbFrame) => sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
