import { z } from 'zod'

/**
 * The uploader as the home screen shows it. `lastError` is a code the renderer words in the user's language
 * (errors.upload.<code>); no server text reaches the screen.
 */
export const UploadStatus = z.enum(['idle', 'running', 'waiting', 'offline', 'auth_error', 'not_configured'])
export type UploadStatus = z.infer<typeof UploadStatus>
export const UploadErrorCode = z.enum(['network', 'timeout', 'server_error', 'overloaded', 'auth', 'bad_answer', 'refused', 'disk_full'])
export type UploadErrorCode = z.infer<typeof UploadErrorCode>
export const UploadState = z.object({
  status: UploadStatus,
  pending: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  lastError: UploadErrorCode.nullable(),
  nextAttemptAt: z.string().nullable(),
  /**
   * While a run is on: records sent of those queued at its start, and (once a batch has gone) the seconds the rest
   * of the queue will take at the rate measured so far (upload/drain-rate.ts).
   */
  progress: z.object({ sent: z.number().int(), total: z.number().int(), secondsLeft: z.number().int().nonnegative().optional() }).nullable(),
})
export type UploadState = z.infer<typeof UploadState>
