import { z } from 'zod'
import { WarningToConfirm } from './acknowledgements'
import { RegistrationRecord, Sex } from './registration'

/** Registrations as the screens see them: states, the queue's counts, validation reports, receipts, views, the day report. */

/** A registration's life on the kiosk (DESIGN.md §5). `draft` never reaches the store. */
export const RecordState = z.enum(['queued', 'uploading', 'accepted', 'duplicate', 'rejected', 'exported', 'purged'])
export type RecordState = z.infer<typeof RecordState>

export const QueueStatus = z.object({
  counts: z.record(RecordState, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  /** Self-service registrations held for staff review (counted under `queued` too). */
  awaitingReview: z.number().int().nonnegative(),
})
export type QueueStatus = z.infer<typeof QueueStatus>

/**
 * How many records a USB export would write now: every record still waiting for central's answer (queued, in a
 * batch, or exported before and not yet confirmed), less the self-service ones held for a staff check (the outbox's
 * `held`, which export skips as the uploader does). Lets the export card say its count, or that there is nothing
 * to write, before a drive is chosen.
 */
export function exportableRecords(queue: QueueStatus): number {
  const { queued = 0, uploading = 0, exported = 0 } = queue.counts
  return Math.max(0, queued - queue.awaitingReview) + uploading + exported
}

/** A field problem: `message` is an i18n key (validation.*) so the renderer shows it in the chosen language. */
export const FieldIssue = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })
export type FieldIssue = z.infer<typeof FieldIssue>

export const RegionItem = z.object({ code: z.string(), name: z.string() })
export type RegionItem = z.infer<typeof RegionItem>

/** What a NIK tells offline, with region names for the autofill, and its non-blocking warnings. */
export const NikInsight = z.object({
  birthDate: z.string(),
  sex: Sex,
  province: RegionItem,
  regency: RegionItem.nullable(),
  district: RegionItem.nullable(),
  warnings: z.array(z.string()),
})
export type NikInsight = z.infer<typeof NikInsight>

export const ValidationReport = z.object({
  valid: z.boolean(),
  errors: z.array(FieldIssue),
  /** Non-blocking: shown next to the field, e.g. `nik.birth_date_differs` or `email.suggest:gmail.com`. */
  warnings: z.array(FieldIssue),
  nik: NikInsight.nullable(),
  /** Warnings that need an explicit answer before the step moves on (and before a submit is accepted). */
  confirm: z.array(WarningToConfirm),
})
export type ValidationReport = z.infer<typeof ValidationReport>

/**
 * What a receipt prints (issue 19): the programme, the applicant's name and masked NIK (common/receipt.ts maskNik:
 * the full NIK never reaches a receipt), the receipt number and where the registration stands.
 */
export const Receipt = z.object({
  id: z.uuid(),
  receiptNo: z.string(),
  createdAt: z.string(),
  postId: z.string(),
  postName: z.string(),
  state: RecordState,
  programme: z.string(),
  fullName: z.string(),
  nikMasked: z.string().regex(/^\d{4} •••• •••• \d{4}$/),
})
export type Receipt = z.infer<typeof Receipt>

/** A record opened by staff: every such read is audited. Rejection reasons come from central (no PII). */
export const RegistrationView = z.object({
  record: RegistrationRecord,
  state: RecordState,
  centralId: z.string().nullable(),
  rejection: z.array(FieldIssue).nullable(),
  updatedAt: z.string(),
})
export type RegistrationView = z.infer<typeof RegistrationView>

export const RegistrationSummary = z.object({
  id: z.uuid(),
  receiptNo: z.string(),
  fullName: z.string(),
  state: RecordState,
  createdAt: z.string(),
})
export type RegistrationSummary = z.infer<typeof RegistrationSummary>

/** The supervisor's day report: counts only, never a name or a NIK (issue 7). */
export const DayReport = z.object({
  date: z.string(),
  total: z.number().int(),
  selfService: z.number().int(),
  photoOverrides: z.number().int(),
  perOperator: z.array(z.object({ operatorId: z.string(), count: z.number().int() })),
  perHour: z.array(z.object({ hour: z.number().int(), count: z.number().int() })),
  byState: z.record(RecordState, z.number().int().nonnegative()),
  rejectionsByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
})
export type DayReport = z.infer<typeof DayReport>
