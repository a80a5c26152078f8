import sharp from 'sharp'
import type { NormalisedCard } from './locate'

/** A band of the straightened card as shares of its size: [left, top, right, bottom]. */
export type Band = readonly [number, number, number, number]

/** A band's grey pixels, one byte each, cut out of the straightened card. */
export async function bandPixels(card: NormalisedCard, [x0, y0, x1, y1]: Band): Promise<{ data: Buffer; width: number; height: number }> {
  const left = Math.round(x0 * card.width)
  const top = Math.round(y0 * card.height)
  const width = Math.round((x1 - x0) * card.width)
  const height = Math.round((y1 - y0) * card.height)
  // toColourspace('b-w'): sharp hands a one-channel raw image back as three channels otherwise.
  const data = await sharp(card.gray, { raw: { width: card.width, height: card.height, channels: 1 } }).extract({ left, top, width, height }).toColourspace('b-w').raw().toBuffer()
  return { data, width, height }
}

/**
 * The image as Tesseract gets it, as PNG with a margin of paper around it: Tesseract drops a line's last narrow
 * letter (the I of SITI) at a crop's edge.
 */
export function forTesseract(image: sharp.Sharp): Promise<Buffer> {
  return image
    .extend({ top: 12, bottom: 12, left: 16, right: 16, background: { r: 255, g: 255, b: 255 } })
    .png({ compressionLevel: 1 })
    .toBuffer()
}
