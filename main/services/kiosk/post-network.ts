import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { QueueStatus } from '../../../common/records'
import type { RegistrationRecord } from '../../../common/registration'
import { DomainError } from '../../../common/result'
import type { KioskMode } from '../../../common/settings'
import type { BundleService } from '../bundle'
import { inspectSealedBundle, readBundleHeader, sealRecordBundle } from '../bundle'
import type { Handlers } from '../dispatch'
import type { EnrolmentService } from '../enrolment'
import type { AnomalyService } from '../network/anomalies'
import { BACKUP_PUT, createPeerBackup } from '../network/backup'
import type { PeerConnection } from '../network/channel'
import { createDeskStatusWriter } from '../network/desk-status'
import type { PairingService } from '../network/pairing'
import { createPairingService } from '../network/pairing'
import type { PeerList } from '../network/peers'
import type { PostLogSync } from '../network/post-log'
import { createPostOverview } from '../network/post-overview'
import type { Relay } from '../network/relay'
import { createRelay, RELAY_ASK, RelayPostError } from '../network/relay'
import { BACKUP_FETCH, createDeskRestore } from '../network/restore'
import type { NetworkService } from '../network/service'
import { createNetworkService } from '../network/service'
import type { PostTrust } from '../network/trust'
import type { EventBus } from '../platform/events'
import type { KioskCredentials } from '../platform/identity'
import type { Logger } from '../platform/logger'
import type { PhotoService } from '../photos/service'
import type { Actor } from '../registration/service'
import type { Vault } from '../security/vault'
import { listRemovableDrives } from '../storage/drives'
import { createStickBackup, Designation } from '../storage/stick-backup'
import type { StickRestoreDeps } from '../storage/stick-restore'
import type { AuditLog } from '../store/audit'
import type { Db } from '../store/db'
import type { OutboxRepository } from '../store/outbox'
import { createPeerBackupRepository } from '../store/peer-backup'
import { createPostDesksRepository } from '../store/post-desks'
import type { RegistrationsRepository } from '../store/registrations'
import { createRelayRepository } from '../store/relay'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'
import { createStickBackupRepository } from '../store/stick-backup'
import type { Uploader } from '../upload/uploader'
import type { KioskOptions } from './options'

/** This store's id, made with it: desks holding this desk's backups notice a replaced store by it (issue 22.1). */
const STORE_ID_SETTING = 'storeId'

/** The designated USB backup stick (issue 22.3): `{ stickId, label, designatedAt }`. */
const STICK_SETTING = 'backupStick'

type PostOverview = ReturnType<typeof createPostOverview>

/**
 * The post network around the post log: the desks' backups of each other (22.1), the relay (22.2), the USB stick
 * (22.3), restoring a desk (22.4), the server and mesh, pairing, and the post's day on the home screen (21.4).
 */
export function assemblePostNetwork(deps: {
  options: KioskOptions
  db: Db
  settings: SettingsRepository
  registrationsRepo: RegistrationsRepository
  vault: Vault
  outbox: OutboxRepository
  audit: AuditLog
  events: EventBus
  enrolment: EnrolmentService
  enrolled: KioskCredentials | null
  photos: PhotoService
  bundles: BundleService
  uploader: Uploader
  postTrust: PostTrust
  postLog: PostLogSync
  peerList: PeerList
  networkKioskId: () => string | null
  queueStatus: () => QueueStatus
  actor: () => Actor
  logger: Logger
  now: () => Date
}) {
  const { options, db, settings, registrationsRepo, vault, outbox, audit, events, enrolment, enrolled, photos, bundles, uploader, postTrust, postLog, peerList, networkKioskId, queueStatus, actor, logger, now } = deps
  const { config } = options
  const networkOptions = options.network ?? {}
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
  const stickRestoreDeps: StickRestoreDeps = {
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
  const network: NetworkService = createNetworkService({
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
  const pairing: PairingService = createPairingService({
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
  return { deskRestore, stick, stickRestoreDeps, backupView, relay, network, pairing, deskStatus, deskStatusTimer, postOverview }
}

/** The post's desks as staff see them: peers, the day's overview, NIKs registered twice, pairing. */
export function networkHandlers(deps: {
  network: NetworkService
  postOverview: PostOverview
  anomalies: AnomalyService
  pairing: PairingService
  sendMarks: () => void
  mode: () => KioskMode
  actor: () => Actor
}): Pick<Handlers, 'network.peers' | 'network.post' | 'network.anomalies' | 'network.pairing' | 'network.pairStart' | 'network.pairConfirm' | 'network.markDuplicate'> {
  const { network, postOverview, anomalies, pairing, sendMarks, mode, actor } = deps
  return {
    'network.peers': () => ({ peers: network.peers() }),
    'network.post': () => ({ post: mode() === 'self-service' ? null : postOverview.view() }),
    'network.anomalies': () => anomalies.list(),
    'network.pairing': () => pairing.view(),
    'network.pairStart': ({ address }) => pairing.start(address, actor().operatorId),
    'network.pairConfirm': (input) => pairing.confirm(input, actor().operatorId),
    'network.markDuplicate': (input) => {
      const marked = anomalies.mark(input, actor().operatorId)
      sendMarks()
      return marked
    },
  }
}
