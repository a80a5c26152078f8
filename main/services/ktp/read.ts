import sharp from 'sharp'
import type { KtpFields, KtpReading } from '../../../common/ktp'
import type { RegionIndex } from '../../../common/regions'
import type { Decision, Thresholds } from './consistency'
import { decide, DEFAULT_THRESHOLDS, nikCandidates } from './consistency'
import type { Band } from './band'
import { bandPixels, forTesseract } from './band'
import type { InkCut } from './ink'
import { cutToInk } from './ink'
import type { NormalisedCard } from './locate'
import { NoCardError, normaliseCard } from './locate'
import type { OcrBands, RawKtp, Read } from './parse'
import { nameOfLine, nikLine, parseKtp, placeAndDate, sexOf } from './parse'
import type { OcrEngine, OcrLine } from './tesseract'

/**
 * One frame, start to end: find and straighten the card, cut the bands the layout puts the text in, read each
 * band with the Tesseract mode that suits it, parse, and keep only what checks out (consistency.ts).
 */

/** Where the e-KTP's text sits, as shares of the straightened card: [left, top, right, bottom]. */
export const BANDS = {
  header: [0.08, 0.02, 0.92, 0.175],
  nik: [0.196, 0.165, 0.7, 0.27],
  // From after the labels' colons to before Agama: the values of Nama … Kecamatan and nothing below.
  fields: [0.27, 0.255, 0.75, 0.628],
  // Tempat/Tgl Lahir and Jenis Kelamin, for a second look (rereadBirthLines).
  birth: [0.27, 0.316, 0.75, 0.418],
  // The Nama line alone, for its second read (rereadName).
  name: [0.27, 0.25, 0.75, 0.318],
} as const satisfies Record<string, Band>

const CARD_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-/' "

export async function cutBand(card: NormalisedCard, band: Band, prepare = (image: sharp.Sharp) => image): Promise<Buffer> {
  // Raw again before the second step: sharp applies one pipeline's operations in its own fixed order.
  const { data, width, height } = await bandPixels(card, band)
  return forTesseract(prepare(sharp(data, { raw: { width, height, channels: 1 } })).normalise())
}

const bigger = (band: Band, card: NormalisedCard, factor: number) => (image: sharp.Sharp) =>
  image.resize({ width: Math.round((band[2] - band[0]) * card.width * factor) })

/** Two reads of the NIK line from differently prepared pixels, and a third when they disagree (consistency.ts). */
async function readNik(engine: OcrEngine, card: NormalisedCard): Promise<OcrLine[][]> {
  const digits = '0123456789'
  const first = await engine.read(await cutBand(card, BANDS.nik), 'line', digits)
  const second = await engine.read(await cutBand(card, BANDS.nik, (image) => bigger(BANDS.nik, card, 1.35)(image).sharpen({ sigma: 1 })), 'line', digits)
  const agree = (a: OcrLine[], b: OcrLine[]) => {
    const [x, y] = [nikLine(a), nikLine(b)]
    return x !== null && y !== null && nikCandidates(x.value).some((nik) => nikCandidates(y.value).includes(nik))
  }
  if (agree(first, second)) return [first, second]
  const third = await engine.read(await cutBand(card, BANDS.nik, bigger(BANDS.nik, card, 1.7)), 'line', digits)
  return [first, second, third]
}

export async function ocrBands(engine: OcrEngine, card: NormalisedCard): Promise<OcrBands> {
  const nik = await readNik(engine, card)
  // The card prints capitals, digits and a little punctuation: forbidding the rest removes Tesseract's favourite
  // confusions on a blurred frame (! for I, lower case for capitals) before any repair.
  const header = await engine.read(await cutBand(card, BANDS.header), 'block', CARD_CHARACTERS)
  const fields = await engine.read(await cutBand(card, BANDS.fields), 'block', CARD_CHARACTERS)
  return { header, nik, fields }
}

/**
 * The place-and-date and sex lines read again, bigger, when the NIK's reads agreed but the first read of these
 * lines did not match it: on a small card a date digit is the likeliest misread. The NIK must still agree with
 * what this read gives, so a second look can only confirm, never overrule the number.
 */
async function rereadBirthLines(engine: OcrEngine, card: NormalisedCard): Promise<Pick<RawKtp, 'birthPlace' | 'birthDate' | 'sex'> | null> {
  const lines = (await engine.read(await cutBand(card, BANDS.birth, (image) => bigger(BANDS.birth, card, 1.5)(image).sharpen({ sigma: 1 })), 'block', CARD_CHARACTERS)).filter(
    (l) => l.text.trim().length > 0,
  )
  const at = lines.findIndex((l) => placeAndDate(l).birthDate !== null)
  if (at < 0) return null
  const next = lines[at + 1]
  return { ...placeAndDate(lines[at]!), sex: next ? sexOf(next) : null }
}

/** How the name line is cut and read for its second read (measured on the scan bench: docs/design-notes.md). */
export const NAME_REREAD: InkCut & { whitelist: string } = { factor: 1.5, sharpen: true, whitelist: CARD_CHARACTERS }

/**
 * The Nama line read a second time on its own: cut to its ink, bigger, in Tesseract's line mode. Other pixels
 * and another page mode than the value block's read, so the two reads fail differently; the name is offered
 * on a weak first read only when both give the same name, and withheld when they give different ones
 * (consistency.ts checkName). What makes the NIK safe, two reads agreeing, for the one field the card cannot
 * check otherwise.
 */
export async function rereadName(engine: OcrEngine, card: NormalisedCard, recipe = NAME_REREAD): Promise<Read<string> | null> {
  const png = await cutToInk(card, BANDS.name, recipe)
  return png ? nameOfLine(await engine.read(png, 'line', recipe.whitelist)) : null
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
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS
  const raw = parseKtp(await ocrBands(engine, card))
  // Without a first read there is no name to confirm or contradict: the second read would be wasted.
  if (raw.name) raw.nameAgain = await rereadName(engine, card)
  const decision = decide(raw, options.regions, options.today, thresholds)
  if (decision.refused.nik !== 'nik_birth_date_differs' && decision.refused.nik !== 'nik_sex_differs') return { cardFound: true, raw, decision }
  const again = await rereadBirthLines(engine, card)
  if (!again) return { cardFound: true, raw, decision }
  // Only the NIK's own check looks at the second read; the place printed keeps its first read.
  const second = decide({ ...raw, birthDate: again.birthDate, sex: again.sex ?? raw.sex }, options.regions, options.today, thresholds)
  if (!second.fields.nik) return { cardFound: true, raw, decision }
  return { cardFound: true, raw, decision: { ...decision, fields: { ...decision.fields, nik: second.fields.nik, birthDate: second.fields.birthDate, sex: second.fields.sex }, refused: omitBirth(decision.refused) } }
}

function omitBirth(refused: Decision['refused']): Decision['refused'] {
  const { nik: _nik, birthDate: _birthDate, sex: _sex, ...rest } = refused
  return rest
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
