import { z } from 'zod'
import { BundleExportResult, BundleImportResult, BundleOnDrive, Diagnostics, DiagnosticsExportResult, EnrolmentStatus, RemovableDrive, UpdateState } from './operations'
import { KtpReadInput, KtpReading } from './ktp'
import { AnomalyListView, AnomalyView, MarkDuplicateInput, PairConfirmInput, PairingView, PairStartInput, PeerListView, PostOverviewAnswer } from './network'
import { JpegBase64, PhotoKind, PhotoVerdict } from './photos'
import { DayReport, FieldIssue, QueueStatus, Receipt, RegionItem, RegistrationSummary, RegistrationView, ValidationReport } from './records'
import { RegistrationDraft, Sha256 } from './registration'
import { AppInfo, KioskMode, Language } from './settings'
import { AuditRowView, OperatorId, OperatorView, Pin, Role, SessionState } from './staff'
import { UploadState } from './upload'
import { ParkDraftInput, ParkedDraft, ResumedDraft } from './drafts'
import { NikCheck, NikCheckInput } from './nik-check'
import { BackupStatusAnswer, DesignateStickInput, RestoreDeskInput, RestoreDeskResult, DismissMovedAsideInput, RestoreFromStickInput, StickAnswer, StickDesksAnswer, StickStatus, StoreHealth } from './backup'

/**
 * The one table of the IPC surface. Main's dispatcher, the preload bridge, the renderer's client and the test
 * harness are all derived from it, so a channel cannot exist in one place only.
 */

const NoInput = z.void()

/** Paths come from main's own file dialogs in the kiosk; common/ can't use node:path, hence the shape check. */
const AbsolutePath = z.string().min(1).max(1024).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'validation.absolute_path')

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
  /** The post network's desks and the devices it refused, with why (IT's "Perangkat dari posko lain"). */
  'network.peers': { input: NoInput, output: PeerListView },
  /** NIKs registered twice in the post (during a split), from the post log's NIK HMACs: the anomaly screen. */
  'network.anomalies': { input: NoInput, output: AnomalyListView },
  /** A supervisor marks one record of such a NIK as the duplicate of another: audited, replicated, sent to central. */
  'network.markDuplicate': { input: MarkDuplicateInput, output: AnomalyView },
  /** The post's totals today and each desk's state, for every desk's home screen (null: no post network here). */
  'network.post': { input: NoInput, output: PostOverviewAnswer },
  /** Pairing by short code (post never reached central): desks waiting to pair, the pairing under way, paired desks. */
  'network.pairing': { input: NoInput, output: PairingView },
  /** Asks a waiting desk to pair: both screens then show the same 6-digit code if nobody is in between. */
  'network.pairStart': { input: PairStartInput, output: PairingView },
  /** This desk's supervisor says whether the two codes are the same; both must say so before anything is paired. */
  'network.pairConfirm': { input: PairConfirmInput, output: PairingView },
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
  /** A stored photo as a data: URL, for the review's and the record view's thumbnails (self-service: its own draft's only). */
  'photo.preview': { input: z.strictObject({ sha256: Sha256 }), output: z.object({ preview: z.string() }) },
  /** Captures with the OS-side camera driver (fswebcam via node-webcam), for kiosks configured with camera.source = main. */
  'photo.capture': { input: z.strictObject({ kind: PhotoKind }), output: PhotoVerdict },
  /** One preview frame of the KTP scan step: the card's checked fields (common/ktp.ts); frames of one `session` vote. */
  'ktp.read': { input: KtpReadInput, output: KtpReading },
  'regions.children': {
    input: z.strictObject({ parent: z.string().regex(/^\d{2}(\.\d{2}){0,2}$/).nullable() }),
    output: z.object({ items: z.array(RegionItem) }),
  },
  'registration.validate': { input: z.strictObject({ draft: PartialDraft }), output: ValidationReport },
  'registration.submit': { input: z.strictObject({ draft: RegistrationDraft }), output: Receipt },
  'registration.get': { input: Id, output: RegistrationView },
  /**
   * By NIK, receipt number, mobile number or name words (common/search.ts), through the NIK HMAC and the keyed
   * search index: nothing typed is stored. `by` says how the query was read ('none': nothing searchable in it);
   * `more`: more hits than listed (newest first); `indexing`: older records are still being indexed.
   */
  'registration.find': {
    input: z.strictObject({ query: z.string().trim().min(2).max(60) }),
    output: z.object({
      results: z.array(RegistrationSummary),
      by: z.enum(['nik', 'receipt', 'phone', 'name', 'none']),
      more: z.boolean(),
      indexing: z.boolean(),
    }),
  },
  /**
   * Is this NIK registered already? Asked at the NIK step as soon as it is whole, one source per call (kiosk first,
   * then central): staff get whose receipt on this kiosk; an applicant only "registered" (issue 19.1).
   */
  'registration.checkNik': { input: NikCheckInput, output: NikCheck },
  /** Staff set a started registration aside (sealed on the kiosk, photos kept) until the end of the day. */
  'drafts.park': { input: ParkDraftInput, output: ParkedDraft },
  /** Parked drafts for the home screen: numbers, times and steps only, no personal data. */
  'drafts.list': { input: NoInput, output: z.object({ drafts: z.array(ParkedDraft) }) },
  /** Takes a parked draft back into a registration (it leaves the store). */
  'drafts.resume': { input: Id, output: ResumedDraft },
  'registration.update': { input: z.strictObject({ id: z.uuid(), draft: RegistrationDraft }), output: RegistrationView },
  /** The receipt of a stored registration, for "Cetak ulang" from the record view; audited as a reprint. */
  'registration.reprint': { input: Id, output: Receipt },
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
  /**
   * An applicant at a self-service kiosk asks for help (a photo the check keeps refusing): audited, and announced
   * as `staff.called` for whatever shows staff a notice (the post network's desks, once they listen).
   */
  'staff.call': { input: z.strictObject({ reason: z.enum(['photo']) }), output: z.object({ calledAt: z.string() }) },
  'upload.state': { input: NoInput, output: UploadState },
  /** Staff's "upload now": skips the backoff wait and the breaker (not central's Retry-After). */
  'upload.now': { input: NoInput, output: UploadState },
  /** Issue 22.5: the store's integrity check at start, and whether a damaged database was moved aside. */
  'store.health': { input: NoInput, output: StoreHealth },
  /**
   * Issue 22.5: hides the line saying a damaged database was moved aside, once read. `folder` is the one the line
   * named (a notice of another move is not dismissed by it: `conflict`); none shown is `not_found`. Audited; the
   * folder is untouched.
   */
  'store.dismissMovedAside': { input: DismissMovedAsideInput, output: StoreHealth },
  /** Issue 22.1: how many of this desk's records no other desk holds yet ("not yet safe"), and what it holds for others. */
  'backup.status': { input: NoInput, output: BackupStatusAnswer },
  /** Issue 22.4: a reinstalled desk fetches its old self's bundles from the other desks and sends them to central. */
  'backup.restore': { input: RestoreDeskInput, output: RestoreDeskResult },
  /** Issue 22.3: the designated backup stick's state (null on a self-service kiosk). */
  'backup.stick': { input: NoInput, output: StickAnswer },
  /** Issue 22.3: a supervisor designates a USB drive as this desk's backup stick; writing starts at once. */
  'backup.designateStick': { input: DesignateStickInput, output: StickStatus },
  /** Issue 22.3: no stick any more (what is on it stays there). */
  'backup.forgetStick': { input: NoInput, output: StickStatus },
  /** Issue 22.4: the desks of this post whose backups a stick holds. */
  'backup.stickDesks': { input: DesignateStickInput, output: StickDesksAnswer },
  /** Issue 22.4: a reinstalled desk sends its old self's bundles from a stick to central. */
  'backup.restoreFromStick': { input: RestoreFromStickInput, output: RestoreDeskResult },
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
  /** A desk restore (issue 22.4): bundles sent to central of those found. */
  'backup.progress': z.object({ done: z.number().int(), total: z.number().int() }),
  /** An applicant called staff to this kiosk (`staff.call`): the hook a staff-desk notice hangs on. */
  'staff.called': z.object({ reason: z.enum(['photo']), at: z.string(), postId: z.string() }),
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
