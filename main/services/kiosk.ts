import { join } from 'node:path'
import type { RegistrationRecord } from '../../common/registration'
import type { UploadStatus } from '../../common/upload'
import { createBundleService } from './bundle'
import { createDiagnostics, createRecentErrors, teeLogger } from './diagnostics'
import type { Dispatch, Handlers } from './dispatch'
import { createDispatcher } from './dispatch'
import { createEnrolmentService } from './enrolment'
import type { HeartbeatSender } from './fleet'
import { createHeartbeat, uploadRunEnded } from './fleet'
import { createKtpService } from './ktp/service'
import { createThreadKtpReader } from './ktp/worker-thread'
import type { AnomalyService } from './network/anomalies'
import { createAnomalyService } from './network/anomalies'
import type { DeskStatusWriter } from './network/desk-status'
import type { PairingService } from './network/pairing'
import type { PostLogSync } from './network/post-log'
import type { Relay } from './network/relay'
import type { NetworkService } from './network/service'
import type { PostTrust } from './network/trust'
import { createPostTrust } from './network/trust'
import type { FaceDetector } from './photos/face-detector'
import { createFaceDetector } from './photos/face-detector'
import { createPhotoService } from './photos/service'
import { systemClock } from './platform/clock'
import type { EventBus } from './platform/events'
import { createEventBus } from './platform/events'
import { createTrustedTime } from './platform/trusted-time'
import { lazyRegionIndex } from './regions/load'
import { createDraftService } from './registration/drafts'
import { createReceiptPrinting } from './registration/receipt-print'
import { createRegistrationService } from './registration/service'
import { createRetentionService } from './retention/service'
import type { SessionManager } from './sessions/sessions'
import { createSessionManager } from './sessions/sessions'
import { createKioskSettings } from './settings/service'
import type { StickBackup } from './storage/stick-backup'
import type { AuditLog } from './store/audit'
import { createAuditLog } from './store/audit'
import { createDraftsRepository } from './store/drafts'
import { isDamageError, markDamaged } from './store/integrity'
import { createOperatorsRepository } from './store/operators'
import type { OutboxItem } from './store/outbox'
import { createOutboxRepository } from './store/outbox'
import { createPhotosRepository } from './store/photos'
import { createReportsRepository } from './store/reports'
import { createRetentionRepository } from './store/retention'
import { createSearchIndexRepository } from './store/search-index'
import type { ActivityTracker, UpdateController } from './updates'
import { createActivityTracker, disabledUpdateController } from './updates'
import { toQueueStatus } from './upload/status'
import type { Uploader } from './upload/uploader'
import { backupHandlers } from './kiosk/backup'
import type { KioskOptions } from './kiosk/options'
import { photoHandlers } from './kiosk/photos'
import { assemblePostLog } from './kiosk/post-log'
import { assemblePostNetwork, networkHandlers } from './kiosk/post-network'
import { createDeskNikCheck, registrationHandlers } from './kiosk/registration'
import { authorizeBySession, sessionHandlers } from './kiosk/sessions'
import { settingsHandlers } from './kiosk/settings'
import { openKioskStore, storeHandlers } from './kiosk/store'
import { toolHandlers } from './kiosk/tools'
import { updateHandlers } from './kiosk/updates'
import { assembleUpload, uploadHandlers } from './kiosk/upload'

export type { KioskOptions } from './kiosk/options'

/** What the app (main/index.ts, browser mode) holds of a kiosk: the contract's dispatcher, its events, start-up, close. */
export interface Kiosk {
  readonly dispatch: Dispatch
  readonly events: EventBus
  /** Resolves once start-up work (the demo operator's PIN hash) is done. */
  readonly ready: Promise<void>
  close(): void
}

/**
 * The parts of an assembled kiosk tests drive directly (the test kit in test/fixtures/kiosk-kit.ts): the uploader
 * they run by hand, the sessions they sign in with, the audit log they read, the update activity they watch. Only
 * tests import `assembleKiosk` (a lint rule keeps main/ on `createKiosk`); nothing here hands out the database.
 */
export interface KioskParts {
  readonly uploader: Uploader
  readonly sessions: SessionManager
  readonly audit: Pick<AuditLog, 'list' | 'verify'>
  readonly updates: UpdateController
  readonly heartbeat: HeartbeatSender
  readonly activity: ActivityTracker
  /** The post network's trust: identity, roster, post key. */
  readonly postTrust: PostTrust
  /** The post network: server, discovery, mesh, peer list. */
  readonly network: NetworkService
  /** The replicated post log: serve, pull, the post-wide NIK check. */
  readonly postLog: PostLogSync
  /** The relay through a neighbour's uplink (issue 22.2): tests run its posting by hand. */
  readonly relay: Relay
  /** This desk's status events in its post log (tests tick it by hand). */
  readonly deskStatus: DeskStatusWriter
  /** The anomaly screen's service: NIKs registered twice in the post, marks, sending them to central. */
  readonly anomalies: AnomalyService
  /** Pairing desks by a short code before central (tests wait for a completion). */
  readonly pairing: PairingService
  /** The USB backup stick (issue 22.3): tests run its passes by hand. */
  readonly stick: StickBackup
  /** The kiosk's database file, for a test kit's own connection (state reads, fault hooks, bytes on disk). */
  readonly dbFile: string
  /** Resolves when the integrity check at start has answered (issue 22.5). */
  readonly integrityChecked: Promise<void>
  /** Resolves when the records from before the search index are indexed (tests and benches wait for it). */
  readonly searchIndexed: Promise<void>
  /**
   * Benches prefill a queue of thousands of records without an fsync each ('off'), then measure with 'full' again.
   * The app never calls it: records are on disk when the receipt shows (DESIGN.md §5).
   */
  setDurability(level: 'full' | 'off'): void
}

export function createKiosk(options: KioskOptions): Kiosk {
  return assembleKiosk(options).kiosk
}

/** A photo no record claimed (a retake, an abandoned draft) is erased a day after it was taken. */
const ORPHAN_PHOTO_MS = 24 * 60 * 60 * 1000

/**
 * The composition root. A start that trips over a damaged page (SQLITE_CORRUPT while reading what start-up reads)
 * marks the database damaged and starts once more, which moves it aside intact (issue 22.5).
 */
export function assembleKiosk(options: KioskOptions): { kiosk: Kiosk; parts: KioskParts } {
  const opened: Array<{ close(): unknown }> = []
  try {
    return assembleOnce(options, opened)
  } catch (error) {
    if (!isDamageError(error)) throw error
    for (const db of opened) db.close()
    const dbFile = join(options.dataDir, 'posko.db')
    options.logger.error('store: start-up failed on a damaged database; it is moved aside', { error: (error as Error).message })
    markDamaged(dbFile, { ok: false, problems: [(error as Error).message] }, (options.now ?? (() => new Date()))())
    return assembleOnce(options, [])
  }
}

/** Wires the store and services into the handlers that implement the contract. */
function assembleOnce(options: KioskOptions, opened: Array<{ close(): unknown }>): { kiosk: Kiosk; parts: KioskParts } {
  const { config } = options
  const localNow = options.now ?? (() => new Date())
  // Warnings and errors are also kept (redacted) for the diagnostics screen's "last errors".
  const recentErrors = createRecentErrors({ now: localNow })
  const logger = teeLogger(options.logger, recentErrors)
  // Receipts, ages and retention use central's time once the kiosk's clock is known to be off (a dead CMOS battery).
  const trustedTime = createTrustedTime(localNow, logger, () => kioskSettings.announce())
  const now = trustedTime.now
  const { resourcesDir } = options
  const { db, dbFile, settings, storeHealth, integrityChecked, registrationsRepo, masterKey, vault, keyProtection } = openKioskStore(options, { opened, localNow, now, logger })
  const audit = createAuditLog(db, now)
  const events = createEventBus()
  // A supervisor may switch the mode at run time (settings.setMode); config.json holds IT's default.
  const kioskSettings = createKioskSettings({
    config,
    version: options.version,
    repo: settings,
    audit,
    logger,
    now,
    clock: () => trustedTime.status(),
    ktpReader: options.ktp?.workerScript !== undefined,
    onChange: (info) => events.emit('settings.changed', info),
  })
  const { mode } = kioskSettings
  trustedTime.start()
  // Loaded on first use: parsing 90,000 regions is not worth delaying start-up (or a crash-recovery restart) for.
  const regions = lazyRegionIndex(join(resourcesDir, 'regions', 'regions.json'))

  const ktpScript = options.ktp?.workerScript
  const ktp = ktpScript
    ? createKtpService({
        reader: () => createThreadKtpReader({ script: ktpScript, regionsFile: join(resourcesDir, 'regions', 'regions.json'), logger }),
        logger,
        now,
      })
    : null
  let detector: FaceDetector | undefined
  const photos = createPhotoService({
    repo: createPhotosRepository(db),
    vault,
    thresholds: config.photoThresholds,
    detector: () => (detector ??= createFaceDetector({ modelDir: join(resourcesDir, 'models'), logger })),
    cameraDevice: config.camera.device,
    logger,
    now,
  })
  const queueStatus = () => toQueueStatus(registrationsRepo.countByState(), settings.get('lastSyncAt') ?? null, outbox.held())
  const upload = options.upload ?? {}
  const outbox = createOutboxRepository(db)
  // Records were validated when committed and central validates again: decrypting is enough here. Re-running the
  // schema (phone parsing and all) on every upload blocked the event loop for tens of ms per batch.
  const openRecord = (item: OutboxItem) => JSON.parse(vault.open(item.sealed, item.recordId).toString('utf8')) as RegistrationRecord
  // The post network's trust (DESIGN §11): this kiosk's TLS identity and central's roster of the post.
  const postTrust = createPostTrust({ postId: config.postId, settings, vault, logger, now })
  const enrolment = createEnrolmentService({
    trust: postTrust,
    dataDir: options.dataDir,
    vault,
    settings,
    config,
    kioskVersion: options.version,
    fetch: upload.fetch,
    now,
    logger,
    audit,
    pendingRecords: () => outbox.pending(),
  })
  // An enrolled kiosk uses its own credentials; a token given at start (the demo central) only fills in otherwise.
  const enrolled = enrolment.credentials()
  // The post network's id for this desk: its enrolment key id, or before enrolment its certificate's (pairing.ts).
  const networkKioskId = () => enrolled?.kioskKeyId ?? postTrust.localKioskId()
  const token = enrolled?.token ?? options.centralToken
  const centralUrl = enrolled?.centralUrl ?? config.centralUrl
  const activity = createActivityTracker({ now: () => now().getTime(), onChange: () => updates.reevaluate() })
  const updates: UpdateController =
    options.updates?.({
      activity: () => ({ ...activity.snapshot(), uploading: uploader.state().status === 'running' }),
      onState: (state) => events.emit('update.state', state),
    }) ?? disabledUpdateController(options.version, 'unpackaged', logger)
  const heartbeat = createHeartbeat({
    trust: postTrust,
    // Off the machine: a rewritten audit tail is caught at central; IT sees how the vault key is kept.
    auditHead: () => audit.head(),
    keyProtection: () => keyProtection().kind,
    updateError: () => updates.state().lastError?.code ?? null,
    // Issue 22: IT sees per desk what a dead disk would lose.
    notSafe: () => backupView()?.notSafe ?? null,
    credentials: () => (token ? { baseUrl: centralUrl, token } : null),
    postId: config.postId,
    version: options.version,
    queueStatus,
    uploadState: () => uploader.state(),
    dataDir: options.dataDir,
    fetch: upload.fetch,
    clock: options.heartbeat?.clock ?? upload.clock ?? systemClock,
    logger,
  })
  let lastUploadStatus: UploadStatus | null = null
  const afterUploads = options.heartbeat?.afterUploads ?? true
  const { client, uploadWorker, uploader } = assembleUpload({
    options,
    db,
    dbFile,
    masterKey,
    vault,
    outbox,
    settings,
    token,
    centralUrl,
    trustedTime,
    logger,
    now,
    onState: (state) => {
      events.emit('upload.state', state)
      // Central's fleet view hears from the kiosk after every upload run, besides the hourly beat.
      if (uploadRunEnded(lastUploadStatus, state.status)) {
        if (afterUploads) void heartbeat.send()
        sendMarks()
      }
      lastUploadStatus = state.status
      updates.reevaluate()
    },
    onRecordsChanged: () => events.emit('queue.changed', queueStatus()),
  })
  const sessions = createSessionManager({
    operators: createOperatorsRepository(db),
    audit,
    clock: options.clock ?? systemClock,
    timeoutMs: config.sessionTimeoutMinutes * 60_000,
    timeoutAction: () => (mode() === 'self-service' ? 'sign_out' : 'lock'),
    selfService: () => mode() === 'self-service',
    onChange: (state) => events.emit('session.changed', state),
  })
  /** Who is acting, for the audit log and the record's operator: the signed-in operator, or nobody (self-service). */
  const actor = () => ({ operatorId: sessions.current()?.operatorId ?? null })
  const drafts = createDraftService({ repo: createDraftsRepository(db), vault, audit, logger, now })
  const retention = createRetentionService({
    retention: createRetentionRepository(db),
    reports: createReportsRepository(db),
    audit,
    retentionDays: config.retentionDays,
    now,
    clock: options.clock ?? systemClock,
    logger,
    onChange: () => events.emit('queue.changed', queueStatus()),
    // A kiosk that runs for weeks must not keep a retake's photo until its next restart.
    // Parked drafts expire at the end of their day (registration/drafts.ts), photos only they held with them.
    housekeeping: () => {
      drafts.purgeExpired()
      photos.purgeOrphans(ORPHAN_PHOTO_MS)
    },
  })
  const diagnostics = createDiagnostics({
    keyProtection,
    version: options.version,
    postId: config.postId,
    config: () => config,
    queueStatus,
    uploadState: () => uploader.state(),
    updateState: () => updates.state(),
    recentErrors: () => recentErrors.entries(),
    dataDir: options.dataDir,
    logsDir: options.logsDir ?? null,
    now,
    logger,
  })
  const bundles = createBundleService({
    queue: outbox,
    openRecord,
    photos,
    credentials: () => enrolment.credentials(),
    now,
    logger,
    audit,
    transport: upload.transport,
    onRecordsChanged: () => events.emit('queue.changed', queueStatus()),
  })
  const { peerList, postLogRepo, postLog, fillPostNik } = assemblePostLog({ db, postTrust, vault, postId: config.postId, kioskId: networkKioskId, settings, logger, now })
  const registrations = createRegistrationService({
    postNikHash: (nik) => postLog.postNikHash(nik),
    config,
    repo: registrationsRepo,
    searchIndex: createSearchIndexRepository(db),
    vault,
    audit,
    regions,
    logger,
    now,
    todayKnown: () => trustedTime.status().status !== 'implausible',
    transaction: (fn) => db.transaction(fn)(),
    mode,
    photos,
    review: outbox,
    inDoubt: (id) => outbox.inDoubt(id),
    registering: () => keyProtection().registering,
    onChange: () => {
      events.emit('queue.changed', queueStatus())
      uploader.notify()
    },
  })
  const anomalies = createAnomalyService({
    repo: postLogRepo,
    roster: () => postTrust.roster(),
    kioskId: networkKioskId,
    nameOf: (recordId) => {
      const row = registrationsRepo.byId(recordId)
      try {
        return row ? registrations.nameOf(row) : null
      } catch {
        return null
      }
    },
    audit,
    transaction: (fn) => db.transaction(fn)(),
    settings,
    central: () => client,
    logger,
    now,
  })
  // Marks go to central after each upload run too: a post offline when it marked sends them when its uplink returns.
  const sendMarks = () => {
    anomalies.sendToCentral().catch((error: unknown) => logger.warn('network: sending duplicate marks failed', { error: (error as Error).message }))
  }
  const checkNik = createDeskNikCheck({ token, centralUrl, transport: upload.transport, trustedTime, registrationsRepo, vault, registrations, postTrust, postLog, audit, mode })
  const { deskRestore, stick, stickRestoreDeps, backupView, relay, network, pairing, deskStatus, deskStatusTimer, postOverview } = assemblePostNetwork({
    options,
    db,
    settings,
    registrationsRepo,
    vault,
    outbox,
    audit,
    events,
    enrolment,
    enrolled,
    photos,
    bundles,
    uploader,
    postTrust,
    postLog,
    peerList,
    networkKioskId,
    queueStatus,
    actor,
    logger,
    now,
  })

  const printReceipt = createReceiptPrinting({ printer: options.printer, receiptPrint: config.receiptPrint, receiptPaper: config.receiptPaper, mode, dataDir: options.dataDir, now })

  const handlers: Handlers = {
    ...settingsHandlers({ kioskSettings, actor }),
    ...uploadHandlers({ uploader, queueStatus }),
    ...storeHandlers({ storeHealth, audit, registrationsRepo, actor }),
    ...backupHandlers({ deskRestore, stick, stickRestoreDeps, backupView, activity, events, audit, mode, actor }),
    ...photoHandlers({ photos, ktp, sessions }),
    ...registrationHandlers({ regions, registrations, checkNik, drafts, printReceipt, audit, events, config, logger, now, actor }),
    ...sessionHandlers(sessions),
    ...toolHandlers({ retention, enrolment, enrolled, bundles, diagnostics, options, activity, events, actor }),
    ...networkHandlers({ network, postOverview, anomalies, pairing, sendMarks, mode, actor }),
    ...updateHandlers({ updates, activity }),
  }

  const dispatch = createDispatcher(handlers, logger, { authorize: authorizeBySession(sessions, mode) })
  logger.info('kiosk started', { postId: config.postId, mode: config.mode, version: options.version })
  if (upload.autoStart ?? Boolean(token)) uploader.start()
  if (options.heartbeat?.autoStart ?? Boolean(token)) heartbeat.start()
  if (options.network?.autoStart) void network.start()
  // Jobs other desks gave this one before a restart are posted again (central answers a record it holds with its first answer).
  relay.start()
  if (options.stick?.autoStart ?? true) stick.start(options.stick?.intervalMs)
  // Marks made before a restart that central never acknowledged go now (nothing is asked of central when none wait).
  sendMarks()
  fillPostNik()
  // Retakes and abandoned drafts leave photos no record claims; personal data, so they go after a day (at start and
  // on every retention round).
  drafts.purgeExpired()
  photos.purgeOrphans(ORPHAN_PHOTO_MS)
  if (options.retentionSchedule ?? true) retention.start()
  // Records from before the search index (migration 012) are indexed in the background, a batch a turn.
  const searchBackfill = registrations.startSearchBackfill()
  const demo = options.demoOperator
  const ready =
    demo && sessions.state().setupRequired
      ? sessions.createOperator({ operatorId: demo.id, name: demo.name, role: 'supervisor', pin: demo.pin }).then(() => undefined)
      : Promise.resolve()

  const kiosk: Kiosk = {
    dispatch,
    events,
    ready,
    close: () => {
      clearInterval(deskStatusTimer)
      relay.stop()
      stick.stop()
      pairing.stop()
      void network.stop()
      heartbeat.stop()
      updates.stop()
      retention.stop()
      searchBackfill.stop()
      detector?.dispose()
      sessions.dispose()
      uploader.stop()
      void uploadWorker.close()
      void ktp?.close()
      db.close()
    },
  }
  return {
    kiosk,
    parts: { stick, uploader, sessions, audit, updates, heartbeat, activity, postTrust, network, postLog, relay, anomalies, pairing, deskStatus, dbFile, integrityChecked, searchIndexed: searchBackfill.done, setDurability: (level) => void db.pragma(`synchronous = ${level === 'off' ? 'OFF' : 'FULL'}`) },
  }
}
