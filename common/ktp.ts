import { z } from 'zod'
import { normaliseNik } from './nik'
import { JpegBase64 } from './photos'

/**
 * What the KTP reader gives back for one preview frame (or several that voted). Only fields whose read was
 * consistent are offered (main/services/ktp/consistency.ts): anything else stays out and the operator types it.
 * Religion and marital status are printed on the card but never read into this (the programme does not need them),
 * and the worker never returns them.
 */

export const KtpSex = z.enum(['male', 'female'])

/** The fields the reader may offer; each is absent unless it passed its checks. */
export const KtpFields = z.strictObject({
  nik: z.string().regex(/^\d{16}$/).optional(),
  fullName: z.string().min(2).max(100).optional(),
  birthPlace: z.string().min(2).max(60).optional(),
  /** YYYY-MM-DD */
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  sex: KtpSex.optional(),
  street: z.string().min(2).max(200).optional(),
  rt: z.string().regex(/^\d{1,3}$/).optional(),
  rw: z.string().regex(/^\d{1,3}$/).optional(),
  provinceCode: z.string().regex(/^\d{2}$/).optional(),
  regencyCode: z.string().regex(/^\d{2}\.\d{2}$/).optional(),
  districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/).optional(),
  villageCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/).optional(),
})
export type KtpFields = z.infer<typeof KtpFields>
export type KtpFieldName = keyof KtpFields

/** Why a field read was not offered; the step can say "NIK tidak terbaca jelas" rather than nothing. */
export const KtpRefusal = z.enum([
  'unreadable',
  'low_confidence',
  'nik_rules',
  'nik_birth_date_differs',
  'nik_sex_differs',
  'nik_region_differs',
  'frames_disagree',
  /** Two reads of the NIK line (differently prepared) gave different numbers. */
  'reads_disagree',
  'no_match',
])
export type KtpRefusal = z.infer<typeof KtpRefusal>

export const KtpReading = z.object({
  /** False when no card was found in the frame: hold the card inside the outline. */
  cardFound: z.boolean(),
  fields: KtpFields,
  refused: z.record(z.string(), KtpRefusal),
  /** How many frames voted for this reading. */
  frames: z.number().int().min(0),
  millis: z.number().min(0),
})
export type KtpReading = z.infer<typeof KtpReading>

/**
 * When the scan step stops reading (issue 20.1): two frames agreed on the NIK (the vote withdraws a field two frames
 * disagree on, so two that agree are worth more than one), or four frames of the card went by without it (what they
 * agreed on is given; the operator types the rest). The bench's scan run uses the same rule.
 */
export function scanComplete(reading: Pick<KtpReading, 'cardFound' | 'fields' | 'frames'>): boolean {
  if (!reading.cardFound) return false
  return (reading.fields.nik !== undefined && reading.frames >= 2) || reading.frames >= 4
}

/** A preview frame for the reader; `session` groups the frames of one scan so they can vote. */
export const KtpReadInput = z.strictObject({
  jpegBase64: JpegBase64,
  session: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
})

/** "3578015708950012" → "3578 0157 0895 0012", as the typo catcher shows the card's NIK. */
export function groupNik(nik: string): string {
  return nik.replace(/(\d{4})(?=\d)/g, '$1 ')
}

export type NikComparison = { same: true } | { same: false; kind: 'digits'; positions: number[] } | { same: false; kind: 'length' }

/**
 * The typo catcher: how a NIK staff typed differs from the one read (and checked) from the card. Positions are
 * 1-based digit numbers, as staff count them on the card ("berbeda di digit 13"); a typed NIK of another length
 * (a digit dropped or doubled) differs everywhere after the slip, so it is reported as a length difference rather
 * than as a list of every later digit. Spaces, dots and dashes in the typed text are ignored.
 */
export function compareNik(cardNik: string, typed: string): NikComparison {
  const digits = normaliseNik(typed)
  if (digits === cardNik) return { same: true }
  if (digits.length !== cardNik.length) return { same: false, kind: 'length' }
  const positions = [...cardNik].flatMap((digit, i) => (digits[i] === digit ? [] : [i + 1]))
  return { same: false, kind: 'digits', positions }
}
