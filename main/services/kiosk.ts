import { mkdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { basename, join } from 'node:path'
import type { UploadStatus } from '../../common/upload'
import { DomainError } from '../../common/result'
import { createDiagnostics, createRecentErrors, teeLogger } from './diagnostics'
import type { HeartbeatSender } from './fleet'
import { createHeartbeat, uploadRunEnded } from './fleet'
import type { ActivityTracker, UpdateController } from './updates'
import { createActivityTracker, disabledUpdateController } from './updates'
import type { Dispatch, Handlers } from './dispatch'
import { createDispatcher } from './dispatch'
import type { EventBus } from './platform/events'
import { createEventBus } from './platform/events'
import { createTrustedTime } from './platform/trusted-time'
import type { RegistrationRecord } from '../../common/registration'
import { createCentralClient } from './central/client'
import { systemClock } from './platform/clock'
import { toQueueStatus } from './upload/status'
import type { UploadWorker } from './upload/worker'
import { createInlineUploadWorker } from './upload/worker'
import { createThreadUploadWorker } from './upload/worker-thread'
import type { Uploader } from './upload/uploader'
import { createUploader } from './upload/uploader'
import { createBundleService, inspectSealedBundle, readBundleHeader, sealRecordBundle } from './bundle'
import { BACKUP_PUT, createPeerBackup } from './network/backup'
import { BACKUP_FETCH, createDeskRestore } from './network/restore'
import type { Relay } from './network/relay'
import { createRelay, RELAY_ASK, RelayPostError } from './network/relay'
import { createRelayRepository } from './store/relay'
import type { PeerConnection } from './network/channel'
import { createPeerBackupRepository } from './store/peer-backup'
import { createEnrolmentService } from './enrolment'
import type { PostTrust } from './network/trust'
import { createPostTrust, pairedKioskId } from './network/trust'
import type { PairingService } from './network/pairing'
import { createPairingService } from './network/pairing'
import type { NetworkService } from './network/service'
import { createNetworkService } from './network/service'
import { createPeerList } from './network/peers'
import type { PostLogSync } from './network/post-log'
import { createPostLogSync } from './network/post-log'
import { createPostLogRepository } from './store/post-log'
import { createPostDesksRepository } from './store/post-desks'
import type { DeskStatusWriter } from './network/desk-status'
import { createDeskStatusWriter } from './network/desk-status'
import { createPostOverview } from './network/post-overview'
import type { AnomalyService } from './network/anomalies'
import { createAnomalyService } from './network/anomalies'
import type { OutboxItem } from './store/outbox'
import { createOutboxRepository } from './store/outbox'
import { createOperatorsRepository } from './store/operators'
import { createPhotosRepository } from './store/photos'
import type { FaceDetector } from './photos/face-detector'
import { createFaceDetector } from './photos/face-detector'
import { createPhotoService } from './photos/service'
import { createRetentionService } from './retention/service'
import { createReportsRepository } from './store/reports'
import { createRetentionRepository } from './store/retention'
import type { SessionManager } from './sessions/sessions'
import { createSessionManager } from './sessions/sessions'
import { lazyRegionIndex } from './regions/load'
import { createKtpService } from './ktp/service'
import { createThreadKtpReader } from './ktp/worker-thread'
import { createReceiptPrinting } from './registration/receipt-print'
import { createRegistrationService } from './registration/service'
import { createDraftService } from './registration/drafts'
import { centralNikLookup, createNikCheck } from './registration/nik-check'
import { createDraftsRepository } from './store/drafts'
import { createKioskSettings } from './settings/service'
import { createFileKeyProvider } from './security/keys'
import { openVaultKey } from './security/key-protection'
import { createVault } from './security/vault'
import type { AuditLog } from './store/audit'
import { createAuditLog } from './store/audit'
import { openDatabase } from './store/db'
import { checkInBackground, isDamageError, markDamaged, openCheckedDatabase } from './store/integrity'
import { createStoreHealth } from './store/store-health'
import { listRemovableDrives } from './storage/drives'
import type { StickBackup } from './storage/stick-backup'
import { createStickBackup, Designation } from './storage/stick-backup'
import { createStickBackupRepository } from './store/stick-backup'
import { readJsonSetting } from './store/settings'
import { createRegistrationsRepository } from './store/registrations'
import { createSearchIndexRepository } from './store/search-index'
import { createSettingsRepository } from './store/settings'
import { backupHandlers } from './kiosk/backup'
import type { KioskOptions } from './kiosk/options'
import { photoHandlers } from './kiosk/photos'
import { networkHandlers } from './kiosk/post-network'
import { registrationHandlers } from './kiosk/registration'
import { authorizeBySession, sessionHandlers } from './kiosk/sessions'
import { settingsHandlers } from './kiosk/settings'
import { storeHandlers } from './kiosk/store'
import { toolHandlers } from './kiosk/tools'
import { updateHandlers } from './kiosk/updates'
import { uploadHandlers } from './kiosk/upload'

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

/** This store's id, made with it: desks holding this desk's backups notice a replaced store by it (issue 22.1). */
const STORE_ID_SETTING = 'storeId'

/** The designated USB backup stick (issue 22.3): `{ stickId, label, designatedAt }`. */
const STICK_SETTING = 'backupStick'

/** The settings row holding the vault key's check value (security/key-protection.ts). */
const KEY_CHECK_SETTING = 'vaultKeyCheck'

/** A photo no record claimed (a retake, an abandoned draft) is erased a day after it was taken. */
const ORPHAN_PHOTO_MS = 24 * 60 * 60 * 1000

/**
 * Central's answer to "is this NIK registered?" at the NIK step: short, since it only adds a notice to what the kiosk
 * already said; a slow or absent uplink never holds the operator up (the local check answered first).
 */
const NIK_LOOKUP_TIMEOUT_MS = 2500

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
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const dbFile = join(options.dataDir, 'posko.db')
  // Integrity at start (issue 22.5): a database marked damaged, or one that cannot be opened, is moved aside intact.
  const checkedOpen = openCheckedDatabase(dbFile, { open: (file) => openDatabase(file, { nativeBinding: options.nativeBinding }), now: localNow, logger })
  const { db } = checkedOpen
  opened.push(db)
  const settings = createSettingsRepository(db)
  // The fresh store remembers that its predecessor was moved aside, so the line stays until staff dismiss it.
  const storeHealth = createStoreHealth({ settings, now: localNow, transaction: (fn) => db.transaction(fn)() })
  if (checkedOpen.movedAside) storeHealth.movedAside(basename(checkedOpen.movedAside.folder))
  // quick_check runs off main's loop (a second at 200,000 records: BENCHMARKS.md, integrity); damage found now is
  // marked for the next start, which moves the file aside before opening it.
  const integrityChecked = checkInBackground(dbFile, { workerScript: options.integrity?.workerScript, nativeBinding: options.nativeBinding }).then((verdict) => {
    if (verdict === null) {
      logger.warn('store: the integrity check could not run')
      storeHealth.checked({ state: 'unchecked' })
    } else if (!verdict.ok) {
      const at = localNow()
      logger.error('store: quick_check found the database damaged; it is moved aside at the next start', { problems: verdict.problems.length })
      try {
        markDamaged(dbFile, verdict, at)
      } catch (error) {
        logger.error('store: could not mark the database damaged', { error: (error as Error).message })
      }
      storeHealth.checked({ state: 'damaged', at: at.toISOString() })
    } else storeHealth.checked({ state: 'ok' })
  })
  const registrationsRepo = createRegistrationsRepository(db)
  const keyProvider = options.keyProvider ?? createFileKeyProvider(options.dataDir)
  let masterKey: Buffer
  try {
    masterKey = openVaultKey({
      provider: keyProvider,
      storedCheck: settings.get(KEY_CHECK_SETTING),
      sample: registrationsRepo.anySealed(),
      saveCheck: (value) => settings.set(KEY_CHECK_SETTING, value, now()),
    })
  } catch (error) {
    db.close()
    throw error
  }
  const vault = createVault(masterKey)
  // A kiosk whose key sits in a plain file registers nobody unless IT allowed it (config.allowUnprotectedKey).
  const keyProtection = () => ({
    kind: keyProvider.kind,
    registering: keyProvider.kind !== 'none' || !options.requireKeyProtection || config.allowUnprotectedKey,
  })
  if (!keyProtection().registering) logger.error('vault key is not protected (no keyring, no TPM): registering is off until IT allows it in config')
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
  const client = token ? createCentralClient({ baseUrl: centralUrl, token, transport: upload.transport, onDate: (date) => trustedTime.observeCentral(date) }) : null
  // In the upload worker, photos go through the worker's own client (Node's http, as main's); an injected
  // `upload.transport` (tests) sees them only with the inline queue.
  const uploadWorker: UploadWorker = upload.workerScript
    ? createThreadUploadWorker({
        script: upload.workerScript,
        dbFile,
        masterKey,
        nativeBinding: options.nativeBinding,
        central: token ? { baseUrl: centralUrl, token } : null,
        photoConcurrency: upload.photoConcurrency,
        logger,
      })
    : createInlineUploadWorker(db, vault, { client, photoConcurrency: upload.photoConcurrency, logger, newBatchId: uuidv7 })
  const uploader = createUploader({
    postId: config.postId,
    outbox,
    queue: uploadWorker,
    client,
    clock: upload.clock ?? systemClock,
    random: upload.random,
    backoff: upload.backoff,
    limits: upload.limits,
    lookahead: upload.lookahead,
    pollMs: upload.pollMs,
    debounceMs: upload.debounceMs,
    logger,
    lastSyncAt: settings.get('lastSyncAt') ?? null,
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
    onSynced: (at) => settings.set('lastSyncAt', at, now()),
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
  const peerList = createPeerList({ logger, now })
  const postLogRepo = createPostLogRepository(db)
  const postLog = createPostLogSync({
    repo: postLogRepo,
    trust: postTrust,
    vault,
    postId: config.postId,
    kioskId: networkKioskId,
    peers: peerList,
    logger,
    now,
    settings,
    transaction: (fn) => db.transaction(fn)(),
  })
  // Records made before the post key came get their post NIK HMAC (and their 'nik' events) once it is here.
  const fillPostNik = () => {
    const step = () => {
      try {
        if (postLog.fillPostNik() > 0) setImmediate(step)
      } catch (error) {
        // The kiosk closed meanwhile (its database with it): the next start carries on.
        logger.debug('network: filling post NIK HMACs stopped', { error: (error as Error).message })
      }
    }
    step()
  }
  postTrust.onRosterChange(fillPostNik)
  // Central's roster replaces the pairings: a paired desk's log, pulled under its fingerprint id, is filed under
  // the id central gave it, so its records are not counted twice (nor read as NIKs registered twice); what its log
  // sent as placeholders goes along, so it is still asked again after an update.
  postTrust.onRosterChange(() => {
    if (!postTrust.fromCentral()) return
    for (const kiosk of postTrust.roster()?.kiosks ?? []) {
      const paired = postTrust.pairings().find((d) => d.certSha256 === kiosk.certSha256)
      if (!paired || pairedKioskId(paired.certSha256) === kiosk.kioskId) continue
      try {
        const done = postLog.renameLog(pairedKioskId(paired.certSha256), kiosk.kioskId)
        if (done !== 'none') logger.info('network: a paired desk\'s log is now filed under central\'s id', { kioskId: kiosk.kioskId, done })
      } catch (error) {
        logger.warn('network: could not file a paired desk\'s log under central\'s id', { error: (error as Error).message })
      }
    }
  })
  // A rekey left half done (the kiosk closed) carries on at the next start.
  setImmediate(fillPostNik)
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
  const nikLookupClient = token
    ? createCentralClient({ baseUrl: centralUrl, token, transport: upload.transport, timeoutMs: NIK_LOOKUP_TIMEOUT_MS, onDate: (date) => trustedTime.observeCentral(date) })
    : null
  const networkOptions = options.network ?? {}
  const checkNik = createNikCheck({
    byNik: (nik) => registrationsRepo.byNikHash(vault.nikHash(nik)),
    nameOf: (row) => registrations.nameOf(row),
    central: nikLookupClient ? centralNikLookup(nikLookupClient) : null,
    // Another desk of the post (DESIGN §11): the post log's NIK HMACs, offline; the oldest registration decides.
    desk: async (nik) => {
      if (!postTrust.postKey()) return { source: 'desk', found: 'unknown', reason: 'not_configured' }
      const held = postLog.otherDesks(nik)[0]
      if (!held) return { source: 'desk', found: 'none' }
      return {
        source: 'desk',
        found: 'this_post',
        receiptNo: held.receiptNo ?? '',
        registeredAt: held.at,
        state: held.state ?? 'queued',
        ...(held.desk ? { desk: held.desk } : {}),
      }
    },
    audit,
    applicant: (who) => mode() === 'self-service' && who.operatorId === null,
  })
  // Restoring a desk (issue 22.4): the bundles of this desk's old self, fetched from the peers and sent to central.
  const visitHooks = new Set<(connection: PeerConnection) => Promise<void>>()
  const deskRestore = createDeskRestore({
    repo: createPeerBackupRepository(db),
    directory: join(options.dataDir, 'restore'),
    importBundle: (file) => bundles.importBundle(file, { actor: actor() }),
    connected: () => network.mesh()?.connected() ?? [],
    onVisit: (hook) => {
      visitHooks.add(hook)
      return () => visitHooks.delete(hook)
    },
    logger,
    audit: (details) => audit.append({ actor: actor().operatorId, action: 'restore_desk', details }),
  })
  // Peer backup (issue 22.1): this desk's unanswered records, sealed one per bundle, held by the other desks.
  const peerBackupRepo = createPeerBackupRepository(db)
  let storeId = settings.get(STORE_ID_SETTING)
  if (!storeId) {
    storeId = randomUUID()
    settings.set(STORE_ID_SETTING, storeId, now())
  }
  const ownStoreId = storeId
  /** One record as a sealed bundle of one (the peers' backup and the stick's). */
  const peerSeal = async (recordId: string) => {
    const row = registrationsRepo.byId(recordId)
    if (!row?.sealed) return null
    const record = JSON.parse(vault.open(row.sealed, row.id).toString('utf8')) as RegistrationRecord
    return sealRecordBundle({ credentials: () => enrolment.credentials(), photos, now }, record)
  }
  const peerBackup = createPeerBackup({
    repo: peerBackupRepo,
    postId: config.postId,
    storeId: () => ownStoreId,
    seal: (recordId) => peerSeal(recordId),
    inspect: inspectSealedBundle,
    quotaBytes: networkOptions.backupQuotaBytes,
    retentionDays: config.retentionDays,
    logger,
    now,
    onSafe: () => events.emit('queue.changed', queueStatus()),
  })
  // Relay through a neighbour's uplink (issue 22.2): this desk asks the others to post what they hold of its records
  // while its own uploader cannot reach central, and posts theirs when they ask.
  const relayMode = networkOptions.relay ?? 'auto'
  const unreachable = () => {
    const state = uploader.state()
    return (state.status === 'waiting' || state.status === 'offline') && (state.lastError === 'network' || state.lastError === 'timeout')
  }
  const relay: Relay = createRelay({
    repo: createRelayRepository(db),
    kioskId: () => enrolled?.kioskKeyId ?? null,
    centralUnreachable: () => relayMode === 'always' || (relayMode === 'auto' && unreachable()),
    uplink: () => {
      const status = uploader.state().status
      return enrolment.credentials() !== null && status !== 'not_configured' && status !== 'auth_error' && !unreachable()
    },
    post: async (bundle) => {
      try {
        return await bundles.importBytes(bundle)
      } catch (error) {
        // A bundle central will never take (damaged, a revoked desk's key, too large) is not retried; anything else is.
        if (error instanceof DomainError && (error.code === 'invalid_input' || error.code === 'conflict')) throw new RelayPostError('refused', error.message)
        throw new RelayPostError('unreachable', (error as Error).message)
      }
    },
    logger,
    now,
    onApplied: () => events.emit('queue.changed', queueStatus()),
  })
  // USB backup for a one-desk post (issue 22.3): this desk's unanswered records, sealed one per bundle, on the
  // stick a supervisor designated.
  const stickRepo = createStickBackupRepository(db)
  const stick = createStickBackup({
    repo: stickRepo,
    postId: config.postId,
    kioskId: () => enrolled?.kioskKeyId ?? null,
    designation: () => readJsonSetting(settings, STICK_SETTING, Designation),
    saveDesignation: (value) => settings.set(STICK_SETTING, value ? JSON.stringify(value) : 'null', now()),
    drives: () => listRemovableDrives(options.drives),
    seal: (recordId) => peerSeal(recordId),
    logger,
    now,
    onChange: () => events.emit('queue.changed', queueStatus()),
  })
  const stickRestoreDeps = {
    postId: config.postId,
    kioskId: () => enrolled?.kioskKeyId ?? null,
    importBundle: (file: string) => bundles.importBundle(file, { actor: actor() }),
    createdAt: async (file: string) => (await readBundleHeader(file)).createdAt,
    logger,
    audit: (details: Readonly<Record<string, string | number | boolean | null>>) => audit.append({ actor: actor().operatorId, action: 'restore_desk', details }),
  }
  /**
   * backup.status's numbers (issue 22.1), also in the heartbeat; null without a post network. Safe: held by another
   * desk, or its current version on the designated stick while it is plugged in (22.3).
   */
  const backupView = () => {
    if (!enrolled || !postTrust.roster()) return null
    const onStick = stick.safeOnStick()
    const notSafe = onStick.size === 0 ? peerBackupRepo.notSafe() : stickRepo.notHeldByPeers().filter((id) => !onStick.has(id)).length
    return { notSafe, unsettled: peerBackupRepo.unsettled(), heldForOthers: { bundles: peerBackupRepo.heldCount(), bytes: peerBackupRepo.heldBytes() } }
  }
  const network = createNetworkService({
    trust: postTrust,
    postId: config.postId,
    kioskId: networkKioskId,
    pairable: () => pairing.pairable(),
    strangers: (method, params, stranger) => pairing.handle(method, params, stranger),
    settings: {
      host: networkOptions.host ?? (networkOptions.autoStart ? '0.0.0.0' : '127.0.0.1'),
      port: networkOptions.port ?? (networkOptions.autoStart ? config.network.port : 0),
      peers: config.network.peers,
      mdns: networkOptions.mdns ?? (networkOptions.autoStart ? config.network.mdns : false),
      mdnsInterface: networkOptions.mdnsInterface,
    },
    logger,
    now,
    peers: peerList,
    methods: { 'log.page': (params, peer) => postLog.serve(params, peer), [BACKUP_PUT]: (params, peer) => peerBackup.serve(params, peer), [BACKUP_FETCH]: (params, peer) => deskRestore.serve(params, peer), [RELAY_ASK]: (params, peer) => relay.serve(params, peer) },
    // Each round: pull the desk's log (and apply the relay outcomes it carries for this desk's records, 22.2), then
    // hand it this desk's records it does not hold yet (22.1), then ask it to relay what it holds while this desk
    // cannot reach central (22.2), then whatever a restore asked of it (22.4): one request at a time per connection.
    visit: async (connection) => {
      await postLog.pull(connection)
      relay.applyOutcomes()
      await peerBackup.give(connection)
      if (relayMode !== 'never') await relay.ask(connection)
      for (const hook of [...visitHooks]) await hook(connection)
    },
    roundMs: networkOptions.roundMs,
    goneAfterMs: networkOptions.goneAfterMs,
    limits: networkOptions.limits,
  })
  // Pairing desks by a short code while the post never reached central (issue 21.1).
  const pairing = createPairingService({
    trust: postTrust,
    enrolled: () => enrolled !== null,
    channel: () => network.channel(),
    candidates: () => network.candidates(),
    audit,
    logger,
    now,
  })
  // The post's day on the home screen (issue 21.4): this desk's queue status in its own log while the network runs,
  // checked every few seconds (the writer throttles), and the overview the home panel asks for.
  const postDesks = createPostDesksRepository(db)
  const deskStatus = createDeskStatusWriter({ repo: postDesks, queueDepth: () => outbox.pending(), now, logger, ...options.deskStatus })
  const deskStatusTimer = setInterval(() => {
    try {
      if (network.mesh()) deskStatus.tick()
      peerBackup.sweep()
    } catch (error) {
      logger.warn('network: could not write the desk status', { error: (error as Error).message })
    }
  }, options.deskStatus?.tickMs ?? 5_000)
  deskStatusTimer.unref()
  const postOverview = createPostOverview({ repo: postDesks, trust: postTrust, kioskId: networkKioskId, peers: () => network.peers(), queueDepth: () => outbox.pending(), now })

  /** Who is acting, for the audit log and the record's operator: the signed-in operator, or nobody (self-service). */
  const actor = () => ({ operatorId: sessions.current()?.operatorId ?? null })

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
  if (networkOptions.autoStart) void network.start()
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