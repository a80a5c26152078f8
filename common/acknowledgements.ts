import { z } from 'zod'
import { checkEmail } from './email'
import type { AgeRange, RegionLookup } from './nik'
import { ageOn, DEFAULT_AGE_RANGE, parseNik } from './nik'

/**
 * Warnings that must be answered (issue 19, point 5). Most warnings are notes (a typed birth date that differs from
 * the NIK's); these few are facts staff must look at before the step moves on: an age outside the programme's
 * range, a NIK regency the region list doesn't know, an email that looks like a typo. Each needs an explicit
 * "Ya, benar" (or a fix that makes the warning go away), never a stray Enter; the answer is kept with the record.
 *
 * To add a warning: a code in WARNING_CODES, the choices it takes in WARNING_CHOICES (null: a plain "yes, it is
 * right"), where it is raised (`warningsToConfirm`, or the screen that raises it), and its words under
 * `warning.confirm.<code>` in both languages.
 */
export const WARNING_CODES = ['age_out_of_range', 'regency_unknown', 'email_typo', 'nik_differs_from_card'] as const
export const WarningCode = z.enum(WARNING_CODES)
export type WarningCode = z.infer<typeof WarningCode>

/** What the operator may answer to each warning; null when the only answer is "yes, it is right" (no `choice`). */
export const WARNING_CHOICES: Readonly<Record<WarningCode, readonly string[] | null>> = {
  age_out_of_range: null,
  regency_unknown: null,
  email_typo: null,
  // The typo catcher (issue 20, common/ktp.ts compareNik): which NIK is right, the card's read or the typed one.
  nik_differs_from_card: ['card', 'typed'],
}

/** More than there are codes would only ever be a fault: the list is bounded so a record can't be padded. */
const MAX_ACKNOWLEDGEMENTS = 16

export const Acknowledgement = z.strictObject({
  warning: WarningCode,
  choice: z.string().min(1).max(20).optional(),
})
export type Acknowledgement = z.infer<typeof Acknowledgement>

/** The operator's answers, one per warning, each a choice the warning allows. */
export const Acknowledgements = z
  .array(Acknowledgement)
  .max(MAX_ACKNOWLEDGEMENTS)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((ack, index) => {
      if (seen.has(ack.warning)) ctx.addIssue({ code: 'custom', path: [index, 'warning'], message: 'validation.acknowledgement_twice' })
      seen.add(ack.warning)
      const choices = WARNING_CHOICES[ack.warning]
      const valid = choices === null ? ack.choice === undefined : ack.choice !== undefined && choices.includes(ack.choice)
      if (!valid) ctx.addIssue({ code: 'custom', path: [index, 'choice'], message: 'validation.acknowledgement_choice' })
    })
  })

/** A warning to put to the operator: which, at which field (a form path), and what to say (age and range, the suggestion). */
export const WarningToConfirm = z.object({
  warning: WarningCode,
  path: z.array(z.string()),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
})
export type WarningToConfirm = z.infer<typeof WarningToConfirm>

export interface ConfirmContext {
  /** The post's today (a local calendar date, as parseNik reads it). */
  today: Date
  regions?: RegionLookup
  ageRange?: AgeRange
  /**
   * False while the kiosk's clock is implausible and central has not corrected it (a dead CMOS battery): an age
   * counted from such a "today" is wrong for every applicant, so the question is not asked; the clock banner is.
   */
  todayKnown?: boolean
}

/**
 * The warnings of `draft` that need an answer, from whatever of it is filled in (the kiosk asks while the form is
 * typed, and again on submit with the whole draft). One function for both, so the screen asks exactly what the
 * submit will insist on.
 */
export function warningsToConfirm(draft: { nik?: unknown; birthDate?: unknown; email?: unknown }, context: ConfirmContext): WarningToConfirm[] {
  const found: WarningToConfirm[] = []
  const range = context.ageRange ?? DEFAULT_AGE_RANGE
  if (typeof draft.birthDate === 'string' && context.todayKnown !== false) {
    const age = ageOn(draft.birthDate, context.today)
    if (age !== null && (age < range.min || age > range.max)) {
      found.push({ warning: 'age_out_of_range', path: ['birthDate'], params: { age, min: range.min, max: range.max } })
    }
  }
  if (typeof draft.nik === 'string' && context.regions) {
    const parsed = parseNik(draft.nik, { today: context.today, regions: context.regions })
    if (parsed.ok && parsed.warnings.some((w) => w.code === 'regency_unknown')) {
      found.push({ warning: 'regency_unknown', path: ['nik'], params: { regency: parsed.value.regencyCode } })
    }
  }
  if (typeof draft.email === 'string' && draft.email.trim() !== '') {
    const checked = checkEmail(draft.email)
    if (checked.ok && checked.suggestion) found.push({ warning: 'email_typo', path: ['email'], params: { suggestion: checked.suggestion } })
  }
  return found
}

/** The warnings in `raised` that `acknowledgements` leaves unanswered. */
export function unanswered(raised: readonly WarningToConfirm[], acknowledgements: readonly Acknowledgement[]): WarningToConfirm[] {
  return raised.filter((warning) => !acknowledgements.some((ack) => ack.warning === warning.warning))
}
