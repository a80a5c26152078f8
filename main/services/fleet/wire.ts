import { z } from 'zod'
import { RecordState } from '../../../common/records'
import { UploadStatus } from '../../../common/upload'
import { PostId } from '../platform/identity'

/**
 * POST /v1/posts/{postId}/heartbeat: what a kiosk tells central about itself for IT's fleet view. Numbers, codes and
 * timestamps only; strict, so a field carrying anything else (a name, a message) is refused at both ends.
 * test/central validates with these same schemas.
 */
export const heartbeatPath = (postId: string) => `/v1/posts/${encodeURIComponent(postId)}/heartbeat`

const Count = z.number().int().nonnegative()
const Iso = z.iso.datetime({ offset: true })

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
})
export type Heartbeat = z.infer<typeof Heartbeat>

export const HeartbeatAnswer = z.object({ postId: PostId, receivedAt: Iso })
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>

/** GET /v1/posts (IT's admin token): every post central knows, with its latest heartbeat. */
export const FleetPost = z.object({
  postId: PostId,
  name: z.string(),
  regencyCode: z.string(),
  lastSeenAt: Iso.nullable(),
  stale: z.boolean(),
  heartbeat: Heartbeat.nullable(),
})
export type FleetPost = z.infer<typeof FleetPost>
export const FleetAnswer = z.object({ generatedAt: Iso, staleAfterHours: z.number(), posts: z.array(FleetPost) })
export type FleetAnswer = z.infer<typeof FleetAnswer>
