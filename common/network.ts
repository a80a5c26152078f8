import { z } from 'zod'

/**
 * The post network as IT's screen shows it (issue 21): every desk of the post this kiosk has found, and every device
 * it refused with why: `other_post` is "Perangkat dari posko lain" (a kiosk enrolled to another post), `revoked` one
 * central revoked, `unknown` a certificate the roster does not list, `bad_certificate` / `handshake_failed` / the
 * frame and page faults a device that does not speak the post network properly, `newer_log` a desk whose log holds
 * events this desk's version does not read (this desk needs updating). Ids and names only.
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
  // A page holding events of a kind this desk does not read: the other desk runs a newer version; update this one.
  'newer_log',
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

/**
 * The post's day on every desk's home screen (issue 21.4): totals today over every desk's log, and each desk of the
 * roster with whether it is connected now, when it was last heard of and its upload queue (null: not reported yet).
 * Figures and desk names only. The channel answers null on a kiosk without a post network and on a self-service
 * kiosk (its screen faces the public: no other desk's figures there, whoever is signed in).
 */
export const DeskView = z.object({
  kioskId: z.string(),
  name: z.string(),
  self: z.boolean(),
  online: z.boolean(),
  lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
  queueDepth: z.number().int().nonnegative().nullable(),
})
export type DeskView = z.infer<typeof DeskView>

export const PostOverviewView = z.object({
  /** The start of this kiosk's local day the totals count from. */
  day: z.iso.datetime({ offset: true }),
  totals: z.object({ registered: z.number().int().nonnegative(), uploaded: z.number().int().nonnegative(), waiting: z.number().int().nonnegative() }),
  desks: z.array(DeskView),
})
export type PostOverviewView = z.infer<typeof PostOverviewView>

export const PostOverviewAnswer = z.object({ post: PostOverviewView.nullable() })
export type PostOverviewAnswer = z.infer<typeof PostOverviewAnswer>

/**
 * Pairing desks by a short code (issue 21.1), for a post that never reached central: the desks of this post waiting
 * to pair (found by mDNS or at IT's addresses, not trusted yet), the pairing under way with the code both screens
 * show, and the desks paired so far. `pairable` is false once the kiosk is enrolled or holds central's roster.
 */
export const PairingSessionView = z.object({
  id: z.uuid(),
  /** initiator: this desk asked; responder: the other desk asked this one. */
  role: z.enum(['initiator', 'responder']),
  /** The other desk as staff will see it ("Meja 1A2B", from its certificate). */
  peer: z.string(),
  peerSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Six digits, once both nonces are exchanged. */
  code: z.string().regex(/^\d{6}$/).nullable(),
  state: z.enum(['exchanging', 'compare', 'waiting', 'paired', 'cancelled', 'failed']),
  reason: z.string().nullable(),
  /** This desk's supervisor confirmed the code. */
  confirmed: z.boolean(),
})
export type PairingSessionView = z.infer<typeof PairingSessionView>

export const PairingView = z.object({
  pairable: z.boolean(),
  waiting: z.array(z.object({ address: z.string(), kioskId: z.string().nullable(), source: z.enum(['mdns', 'config', 'inbound']) })),
  session: PairingSessionView.nullable(),
  paired: z.array(z.object({ name: z.string(), certSha256: z.string(), pairedAt: z.string() })),
})
export type PairingView = z.infer<typeof PairingView>

export const PairStartInput = z.strictObject({ address: z.string().min(3).max(300) })
export type PairStartInput = z.infer<typeof PairStartInput>

export const PairConfirmInput = z.strictObject({ sessionId: z.uuid(), match: z.boolean() })
export type PairConfirmInput = z.infer<typeof PairConfirmInput>
