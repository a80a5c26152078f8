import { z } from 'zod'
import { RecordState } from '../../../common/records'
import { UploadStatus } from '../../../common/upload'
import { PostId } from '../platform/identity'
import { BoxPublicKeyWire, PostRoster, TlsCertificateWire } from '../platform/post-roster'

/**
 * POST /v1/posts/{postId}/heartbeat: what a kiosk tells central about itself for IT's fleet view. Numbers, codes and
 * timestamps only; strict, so a field carrying anything else (a name, a message) is refused at both ends.
 * test/central validates with these same schemas.
 */
export const heartbeatPath = (postId: string) => `/v1/posts/${encodeURIComponent(postId)}/heartbeat`

const Count = z.number().int().nonnegative()
const Iso = z.iso.datetime({ offset: true })

/** The head of the kiosk's audit chain (store/audit.ts): a sequence number and a SHA-256, nothing personal. */
export const AuditHead = z.strictObject({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) })
export type AuditHead = z.infer<typeof AuditHead>

/** How the kiosk's vault key is protected (issue 17.1); `none` is a kiosk IT must look at. */
export const KeyProtection = z.enum(['keyring', 'tpm', 'none'])
export type KeyProtection = z.infer<typeof KeyProtection>

/** The updater's last error code (an update refused: ERR_UPDATE_SIGNATURE, ERR_CHECKSUM_MISMATCH…); a code, never a message. */
export const UpdateErrorCode = z.string().regex(/^[A-Za-z0-9_]{1,80}$/)

export const Heartbeat = z.strictObject({
  version: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/),
  sentAt: Iso,
  /** Records by state on the kiosk (the queue depth is queued + uploading). */
  queue: z.record(RecordState, Count),
  uploadStatus: UploadStatus,
  lastSyncAt: Iso.nullable(),
  diskFreeBytes: Count.nullable(),
  /** The uploader's last error code (UploadErrorCode) or null; a code, never a message. */
  lastError: z.string().regex(/^[a-z0-9_]{1,40}$/).nullable(),
  /**
   * The audit chain's last row, so central can tell when a kiosk's audit history was rewritten (its head went back,
   * or the same seq came with another hash): the chain proves itself only to whoever holds an earlier head.
   * Optional: kiosks from before it still send valid heartbeats.
   */
  auditHead: AuditHead.nullable().optional(),
  keyProtection: KeyProtection.nullable().optional(),
  updateError: UpdateErrorCode.nullable().optional(),
  /**
   * Issue 22: this desk's records central has not answered that neither another desk nor its backup stick holds
   * ("not yet safe"); null where the kiosk has no post network. Optional: kiosks from before it still send valid
   * heartbeats.
   */
  notSafe: Count.nullable().optional(),
  /**
   * A kiosk whose certificate central's roster does not list yet (enrolled before the post network) sends it here,
   * public keys only; central registers it once and answers the roster from then on.
   */
  tlsCertificate: TlsCertificateWire.optional(),
  boxPublicKey: BoxPublicKeyWire.optional(),
})
export type Heartbeat = z.infer<typeof Heartbeat>

/** `roster`: the post's roster for an enrolled kiosk whose certificate central holds (absent for posts.json tokens). */
export const HeartbeatAnswer = z.object({ postId: PostId, receivedAt: Iso, roster: PostRoster.optional() })
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>

/** GET /v1/posts (IT's admin token): every post central knows, with its latest heartbeat. */
export const FleetPost = z.object({
  postId: PostId,
  name: z.string(),
  regencyCode: z.string(),
  lastSeenAt: Iso.nullable(),
  stale: z.boolean(),
  heartbeat: Heartbeat.nullable(),
  /**
   * The latest heartbeat whose audit head did not continue the one before from the same credential: the kiosk's
   * audit history was rewritten, or the kiosk restored from a backup. Kept until IT clears it (null: none seen).
   */
  auditAlert: z.object({ at: Iso, credential: z.string(), previous: AuditHead, reported: AuditHead }).nullable(),
})
export type FleetPost = z.infer<typeof FleetPost>

/**
 * A credential that speaks for a post: an enrolled kiosk (its key id) or the post's posts.json token
 * (`post:<postId>`, listed only once it has cross-post duplicates). Cross-post duplicates are answers of
 * "registered at another post", counted because a stream of them is NIK probing (test/central/duplicates.ts).
 */
export const FleetCredential = z.object({
  credential: z.string(),
  kind: z.enum(['kiosk', 'post_token']),
  postId: PostId,
  kioskVersion: z.string().nullable(),
  enrolledAt: Iso.nullable(),
  revokedAt: Iso.nullable(),
  crossPostDuplicates: z.object({ window: Count, total: Count }),
  /** Seconds until its batches are accepted again, while it is over the duplicate limit; else null. */
  limitedForSeconds: Count.nullable(),
  /**
   * Issue 22: the desk's records not yet safe, from its latest heartbeat that said (null: never said, a post token,
   * or a desk without a post network), and when central heard it.
   */
  notSafe: z.object({ count: Count, at: Iso }).nullable().optional(),
})
export type FleetCredential = z.infer<typeof FleetCredential>

export const FleetAnswer = z.object({
  generatedAt: Iso,
  staleAfterHours: z.number(),
  duplicateWindowMinutes: z.number(),
  posts: z.array(FleetPost),
  credentials: z.array(FleetCredential),
})
export type FleetAnswer = z.infer<typeof FleetAnswer>
