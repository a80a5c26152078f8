import sharp from 'sharp'
import type { KtpFields, KtpReading } from '../../../common/ktp'
import type { RegionIndex } from '../../../common/regions'
import type { Decision, Thresholds } from './consistency'
import { decide, DEFAULT_THRESHOLDS } from './consistency'
import type { NormalisedCard } from './locate'
import { NoCardError, normaliseCard } from './locate'
import type { OcrBands, RawKtp } from './parse'
import { parseKtp } from './parse'
import type { OcrEngine } from './tesseract'

/**
 * One frame, start to end: find and straighten the card, cut the bands the layout puts the text in, read each
 * band with the Tesseract mode that suits it, parse, and keep only what checks out (consistency.ts).
 */

/** Where the e-KTP's text sits, as shares of the straightened card: [left, top, right, bottom]. */
export const BANDS = {
  header: [0.08, 0.02, 0.92, 0.175],
  nik: [0.196, 0.165, 0.76, 0.27],
  // From after the labels' colons to before Agama: the values of Nama … Kecamatan and nothing below.
  fields: [0.27, 0.255, 0.75, 0.628],
} as const satisfies Record<string, readonly [number, number, number, number]>

const CARD_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-/' "

export async function cutBand(card: NormalisedCard, [x0, y0, x1, y1]: readonly [number, number, number, number]): Promise<Buffer> {
  const left = Math.round(x0 * card.width)
  const top = Math.round(y0 * card.height)
  return sharp(card.gray, { raw: { width: card.width, height: card.height, channels: 1 } })
    .extract({ left, top, width: Math.round((x1 - x0) * card.width), height: Math.round((y1 - y0) * card.height) })
    .normalise()
    .png({ compressionLevel: 1 })
    .toBuffer()
}

export async function ocrBands(engine: OcrEngine, card: NormalisedCard): Promise<OcrBands> {
  const nik = await engine.read(await cutBand(card, BANDS.nik), 'line', '0123456789')
  // The card prints capitals, digits and a little punctuation: forbidding the rest removes Tesseract's favourite
  // confusions on a blurred frame (! for I, lower case for capitals) before any repair.
  const header = await engine.read(await cutBand(card, BANDS.header), 'block', CARD_CHARACTERS)
  const fields = await engine.read(await cutBand(card, BANDS.fields), 'block', CARD_CHARACTERS)
  return { header, nik, fields }
}

export interface FrameRead {
  cardFound: boolean
  raw: RawKtp | null
  decision: Decision
}

export interface ReadOptions {
  regions: RegionIndex
  today: Date
  thresholds?: Thresholds
}

export async function readFrame(engine: OcrEngine, jpeg: Buffer, options: ReadOptions): Promise<FrameRead> {
  let card: NormalisedCard
  try {
    card = await normaliseCard(jpeg)
  } catch (error) {
    if (error instanceof NoCardError) return { cardFound: false, raw: null, decision: { fields: {}, refused: {} } }
    throw error
  }
  const raw = parseKtp(await ocrBands(engine, card))
  return { cardFound: true, raw, decision: decide(raw, options.regions, options.today, options.thresholds ?? DEFAULT_THRESHOLDS) }
}

/**
 * Several preview frames of one scan vote: a field is offered when at least one frame offered it and no frame
 * offered something else for it. A disagreement withdraws the field (frames_disagree) rather than picking a side.
 */
export function vote(decisions: readonly Decision[]): Pick<KtpReading, 'fields' | 'refused'> {
  const fields: KtpFields = {}
  const refused: KtpReading['refused'] = {}
  const names = new Set(decisions.flatMap((d) => [...Object.keys(d.fields), ...Object.keys(d.refused)])) as Set<keyof KtpFields>
  for (const name of names) {
    const values = new Set(decisions.flatMap((d) => (d.fields[name] !== undefined ? [d.fields[name]] : [])))
    if (values.size === 1) Object.assign(fields, { [name]: [...values][0] })
    else if (values.size > 1) refused[name] = 'frames_disagree'
    else refused[name] = decisions.map((d) => d.refused[name]).find((r) => r !== undefined) ?? 'unreadable'
  }
  // The NIK, birth date and sex were checked together: they stand or fall together.
  if (!fields.nik) {
    for (const name of ['birthDate', 'sex'] as const) {
      if (fields[name] !== undefined) {
        delete fields[name]
        refused[name] = refused.nik ?? 'frames_disagree'
      }
    }
  }
  return { fields, refused }
}
