import sharp from 'sharp'
import type { Band } from './band'
import { bandPixels, forTesseract } from './band'
import type { NormalisedCard } from './locate'

/**
 * A band of the card cut down to its text, for a line read on its own (the name's re-read, read.ts). Tesseract's
 * line mode reads a short value at the left of a wide band badly: the empty paper and the guilloche's waves to its
 * right become part of the "line" (NOVI SARI read as "CT" on a generated card). So the band is normalised as a
 * whole, and cut from its first to its last column holding ink (two or more pixels darker than INK).
 *
 * Measured on the scan bench against a cut that flattens glare first and keeps only the first run of ink: that
 * one finds the text on more frames, but its reads confirmed fewer right names and more wrong ones (see
 * docs/design-notes.md, "Reading the KTP"). Where a glare makes the waves as dark as ink this cut stays wide and
 * the line's read usually gives nothing, which neither confirms nor contradicts the first read.
 */

export interface InkCut {
  /** Scale of the cut before reading (LSTM Tesseract reads best with capitals ~30–40 px tall). */
  factor: number
  sharpen: boolean
}

/** Darker than this, after normalising the band, is ink; the guilloche's waves stay lighter on most frames. */
const INK = 110
/** Paper kept around the text; Tesseract drops a line's last narrow letter at a crop's edge. */
const MARGIN = 6

export async function cutToInk(card: NormalisedCard, band: Band, options: InkCut): Promise<Buffer | null> {
  const { data, width, height } = await bandPixels(card, band)
  const raw = { raw: { width, height, channels: 1 as const } }
  const pixels = await sharp(data, raw).normalise().toColourspace('b-w').raw().toBuffer()

  const columns = new Array<number>(width).fill(0)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixels[y * width + x]! < INK) columns[x]!++
  const first = columns.findIndex((c) => c >= 2)
  if (first < 0) return null
  const last = width - 1 - [...columns].reverse().findIndex((c) => c >= 2)
  const from = Math.max(0, first - MARGIN)
  const to = Math.min(width, last + 1 + MARGIN)

  const cut = await sharp(pixels, raw).extract({ left: from, top: 0, width: to - from, height }).toColourspace('b-w').raw().toBuffer()
  let image = sharp(cut, { raw: { width: to - from, height, channels: 1 } })
  if (options.factor !== 1) image = image.resize({ width: Math.round((to - from) * options.factor) })
  if (options.sharpen) image = image.sharpen({ sigma: 1 })
  return forTesseract(image)
}
