import { createHash } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { afterEach } from 'vitest'
import { join } from 'node:path'
import type { KioskConfig } from '../../common/config'
import { RegistrationRecord } from '../../common/registration'
import type { BundlePhotoSource, BundleService } from '../../main/services/bundle'
import { createBundleService } from '../../main/services/bundle'
import { createCentralClient } from '../../main/services/central/client'
import type { Transport } from '../../main/services/central/transport'
import type { EnrolmentService } from '../../main/services/enrolment'
import { createEnrolmentService } from '../../main/services/enrolment'
import type { LogEntry, Logger } from '../../main/services/platform/logger'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createInlineUploadWorker } from '../../main/services/upload/worker'
import type { Uploader } from '../../main/services/upload/uploader'
import { createUploader } from '../../main/services/upload/uploader'
import type { Vault } from '../../main/services/security/vault'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import type { AuditLog } from '../../main/services/store/audit'
import { createAuditLog } from '../../main/services/store/audit'
import type { Db } from '../../main/services/store/db'
import { openDatabase } from '../../main/services/store/db'
import type { OutboxRepository } from '../../main/services/store/outbox'
import { createOutboxRepository } from '../../main/services/store/outbox'
import type { RegistrationsRepository } from '../../main/services/store/registrations'
import { createRegistrationsRepository } from '../../main/services/store/registrations'
import type { SettingsRepository } from '../../main/services/store/settings'
import { createSettingsRepository } from '../../main/services/store/settings'
import type { Central } from '../central/server'
import { fakeJpeg } from '../central/fixtures'
import { manualClock, tempDir, testConfig } from './helpers'

/**
 * The kiosk pieces enrolment and bundles touch, built directly on a real SQLite file (no sessions or IPC in the
 * way), against a real reference central on port 0 with the 56 demo posts.
 */
export const SURABAYA_POST = 'JT-3578-01'
export const MALANG_POST = 'JT-3573-01'

const dbs: Db[] = []
afterEach(() => {
  while (dbs.length > 0) dbs.pop()!.close()
})

export { demoCentral } from './helpers'

export interface BundleKiosk {
  dataDir: string
  connection: Db
  vault: Vault
  settings: SettingsRepository
  repo: RegistrationsRepository
  outbox: OutboxRepository
  audit: AuditLog
  logger: Logger & { entries: LogEntry[] }
  enrolment: EnrolmentService
  bundles: BundleService
  /** Photos by hash, served to the bundle service as its photo source. */
  photos: Map<string, Buffer>
  /** Commits records as the registration service would: sealed, NIK-hashed, with an outbox row. */
  queue(records: readonly RegistrationRecord[]): void
  state(id: string): string
  centralId(id: string): string | null
  uploader(): Uploader
}

export function testKiosk(options: { dataDir?: string; fetch?: typeof fetch; transport?: Transport; config?: KioskConfig } = {}): BundleKiosk {
  const dataDir = options.dataDir ?? tempDir()
  const db = openDatabase(join(dataDir, 'posko.db'))
  dbs.push(db)
  const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
  const settings = createSettingsRepository(db)
  const repo = createRegistrationsRepository(db)
  const outbox = createOutboxRepository(db)
  const now = () => new Date()
  const audit = createAuditLog(db, now)
  const logger = createMemoryLogger()
  const photos = new Map<string, Buffer>()
  const enrolment = createEnrolmentService({ dataDir, vault, settings, config: options.config ?? testConfig, kioskVersion: '9.9.9', fetch: options.fetch, now, logger, audit, pendingRecords: () => outbox.pending() })
  const openRecord = (item: { sealed: Buffer; recordId: string }) => RegistrationRecord.parse(JSON.parse(vault.open(item.sealed, item.recordId).toString('utf8')))
  const photoSource: BundlePhotoSource = {
    pendingFor: (records) =>
      records
        .flatMap((r) => [r.photos.face?.sha256, r.photos.card?.sha256])
        .filter((s): s is string => s !== undefined && photos.has(s))
        .map((sha256) => ({ sha256, load: () => photos.get(sha256)! })),
  }
  const bundles = createBundleService({ queue: outbox, openRecord, photos: photoSource, credentials: () => enrolment.credentials(), now, logger, audit, transport: options.transport })
  return {
    dataDir,
    connection: db,
    vault,
    settings,
    repo,
    outbox,
    audit,
    logger,
    enrolment,
    bundles,
    photos,
    queue(records) {
      for (const record of records) {
        repo.commit(record.createdAt.slice(0, 10), () => ({
          id: record.id,
          receiptNo: record.receiptNo,
          nikHmac: vault.nikHash(record.nik),
          sealed: vault.seal(Buffer.from(JSON.stringify(record)), record.id),
          postId: record.postId,
          operatorId: record.operatorId,
          selfService: record.selfService,
          photoOverride: false,
      held: false,
          createdAt: record.createdAt,
        }))
      }
    },
    state: (id) => repo.byId(id)!.state,
    centralId: (id) => repo.byId(id)!.central_id,
    uploader() {
      const credentials = enrolment.credentials()
      if (!credentials) throw new Error('kiosk not enrolled')
      const client = createCentralClient({ baseUrl: credentials.centralUrl, token: credentials.token })
      return createUploader({
        postId: credentials.postId,
        outbox,
        queue: createInlineUploadWorker(db, vault, { client, logger, newBatchId: uuidv7 }),
        client,
        clock: manualClock(),
        logger,
        lastSyncAt: null,
        onState: () => undefined,
        onSynced: () => undefined,
        onRecordsChanged: () => undefined,
      })
    },
  }
}

/** Enrols a fresh test kiosk for the post with a code from central, as IT would. */
export async function enrolledKiosk(central: Central, postId: string): Promise<BundleKiosk> {
  const kiosk = testKiosk()
  await kiosk.enrolment.enrol({ centralUrl: central.url, postId, code: central.issueEnrolmentCode(postId).code })
  return kiosk
}

/** Gives some records a face photo, registered with the kiosk's photo source. */
export function withPhotos(kiosk: BundleKiosk, records: RegistrationRecord[], every = 2): RegistrationRecord[] {
  return records.map((record, i) => {
    if (i % every !== 0) return record
    const { bytes, sha256 } = fakeJpeg(`${record.id}`, 4096)
    kiosk.photos.set(sha256, bytes)
    return { ...record, photos: { ...record.photos, face: { sha256 } } }
  })
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
