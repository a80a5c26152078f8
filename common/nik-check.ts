import { z } from 'zod'
import { RecordState } from './records'

/**
 * Where a NIK may already be registered, asked in this order by the NIK step (issue 19.1): this kiosk's own store
 * (instant, offline), then central when online (a short lookup that never blocks). The post network (DESIGN §11)
 * adds `desk` (another kiosk of the same post, from the shared post log) as one more source between the two.
 */
export const NikSource = z.enum(['kiosk', 'desk', 'central'])
export type NikSource = z.infer<typeof NikSource>

/** Why a source could not answer; the flow goes on as if it had found nothing (the submit still checks locally). */
export const NikUnknownReason = z.enum(['offline', 'timeout', 'not_configured', 'rate_limited', 'unavailable', 'not_offered'])
export type NikUnknownReason = z.infer<typeof NikUnknownReason>

export const NikCheck = z.discriminatedUnion('found', [
  z.object({ source: NikSource, found: z.literal('none') }),
  /** On this kiosk, for staff: whose receipt, when, its state, and the record to open or reprint. */
  z.object({
    source: NikSource,
    found: z.literal('here'),
    recordId: z.uuid(),
    receiptNo: z.string(),
    fullName: z.string(),
    createdAt: z.string(),
    state: RecordState,
  }),
  /** At this post but not on this kiosk (central or, later, another desk): the receipt and its state, no more. */
  z.object({
    source: NikSource,
    found: z.literal('this_post'),
    receiptNo: z.string(),
    registeredAt: z.string(),
    state: RecordState,
    /** Source `desk`: the desk that holds it, as the roster names it ("Meja 2"). */
    desk: z.string().optional(),
  }),
  /** At another post: that it is registered, never where or by whom (central counts and limits these answers). */
  z.object({ source: NikSource, found: z.literal('elsewhere') }),
  /** An applicant at a self-service kiosk learns only this: never another person's receipt, name or dates. */
  z.object({ source: NikSource, found: z.literal('registered') }),
  z.object({ source: NikSource, found: z.literal('unknown'), reason: NikUnknownReason }),
])
export type NikCheck = z.infer<typeof NikCheck>

/** A check's input: the 16 digits only (the renderer sends a NIK once it is whole). */
export const NikCheckInput = z.strictObject({
  nik: z.string().regex(/^\d{16}$/, 'validation.nik_length'),
  source: NikSource,
  /** Editing a stored record: that record is not its own duplicate. */
  exceptId: z.uuid().optional(),
})
