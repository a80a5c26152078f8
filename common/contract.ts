import { z } from 'zod'
import { BundleOnDrive, DiagnosticsExportResult, DiagnosticsReport, RemovableDrive, UpdateState } from './operations'
import { RegistrationDraft, RegistrationRecord, Sex } from './registration'

/**
 * The one table of the IPC surface. Main's dispatcher, the preload bridge, the renderer's client and the test
 * harness are all derived from it, so a channel cannot exist in one place only.
 */

export const Language = z.enum(['id', 'en'])
export type Language = z.infer<typeof Language>

export const KioskMode = z.enum(['assisted', 'self-service'])
export type KioskMode = z.infer<typeof KioskMode>

/** A registration's life on the kiosk (DESIGN.md §5). `draft` never reaches the store. */
export const RecordState = z.enum(['queued', 'uploading', 'accepted', 'duplicate', 'rejected', 'exported', 'purged'])
export type RecordState = z.infer<typeof RecordState>

export const AppInfo = z.object({
  version: z.string(),
  postId: z.string(),
  postName: z.string(),
  mode: KioskMode,
  language: Language,
  /** Which camera the photo step uses. */
  cameraSource: z.enum(['renderer', 'main']),
  requirePhotos: z.boolean(),
  /** Self-service idle timings (seconds): warn, then wipe the draft and return to the welcome screen. */
  idle: z.object({ warnSeconds: z.number().int(), resetSeconds: z.number().int() }),
  /** Personal data is erased this many days after central accepted it (shown on the purge and About screens). */
  retentionDays: z.number().int(),
})
export type AppInfo = z.infer<typeof AppInfo>

export const QueueStatus = z.object({
  counts: z.record(RecordState, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  /** Self-service registrations held for staff review (counted under `queued` too). */
  awaitingReview: z.number().int().nonnegative(),
})
export type QueueStatus = z.infer<typeof QueueStatus>

const NoInput = z.void()

export const PhotoKind = z.enum(['face', 'card'])
export type PhotoKind = z.infer<typeof PhotoKind>
/** Stable codes the renderer words as reasons ("Foto terlalu gelap"); `min`/`max` tell which way a check failed. */
export const PhotoCheck = z.object({
  id: z.enum(['decodable', 'resolution', 'face_count', 'face_size', 'face_centered', 'brightness', 'blur']),
  ok: z.boolean(),
  value: z.number(),
  threshold: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
})
export type PhotoCheck = z.infer<typeof PhotoCheck>
export const PhotoVerdict = z.object({
  kind: PhotoKind,
  verdict: z.enum(['pass', 'fail']),
  checks: z.array(PhotoCheck),
  /** The stored photo's reference for the record; null when the frame could not be decoded (nothing stored). */
  sha256: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  /** The processed JPEG as a data: URL for the preview (the CSP allows data: images). Empty when nothing stored. */
  preview: z.string(),
})
export type PhotoVerdict = z.infer<typeof PhotoVerdict>
/** 8 MB of JPEG as base64 (IPC, browser mode and the test binding all carry strings the same way). */
const JpegBase64 = z.string().max(Math.ceil((8 * 1024 * 1024 * 4) / 3) + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'validation.photo')

export const Role = z.enum(['operator', 'supervisor', 'it'])
export const OperatorId = z.string().trim().regex(/^[A-Za-z0-9._-]{3,32}$/, 'validation.operator_id')
export const Pin = z.string().regex(/^\d{6,12}$/, 'validation.pin')

/** The signed-in operator as the renderer knows them: never the PIN, never a hash. */
export const SessionState = z.object({
  status: z.enum(['signed_out', 'active', 'locked']),
  operator: z.object({ id: z.string(), name: z.string(), role: Role }).nullable(),
  /** No operator exists yet: the first-run screen creates the first supervisor. */
  setupRequired: z.boolean(),
  timeoutMinutes: z.number().int(),
})
export type SessionState = z.infer<typeof SessionState>

export const OperatorView = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  locked: z.boolean(),
  failedAttempts: z.number().int(),
})
export type OperatorView = z.infer<typeof OperatorView>

export const AuditRowView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  recordId: z.string().nullable(),
  details: z.string(),
})

/**
 * The uploader as the home screen shows it. `lastError` is a code the renderer words in the user's language
 * (errors.upload.<code>); no server text reaches the screen.
 */
export const UploadStatus = z.enum(['idle', 'running', 'waiting', 'offline', 'auth_error', 'not_configured'])
export type UploadStatus = z.infer<typeof UploadStatus>
export const UploadErrorCode = z.enum(['network', 'timeout', 'server_error', 'overloaded', 'auth', 'bad_answer', 'refused'])
export type UploadErrorCode = z.infer<typeof UploadErrorCode>
export const UploadState = z.object({
  status: UploadStatus,
  pending: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
  lastError: UploadErrorCode.nullable(),
  nextAttemptAt: z.string().nullable(),
  progress: z.object({ sent: z.number().int(), total: z.number().int() }).nullable(),
})
export type UploadState = z.infer<typeof UploadState>

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
})
export type ValidationReport = z.infer<typeof ValidationReport>

export const Receipt = z.object({
  id: z.uuid(),
  receiptNo: z.string(),
  createdAt: z.string(),
  postId: z.string(),
  postName: z.string(),
  state: RecordState,
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

/** Paths come from main's own file dialogs in the kiosk; common/ can't use node:path, hence the shape check. */
const AbsolutePath = z.string().min(1).max(1024).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'validation.absolute_path')
const Count = z.number().int().nonnegative()

export const EnrolmentStatus = z.object({
  enrolled: z.boolean(),
  postId: z.string().nullable(),
  postName: z.string().nullable(),
  centralUrl: z.string().nullable(),
  enrolledAt: z.string().nullable(),
  kioskKeyId: z.string().nullable(),
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

const Id = z.strictObject({ id: z.uuid() })
/** A draft being typed: any shape, bounded in size; `registration.validate` reports what is wrong with it. */
const PartialDraft = z.record(z.string().max(40), z.unknown()).refine((d) => JSON.stringify(d).length <= 64 * 1024, 'too large')

export const contract = {
  'app.info': { input: NoInput, output: AppInfo },
  'settings.setLanguage': { input: z.strictObject({ language: Language }), output: AppInfo },
  /** A supervisor switches the kiosk between the staff desk and the applicants' self-service kiosk. */
  'settings.setMode': { input: z.strictObject({ mode: KioskMode }), output: AppInfo },
  'queue.status': { input: NoInput, output: QueueStatus },
  'session.state': { input: NoInput, output: SessionState },
  'session.signIn': { input: z.strictObject({ operatorId: OperatorId, pin: Pin }), output: SessionState },
  /** First run only: creates the first supervisor and signs them in. */
  'session.setup': { input: z.strictObject({ operatorId: OperatorId, name: z.string().trim().min(2).max(80), pin: Pin }), output: SessionState },
  'session.signOut': { input: NoInput, output: SessionState },
  'session.lock': { input: NoInput, output: SessionState },
  'session.unlock': { input: z.strictObject({ pin: Pin }), output: SessionState },
  /** The renderer saw the operator typing: keeps the session from locking mid-form. */
  'session.touch': { input: NoInput, output: SessionState },
  'operators.list': { input: NoInput, output: z.object({ operators: z.array(OperatorView) }) },
  'operators.create': {
    input: z.strictObject({ operatorId: OperatorId, name: z.string().trim().min(2).max(80), role: Role, pin: Pin }),
    output: OperatorView,
  },
  'operators.unlock': { input: z.strictObject({ operatorId: OperatorId }), output: OperatorView },
  'operators.setActive': { input: z.strictObject({ operatorId: OperatorId, active: z.boolean() }), output: OperatorView },
  /** Erases personal data of records central has held for the retention period, now rather than at the daily run. */
  'retention.purge': { input: NoInput, output: z.object({ records: z.number().int(), photos: z.number().int() }) },
  'report.day': { input: z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }), output: DayReport },
  'enrolment.status': { input: NoInput, output: EnrolmentStatus },
  /** IT enrols the kiosk to its post with a one-time code from central; takes effect at the next start. */
  'enrolment.enrol': {
    input: z.strictObject({
      centralUrl: z.url({ protocol: /^https?$/ }).max(200),
      postId: z.string().trim().min(2).max(20),
      code: z.string().trim().min(12).max(40),
    }),
    output: EnrolmentStatus,
  },
  /** Offline posts: queued records to one file only central can read, for a USB stick. */
  'bundle.export': { input: z.strictObject({ directory: AbsolutePath }), output: BundleExportResult },
  /** A connected kiosk forwards another post's bundle to central, exactly once. */
  'bundle.import': { input: z.strictObject({ file: AbsolutePath }), output: BundleImportResult },
  /** The bundles in a folder (a stick's top level), newest first, from their headers; other files are left out. */
  'bundle.list': { input: z.strictObject({ directory: AbsolutePath }), output: z.object({ bundles: z.array(BundleOnDrive) }) },
  /** The USB sticks and cards the OS has mounted, to export to or import from without typing a path. */
  'storage.drives': { input: NoInput, output: z.object({ drives: z.array(RemovableDrive) }) },
  'diagnostics.get': { input: NoInput, output: Diagnostics },
  /** A .tar.gz with counts, masked config and redacted log tails: no personal data (tested by scanning it). */
  'diagnostics.export': { input: z.strictObject({ directory: AbsolutePath }), output: DiagnosticsExportResult },
  'update.state': { input: NoInput, output: UpdateState },
  /** A supervisor installs a downloaded update now (still never while a registration is open). */
  'update.installNow': { input: NoInput, output: UpdateState },
  /** The renderer opened (true) or closed, submitted or wiped (false) a registration form: updates wait for it. */
  'registration.draftState': { input: z.strictObject({ open: z.boolean() }), output: z.object({ open: z.boolean() }) },
  'audit.verify': {
    input: NoInput,
    output: z.object({ ok: z.boolean(), rows: z.number().int(), brokenAt: z.number().int().nullable(), reason: z.string().nullable() }),
  },
  'audit.list': {
    input: z.strictObject({ action: z.string().max(40).optional(), limit: z.number().int().min(1).max(1000).optional(), beforeSeq: z.number().int().positive().optional() }),
    output: z.object({ rows: z.array(AuditRowView) }),
  },
  'photo.process': { input: z.strictObject({ kind: PhotoKind, jpegBase64: JpegBase64 }), output: PhotoVerdict },
  /** Captures with the OS-side camera driver (fswebcam via node-webcam), for kiosks configured with camera.source = main. */
  'photo.capture': { input: z.strictObject({ kind: PhotoKind }), output: PhotoVerdict },
  'regions.children': {
    input: z.strictObject({ parent: z.string().regex(/^\d{2}(\.\d{2}){0,2}$/).nullable() }),
    output: z.object({ items: z.array(RegionItem) }),
  },
  'registration.validate': { input: z.strictObject({ draft: PartialDraft }), output: ValidationReport },
  'registration.submit': { input: z.strictObject({ draft: RegistrationDraft }), output: Receipt },
  'registration.get': { input: Id, output: RegistrationView },
  'registration.find': {
    input: z.strictObject({ query: z.string().trim().min(4).max(40) }),
    output: z.object({ results: z.array(RegistrationSummary) }),
  },
  'registration.update': { input: z.strictObject({ id: z.uuid(), draft: RegistrationDraft }), output: RegistrationView },
  /** Records central rejected, newest first, with the reasons, for staff to fix and resend. */
  'registration.listRejected': { input: NoInput, output: z.object({ results: z.array(RegistrationSummary.extend({ rejection: z.array(FieldIssue) })) }) },
  /** Self-service registrations held for staff review, newest first. */
  'registration.listReview': { input: NoInput, output: z.object({ results: z.array(RegistrationSummary) }) },
  /** Staff checked a held self-service registration: it joins the upload queue. */
  'registration.approve': { input: Id, output: RegistrationSummary },
  /**
   * Prints the receipt on screen (the renderer's print stylesheet shows only the receipt) as the kiosk is set up:
   * the OS dialog or silently to the default printer; `pdf` saves a PDF copy instead. Electron only: in browser
   * mode it answers `unavailable` and the renderer uses window.print().
   */
  'receipt.print': { input: z.strictObject({ pdf: z.boolean() }), output: z.object({ printed: z.boolean(), file: z.string().nullable() }) },
  'upload.state': { input: NoInput, output: UploadState },
  /** Staff's "upload now": skips the backoff wait and the breaker (not central's Retry-After). */
  'upload.now': { input: NoInput, output: UploadState },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

/** Events main pushes to the renderer through the one `posko.on(event, cb)`. */
export const events = {
  'queue.changed': QueueStatus,
  'settings.changed': AppInfo,
  'upload.state': UploadState,
  'session.changed': SessionState,
  'update.state': UpdateState,
  /** Long bundle work for a progress bar: records done of total (export), bytes sent of total (import). */
  'bundle.progress': z.object({ operation: z.enum(['export', 'import']), done: z.number().int(), total: z.number().int() }),
} as const satisfies Record<string, z.ZodType>

export type Contract = typeof contract
export type Channel = keyof Contract
export type EventName = keyof typeof events
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const channels = Object.keys(contract) as Channel[]
export const eventNames = Object.keys(events) as EventName[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
