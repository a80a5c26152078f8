import { z } from 'zod'
import { QueueStatus } from './records'
import { UploadState } from './upload'

/**
 * Schemas for the supervisors' and IT's side of the kiosk: the updater's state, diagnostics, drives and bundles,
 * enrolment. contract.ts imports these for its channels and events; nothing here imports contract.ts.
 */

const Count = z.number().int().nonnegative()

/** `latest` for every post; `pilot` for the posts IT lists in the feed's pilot-posts.json (docs/updates.md). */
export const UpdateChannel = z.enum(['latest', 'pilot'])
export type UpdateChannel = z.infer<typeof UpdateChannel>

export const UpdateStatus = z.enum(['disabled', 'idle', 'checking', 'downloading', 'downloaded', 'installing', 'error'])
export type UpdateStatus = z.infer<typeof UpdateStatus>

/**
 * Why the updater does nothing at all: a developer's unpackaged run, a test run, no feed URL configured, or a
 * feed over plain http to another machine (refused: see main/services/updates/policy.ts).
 */
export const UpdatesDisabledReason = z.enum(['unpackaged', 'test', 'no_feed', 'insecure_feed'])
export type UpdatesDisabledReason = z.infer<typeof UpdatesDisabledReason>

export const InstallNowReason = z.enum(['requested', 'idle', 'night_window'])
export const InstallWaitReason = z.enum(['no_update', 'registration_open', 'export_running', 'upload_running'])

/** The install policy's answer; the reason is a code the renderer words (updates.reason.<code>). */
export const InstallDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('install-now'), reason: InstallNowReason }),
  z.object({ action: z.literal('wait'), reason: InstallWaitReason }),
])
export type InstallDecision = z.infer<typeof InstallDecision>

export const UpdateError = z.object({
  /** electron-updater's code (ERR_UPDATER_…, ERR_CHECKSUM_MISMATCH) or a network code; never a stack. */
  code: z.string().max(80),
  message: z.string().max(300),
  at: z.string(),
})
export type UpdateError = z.infer<typeof UpdateError>

export const UpdateState = z.object({
  status: UpdateStatus,
  disabledReason: UpdatesDisabledReason.nullable(),
  currentVersion: z.string(),
  /** The version downloaded or being downloaded. */
  availableVersion: z.string().nullable(),
  channel: UpdateChannel,
  /** Download progress, 0–100, while downloading. */
  progress: z.number().min(0).max(100).nullable(),
  lastCheckAt: z.string().nullable(),
  /** The install policy's latest answer for a downloaded update (null while there is none). */
  decision: InstallDecision.nullable(),
  lastError: UpdateError.nullable(),
})
export type UpdateState = z.infer<typeof UpdateState>

/** A log line kept for the diagnostics screen: fields are primitives only, strings already redacted. */
export const RecentError = z.object({
  at: z.string(),
  level: z.enum(['warn', 'error']),
  message: z.string().max(300),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
})
export type RecentError = z.infer<typeof RecentError>

export const DiskSpace = z.object({ path: z.string(), freeBytes: Count.nullable(), totalBytes: Count.nullable() })
export type DiskSpace = z.infer<typeof DiskSpace>

/** A USB stick or card the OS has mounted, offered for bundles and diagnostics exports (storage/drives.ts). */
export const RemovableDrive = z.object({
  path: z.string(),
  /** The volume's name as the OS mounted it (KINGSTON), or the drive letter. */
  label: z.string(),
  freeBytes: Count.nullable(),
  totalBytes: Count.nullable(),
  /** False for a stick that is write-protected or mounted read-only: it can still be read from. */
  writable: z.boolean(),
})
export type RemovableDrive = z.infer<typeof RemovableDrive>

/** An offline bundle found on a drive, described from its readable header (nothing of it is decrypted). */
export const BundleOnDrive = z.object({
  file: z.string(),
  bundleId: z.string(),
  postId: z.string(),
  createdAt: z.string(),
  records: Count,
  photos: Count,
  bytes: Count,
})
export type BundleOnDrive = z.infer<typeof BundleOnDrive>

/**
 * The diagnostics report without the two parts contract.ts owns; the channel's schema is
 * `DiagnosticsReport.extend({ queue: QueueStatus, upload: UploadState })`, built in contract.ts.
 */
export const DiagnosticsReport = z.object({
  generatedAt: z.string(),
  versions: z.object({
    app: z.string(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
    node: z.string(),
    os: z.string(),
    arch: z.string(),
  }),
  /** The kiosk's config with anything secret-looking masked (keys like token/secret/password, URL credentials). */
  config: z.record(z.string(), z.unknown()),
  update: UpdateState.nullable(),
  disk: DiskSpace,
  lastErrors: z.array(RecentError),
  /** How the vault key is kept at rest, and whether this kiosk may register with it (security/keys.ts). */
  keyProtection: z.object({ kind: z.enum(['keyring', 'tpm', 'none']), registering: z.boolean() }),
})

export const DiagnosticsExportResult = z.object({
  file: z.string(),
  bytes: Count,
  /** Paths inside the archive, for the screen to list. */
  entries: z.array(z.string()),
})
export type DiagnosticsExportResult = z.infer<typeof DiagnosticsExportResult>

export const EnrolmentStatus = z.object({
  enrolled: z.boolean(),
  postId: z.string().nullable(),
  postName: z.string().nullable(),
  centralUrl: z.string().nullable(),
  enrolledAt: z.string().nullable(),
  kioskKeyId: z.string().nullable(),
  /**
   * How this run of the kiosk sends to central (set by the kiosk, not the enrolment): its own enrolled key, a post
   * token it was started with (the demo, a pre-enrolment install), or nothing. A kiosk not enrolled may still send.
   */
  uploadsWith: z.enum(['enrolment', 'post_token']).nullable().optional(),
})
export type EnrolmentStatus = z.infer<typeof EnrolmentStatus>

export const BundleExportResult = z.object({ file: z.string(), bundleId: z.uuid(), records: Count, photos: Count, bytes: Count })
export const BundleImportResult = z.object({
  bundleId: z.uuid(),
  postId: z.string(),
  records: Count,
  accepted: Count,
  duplicate: Count,
  rejected: Count,
  photos: Count,
  newPhotos: Count,
  replayed: z.boolean(),
  bytes: Count,
})

/** IT's diagnostics screen: versions, masked config, disk, recent errors, and the queue and uploader as staff see them. */
export const Diagnostics = DiagnosticsReport.extend({ queue: QueueStatus, upload: UploadState })
export type Diagnostics = z.infer<typeof Diagnostics>
