import sharp from 'sharp'

/**
 * Finds the KTP in a webcam frame and straightens it. The e-KTP is pale blue (blue well above red) on whatever
 * desk or hand holds it, so a colour mask at a small size finds it; the slope of the mask's top and bottom edges
 * (middle columns only: the corners are rounded) gives the tilt, and after turning the frame back the mask's
 * rows and columns give the card's box. Cheap (a 320-pixel-wide copy) and good to a few tenths of a degree on the
 * generated frames; a real post's light and desks must be measured before trusting it there.
 */

export interface CardLocation {
  /** Degrees the card is turned clockwise in the frame. */
  angle: number
  /** Share of the small copy's pixels the mask found; below ~0.08 there is no card in view. */
  coverage: number
}

/** The card, straightened and cut out, grey, at a fixed size so the layout's bands sit at fixed places. */
export interface NormalisedCard {
  gray: Buffer
  width: number
  height: number
  location: CardLocation
}

const SMALL_WIDTH = 320
/** The normalised card's width: the field text is ~29 px tall there, where LSTM Tesseract reads best. */
export const CARD_NORMAL_WIDTH = 1400
/** 85.6 × 54 mm (ISO/IEC 7810 ID-1). */
export const CARD_ASPECT = 85.6 / 54

export class NoCardError extends Error {
  readonly code = 'ktp_no_card'
  constructor() {
    super('no card found in the frame')
  }
}

function cardMask(rgb: Buffer, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height)
  for (let i = 0; i < width * height; i++) {
    const r = rgb[i * 3]!
    const g = rgb[i * 3 + 1]!
    const b = rgb[i * 3 + 2]!
    // Pale blue, also where a glare washes it towards white (b − r shrinks but stays positive).
    if (b > 140 && b - r >= 8 && g >= r) mask[i] = 1
  }
  return mask
}

/** Least-squares slope after dropping the quarter of points furthest from a first fit (a thumb, a glare). */
function robustSlope(points: [number, number][]): number | null {
  if (points.length < 10) return null
  const fit = (pts: [number, number][]) => {
    const n = pts.length
    let sx = 0, sy = 0, sxx = 0, sxy = 0
    for (const [x, y] of pts) {
      sx += x
      sy += y
      sxx += x * x
      sxy += x * y
    }
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx || 1)
    return { slope, intercept: (sy - slope * sx) / n }
  }
  const first = fit(points)
  const kept = points
    .map((p) => ({ p, e: Math.abs(p[1] - (first.slope * p[0] + first.intercept)) }))
    .sort((a, b) => a.e - b.e)
    .slice(0, Math.ceil(points.length * 0.75))
    .map((x) => x.p)
  return fit(kept).slope
}

function columnsBounds(mask: Uint8Array, width: number, height: number): { left: number; right: number; top: number; bottom: number } | null {
  const cols = new Uint32Array(width)
  const rows = new Uint32Array(height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) {
        cols[x]!++
        rows[y]!++
      }
    }
  }
  const span = (counts: Uint32Array) => {
    const max = Math.max(...counts)
    if (max === 0) return null
    // A column of the card is mostly card; the desk's odd bluish pixel is not.
    const limit = max * 0.35
    const first = counts.findIndex((c) => c >= limit)
    const last = counts.length - 1 - [...counts].reverse().findIndex((c) => c >= limit)
    if (first < 0) return null
    return [first, last] as const
  }
  const c = span(cols)
  const r = span(rows)
  if (!c || !r) return null
  return { left: c[0], right: c[1] + 1, top: r[0], bottom: r[1] + 1 }
}

function edgeAngle(mask: Uint8Array, width: number, height: number): number {
  const box = columnsBounds(mask, width, height)
  if (!box) return 0
  const top: [number, number][] = []
  const bottom: [number, number][] = []
  const from = Math.round(box.left + (box.right - box.left) * 0.2)
  const to = Math.round(box.left + (box.right - box.left) * 0.8)
  for (let x = from; x < to; x++) {
    let first = -1
    let last = -1
    for (let y = 0; y < height; y++) {
      if (mask[y * width + x]) {
        if (first < 0) first = y
        last = y
      }
    }
    if (first >= 0) {
      top.push([x, first])
      bottom.push([x, last])
    }
  }
  const slopes = [robustSlope(top), robustSlope(bottom)].filter((s): s is number => s !== null)
  if (slopes.length === 0) return 0
  const slope = slopes.reduce((a, b) => a + b, 0) / slopes.length
  const degrees = (Math.atan(slope) * 180) / Math.PI
  // A card held more than 15° askew is asked to be held straighter rather than guessed at.
  return Math.max(-15, Math.min(15, degrees))
}

async function smallRgb(image: sharp.Sharp): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await image.resize({ width: SMALL_WIDTH }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** Finds, straightens and cuts out the card; throws NoCardError when there is none in view. */
export async function normaliseCard(frame: Buffer): Promise<NormalisedCard> {
  const small = await smallRgb(sharp(frame))
  const mask = cardMask(small.data, small.width, small.height)
  const coverage = mask.reduce((a, b) => a + b, 0) / mask.length
  if (coverage < 0.08) throw new NoCardError()
  const angle = edgeAngle(mask, small.width, small.height)

  // Turn the whole frame back once (raw, so the cut below does not recompress), then find the box on a small copy.
  const turned = await sharp(frame)
    .rotate(-angle, { background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const raw = { raw: { width: turned.info.width, height: turned.info.height, channels: 3 as const } }
  const smallTurned = await smallRgb(sharp(turned.data, raw))
  const box = columnsBounds(cardMask(smallTurned.data, smallTurned.width, smallTurned.height), smallTurned.width, smallTurned.height)
  if (!box) throw new NoCardError()
  const scale = turned.info.width / smallTurned.width
  const left = Math.max(0, Math.floor(box.left * scale))
  const top = Math.max(0, Math.floor(box.top * scale))
  const width = Math.min(turned.info.width - left, Math.ceil((box.right - box.left) * scale))
  const height = Math.min(turned.info.height - top, Math.ceil((box.bottom - box.top) * scale))
  // A box far from the card's shape is a card cut by the frame's edge or not a card.
  const aspect = width / height
  if (aspect < CARD_ASPECT * 0.8 || aspect > CARD_ASPECT * 1.25) throw new NoCardError()
  const outHeight = Math.round(CARD_NORMAL_WIDTH / CARD_ASPECT)
  const gray = await sharp(turned.data, raw)
    .extract({ left, top, width, height })
    .resize(CARD_NORMAL_WIDTH, outHeight, { fit: 'fill', kernel: 'lanczos3' })
    .grayscale()
    .raw()
    .toBuffer()
  return { gray, width: CARD_NORMAL_WIDTH, height: outHeight, location: { angle, coverage } }
}
