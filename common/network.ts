import { z } from 'zod'

/**
 * The post network as IT's screen shows it (issue 21): every desk of the post this kiosk has found, and every device
 * it refused with why: `other_post` is "Perangkat dari posko lain" (a kiosk enrolled to another post), `revoked` one
 * central revoked, `unknown` a certificate the roster does not list, `bad_certificate` / `handshake_failed` / the
 * frame and page faults a device that does not speak the post network properly. Ids and names only.
 */
export const PeerRefusal = z.enum([
  'no_certificate',
  'bad_certificate',
  'unknown',
  'revoked',
  'other_post',
  'no_roster',
  'self',
  'handshake_failed',
  'bad_frame',
  'frame_too_large',
  'frame_timeout',
  'bad_page',
])
export type PeerRefusal = z.infer<typeof PeerRefusal>

export const PeerView = z.object({
  kioskId: z.string().nullable(),
  name: z.string().nullable(),
  certSha256: z.string().nullable(),
  address: z.string(),
  state: z.enum(['connected', 'refused', 'gone']),
  reason: PeerRefusal.nullable(),
  source: z.enum(['mdns', 'config', 'inbound']),
  lastSeenAt: z.iso.datetime({ offset: true }),
})
export type PeerView = z.infer<typeof PeerView>

export const PeerListView = z.object({ peers: z.array(PeerView) })
export type PeerListView = z.infer<typeof PeerListView>

/**
 * The anomaly screen (issue 21.4): a NIK registered twice in the post, found by its post NIK HMAC (never the NIK
 * from a peer). Each record shows what the desk may show: its desk, receipt, time and state; the applicant's name
 * only for this desk's own records (`fullName`, null for another desk's). A supervisor marks one record as the
 * duplicate of another (`duplicateOf`); the mark replicates, so `resolved` holds at every desk once at most one
 * record of the NIK is left unmarked.
 */
export const AnomalyRecordView = z.object({
  recordId: z.uuid(),
  desk: z.string().nullable(),
  ownDesk: z.boolean(),
  receiptNo: z.string().nullable(),
  registeredAt: z.iso.datetime({ offset: true }),
  state: z.enum(['queued', 'accepted', 'duplicate', 'rejected']),
  fullName: z.string().nullable(),
  duplicateOf: z.uuid().nullable(),
  markedBy: z.object({ desk: z.string().nullable(), operatorId: z.string().nullable(), at: z.iso.datetime({ offset: true }) }).nullable(),
})
export type AnomalyRecordView = z.infer<typeof AnomalyRecordView>

export const AnomalyView = z.object({ id: z.uuid(), resolved: z.boolean(), records: z.array(AnomalyRecordView).min(2) })
export type AnomalyView = z.infer<typeof AnomalyView>

export const AnomalyListView = z.object({ anomalies: z.array(AnomalyView), open: z.number().int().nonnegative() })
export type AnomalyListView = z.infer<typeof AnomalyListView>

export const MarkDuplicateInput = z
  .strictObject({ duplicateId: z.uuid(), keptId: z.uuid() })
  .refine((input) => input.duplicateId !== input.keptId, { message: 'validation.same_record', path: ['keptId'] })
export type MarkDuplicateInput = z.infer<typeof MarkDuplicateInput>
