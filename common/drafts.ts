import { z } from 'zod'

/**
 * Parked drafts (issue 19.2): a registration staff set aside while the applicant fetches a document, sealed on the
 * kiosk like a record and resumed from the home screen. What lists them carries no personal data: a number, when it
 * was parked, the step it stopped at, whether photos were taken.
 */
export const DraftStep = z.enum(['consent', 'nik', 'identity', 'address', 'contact', 'employment', 'photo', 'review'])
export type DraftStep = z.infer<typeof DraftStep>

/** The form as typed (any shape the renderer edits, bounded), with the photo hashes it refers to. */
export const DraftForm = z.record(z.string().max(40), z.unknown()).refine((d) => JSON.stringify(d).length <= 64 * 1024, 'too large')

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/)

export const ParkDraftInput = z.strictObject({
  form: DraftForm,
  step: DraftStep,
  /** The photos the form refers to: kept with the draft, not erased as abandoned while it is parked. */
  photos: z.array(Sha256).max(4),
})

export const ParkedDraft = z.object({
  id: z.uuid(),
  /** "Draf 3": numbered per kiosk, so staff can say which one without a name. */
  number: z.number().int().positive(),
  parkedAt: z.string(),
  expiresAt: z.string(),
  step: DraftStep,
  photos: z.number().int().nonnegative(),
})
export type ParkedDraft = z.infer<typeof ParkedDraft>

export const ResumedDraft = z.object({ form: DraftForm, step: DraftStep })
export type ResumedDraft = z.infer<typeof ResumedDraft>
