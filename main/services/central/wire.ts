import { z } from 'zod'
import { MAX_HELD_QUERY } from './photo-pack'

/**
 * Central API v1 answers, as the kiosk accepts them. Anything that does not parse is a failed call, never a
 * success: a captive portal's 200 HTML page or a body cut mid-JSON must not mark a record as sent.
 */
export const FieldError = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string().max(200) })

/**
 * The centralId of a `duplicate` whose NIK another post registered: central says the person is registered, not
 * which record of which post holds them (issue 17.6: an id per probe let a kiosk map other posts' registrations).
 * Still a non-empty string, so every kiosk that reads API v1 keeps parsing it; the kiosk stores it as it is.
 */
export const DUPLICATE_ELSEWHERE = 'elsewhere'

export const RecordResult = z.discriminatedUnion('status', [
  z.object({ id: z.string(), status: z.literal('accepted'), centralId: z.string().min(1) }),
  z.object({ id: z.string(), status: z.literal('duplicate'), centralId: z.string().min(1) }),
  z.object({ id: z.string(), status: z.literal('rejected'), errors: z.array(FieldError) }),
])
export type RecordResult = z.infer<typeof RecordResult>

export const BatchAnswer = z.object({ batchId: z.string(), results: z.array(RecordResult) })
export type BatchAnswer = z.infer<typeof BatchAnswer>

export const PhotoAnswer = z.object({ sha256: z.string(), size: z.number() })

const StoredPhoto = z.object({ sha256: z.string(), size: z.number().int().nonnegative(), created: z.boolean() })

/** POST /v1/photos:batch: one entry per frame of the pack, in order. */
export const PhotoPackAnswer = z.object({ photos: z.array(StoredPhoto) })

/**
 * One line of a photo pack's streamed receipt (photo-pack.ts RECEIPT_MEDIA_TYPE): frames central has committed, next
 * in the pack's order; then the end of the pack, or why it was refused (the refusal's status, as the answer would
 * have had it unstreamed; the frames acknowledged before it stay stored).
 */
export const ReceiptLine = z.union([
  z.object({ stored: z.array(StoredPhoto).min(1) }),
  z.object({ done: z.object({ photos: z.number().int().nonnegative() }) }),
  z.object({ status: z.number().int().min(400).max(599), error: z.object({ code: z.string(), message: z.string() }) }),
])
export type ReceiptLine = z.infer<typeof ReceiptLine>

/** POST /v1/photos:held: the photos of the question central holds (after a pack was cut off mid-body). */
export const PhotosHeldRequest = z.strictObject({ sha256s: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1).max(MAX_HELD_QUERY) })
export const PhotosHeldAnswer = z.object({
  held: z.array(z.string()),
  /** Asked with ?partial=true: the JPEG bytes central kept of photos whose frame a cut fell in (photo-pack.ts FRAME_REST). */
  partial: z.array(z.object({ sha256: z.string(), bytes: z.number().int().positive() })).optional(),
})

export const HealthAnswer = z.object({ status: z.literal('ok') })

export const StatusAnswer = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  centralId: z.string().nullable(),
})

/** POST /v1/registrations:lookup (issue 19.1): who holds a NIK, as far as this post may know. */
export const NIK_LOOKUP_PATH = '/v1/registrations:lookup'
export const NikLookupAnswer = z.discriminatedUnion('match', [
  z.object({ match: z.literal('none') }),
  /** This post's own registration: its receipt and central state. */
  z.object({ match: z.literal('this_post'), receiptNo: z.string().min(1).max(60), registeredAt: z.string().max(40), state: z.enum(['accepted', 'duplicate']) }),
  /** Another post's: registered, nothing more (counted against the caller like a cross-post duplicate). */
  z.object({ match: z.literal('elsewhere') }),
])
export type NikLookupAnswer = z.infer<typeof NikLookupAnswer>

/**
 * POST /v1/duplicates (issue 21.4): the post's staff marked one of two records of the same NIK (both registered
 * during a split of the post network) as the duplicate of the other. Ids only; idempotent by the duplicate's id.
 */
export const DUPLICATES_PATH = '/v1/duplicates'
export const DuplicateMark = z.strictObject({
  duplicateId: z.uuid(),
  keptId: z.uuid(),
  markedAt: z.iso.datetime({ offset: true }),
  operatorId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).nullable(),
})
export type DuplicateMark = z.infer<typeof DuplicateMark>
export const DuplicateMarkAnswer = z.object({ duplicateId: z.string(), keptId: z.string(), recordedAt: z.string() })
