import { z } from 'zod'
import { Acknowledgements } from './acknowledgements'
import { normaliseNik, parseNik } from './nik'
import { isIndonesianLandline, normaliseMobile } from './phone'

/**
 * The registration record: one source for the form, IPC, the store and the central API. Custom messages are
 * i18n keys under `validation.` so a field error reaches the screen in the user's language.
 */

export const CONSENT_TEXT_VERSION = '2026-11-v1'

export const Sex = z.enum(['male', 'female'])
export type Sex = z.infer<typeof Sex>

export const Education = z.enum(['none', 'sd', 'smp', 'sma_smk', 'diploma', 'bachelor', 'master', 'doctorate'])
export type Education = z.infer<typeof Education>

export const Employment = z.enum(['laid_off', 'unpaid_leave', 'job_seeker', 'micro_business', 'student', 'employed', 'other'])
export type Employment = z.infer<typeof Employment>

// Control characters (C0, DEL, C1) never belong in a name or an address; they break receipts and CSV exports.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/**
 * An empty answer (nothing but spaces) says "Wajib diisi." whatever the field's own rule would have said ("Nama
 * minimal 2 huruf." for an empty name read as a mistake, not a gap); the field's rule judges only what was typed.
 */
const filled = () => z.string().refine((s) => s.trim() !== '', { message: 'validation.required', abort: true })

/** Names as the KTP prints them: trimmed, single spaces, upper case; letters and . , ' - only. */
export const PersonName = filled()
  .max(200, 'validation.too_long')
  .transform((s) => s.trim().replace(/\s+/g, ' ').toUpperCase())
  .pipe(
    z
      .string()
      .min(2, 'validation.name_short')
      .max(100, 'validation.too_long')
      .refine((s) => !/\d/.test(s), 'validation.name_digits')
      .refine((s) => !CONTROL.test(s), 'validation.name_characters')
      .refine((s) => /^[\p{L}\p{M} .,'-]+$/u.test(s), 'validation.name_characters'),
  )

/** Free text fields: trimmed, no control characters. */
const Text = (max: number) =>
  z
    .string()
    .max(max * 2, 'validation.too_long')
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, 'validation.required').max(max, 'validation.too_long').refine((s) => !CONTROL.test(s), 'validation.characters'))

export const IsoDate = filled().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}, 'validation.date')

export const Nik = filled()
  .max(64, 'validation.nik_length')
  .transform(normaliseNik)
  .superRefine((nik, ctx) => {
    const parsed = parseNik(nik)
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `validation.${parsed.error.code}` })
  })

export const MobilePhone = filled()
  .max(40, 'validation.phone')
  .transform((s, ctx) => {
    const e164 = normaliseMobile(s)
    if (e164 === null) {
      // A landline is a real number, just not one an OTP reaches: say so, instead of "not valid".
      ctx.addIssue({ code: 'custom', message: isIndonesianLandline(s) ? 'validation.phone_landline' : 'validation.phone' })
      return z.NEVER
    }
    return e164
  })

export const Email = z
  .string()
  .max(254, 'validation.email')
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email('validation.email'))

export const ProvinceCode = z.string().regex(/^\d{2}$/, 'validation.region')
export const RegencyCode = z.string().regex(/^\d{2}\.\d{2}$/, 'validation.region')
export const DistrictCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'validation.region')
export const VillageCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'validation.region')

export const Address = z
  .strictObject({
    provinceCode: ProvinceCode,
    regencyCode: RegencyCode,
    districtCode: DistrictCode,
    villageCode: VillageCode,
    street: Text(200),
    rt: filled().regex(/^\d{1,3}$/, 'validation.rt_rw'),
    rw: filled().regex(/^\d{1,3}$/, 'validation.rt_rw'),
    postalCode: filled().regex(/^\d{5}$/, 'validation.postal_code'),
  })
  .superRefine((a, ctx) => {
    // Codes nest: a village belongs to its district, a district to its regency, a regency to its province.
    if (!a.regencyCode.startsWith(`${a.provinceCode}.`)) ctx.addIssue({ code: 'custom', path: ['regencyCode'], message: 'validation.region_mismatch' })
    if (!a.districtCode.startsWith(`${a.regencyCode}.`)) ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'validation.region_mismatch' })
    if (!a.villageCode.startsWith(`${a.districtCode}.`)) ctx.addIssue({ code: 'custom', path: ['villageCode'], message: 'validation.region_mismatch' })
  })
export type Address = z.infer<typeof Address>

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'validation.photo')

/**
 * Why staff approved a photo the quality check refused (issue 19): a short list, "other" with words of their own.
 * The code goes into the audit row; the words (which could name someone) stay in the sealed record only.
 */
export const OverrideCode = z.enum(['card_worn', 'lighting', 'applicant', 'other'])
export type OverrideCode = z.infer<typeof OverrideCode>

/** A stored photo: its content hash, and the operator's reason when a failed quality check was overridden. */
export const PhotoRef = z.strictObject({
  sha256: Sha256,
  overrideReason: z.string().trim().min(3).max(200).optional(),
  /** The reason chosen from the list (records from before issue 19 have the words only). */
  overrideCode: OverrideCode.optional(),
})
export type PhotoRef = z.infer<typeof PhotoRef>

/** Staff approved this photo below the quality gate: a reason from the list, words of their own, or both. */
export function isOverridden(ref: PhotoRef | null | undefined): boolean {
  return ref !== null && ref !== undefined && (ref.overrideCode !== undefined || ref.overrideReason !== undefined)
}

export const Consent = z.strictObject({
  dataProcessing: z.literal(true, 'validation.consent'),
  truthfulness: z.literal(true, 'validation.consent'),
  textVersion: z.string().min(1).max(40),
})

/** What the form submits. Everything personal; the kiosk adds ids, operator, post and time. */
export const RegistrationDraft = z.strictObject({
  nik: Nik,
  fullName: PersonName,
  birthPlace: Text(60),
  birthDate: IsoDate,
  sex: Sex,
  ktpAddress: Address,
  domicile: Address.nullable(),
  phone: MobilePhone,
  email: Email.nullable(),
  education: Education,
  employment: Employment,
  consent: Consent,
  photos: z.strictObject({ face: PhotoRef.nullable(), card: PhotoRef.nullable() }),
  /**
   * The operator's (or applicant's) answers to the warnings that must be answered (common/acknowledgements.ts):
   * sealed with the record like the rest of it. Absent in records made before issue 19: none were asked.
   */
  acknowledgements: Acknowledgements.default([]),
})
export type RegistrationDraftInput = z.input<typeof RegistrationDraft>
export type RegistrationDraft = z.output<typeof RegistrationDraft>

export const ReceiptNo = z.string().regex(/^[A-Z0-9-]{2,20}-\d{6}-[0-9A-HJ-NP-Z]{4,6}$/, 'validation.receipt')

/** A committed record, as stored (sealed) on the kiosk and as sent to central. */
export const RegistrationRecord = RegistrationDraft.safeExtend({
  id: z.uuid({ version: 'v7' }),
  receiptNo: z.string().min(1).max(40),
  postId: z.string().min(1).max(20),
  operatorId: z.string().min(1).max(40).nullable(),
  createdAt: z.iso.datetime(),
  selfService: z.boolean(),
})
export type RegistrationRecord = z.output<typeof RegistrationRecord>
