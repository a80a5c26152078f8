import { v7 as uuidv7 } from 'uuid'
import type { QueueStatus } from '../../../common/records'
import { createCentralClient } from '../central/client'
import type { Handlers } from '../dispatch'
import type { Logger } from '../platform/logger'
import { systemClock } from '../platform/clock'
import type { TrustedTime } from '../platform/trusted-time'
import type { Vault } from '../security/vault'
import type { Db } from '../store/db'
import type { OutboxRepository } from '../store/outbox'
import type { SettingsRepository } from '../store/settings'
import type { Uploader, UploaderOptions } from '../upload/uploader'
import { createUploader } from '../upload/uploader'
import type { UploadWorker } from '../upload/worker'
import { createInlineUploadWorker } from '../upload/worker'
import { createThreadUploadWorker } from '../upload/worker-thread'
import type { KioskOptions } from './options'

/**
 * Central's client, the upload worker and the uploader. What an upload run means to other features (the heartbeat,
 * duplicate marks, updates) is the composition root's `onState`.
 */
export function assembleUpload(deps: {
  options: KioskOptions
  db: Db
  dbFile: string
  masterKey: Buffer
  vault: Vault
  outbox: OutboxRepository
  settings: SettingsRepository
  token: string | undefined
  centralUrl: string
  trustedTime: Pick<TrustedTime, 'observeCentral'>
  logger: Logger
  now: () => Date
  onState: UploaderOptions['onState']
  onRecordsChanged: () => void
}) {
  const { options, db, vault, outbox, settings, token, centralUrl, trustedTime, logger, now } = deps
  const { config } = options
  const upload = options.upload ?? {}
  const client = token ? createCentralClient({ baseUrl: centralUrl, token, transport: upload.transport, onDate: (date) => trustedTime.observeCentral(date) }) : null
  // In the upload worker, photos go through the worker's own client (Node's http, as main's); an injected
  // `upload.transport` (tests) sees them only with the inline queue.
  const uploadWorker: UploadWorker = upload.workerScript
    ? createThreadUploadWorker({
        script: upload.workerScript,
        dbFile: deps.dbFile,
        masterKey: deps.masterKey,
        nativeBinding: options.nativeBinding,
        central: token ? { baseUrl: centralUrl, token } : null,
        photoConcurrency: upload.photoConcurrency,
        logger,
      })
    : createInlineUploadWorker(db, vault, { client, photoConcurrency: upload.photoConcurrency, logger, newBatchId: uuidv7 })
  const uploader: Uploader = createUploader({
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
    onState: deps.onState,
    onSynced: (at) => settings.set('lastSyncAt', at, now()),
    onRecordsChanged: deps.onRecordsChanged,
  })
  return { client, uploadWorker, uploader }
}

export function uploadHandlers(deps: { uploader: Uploader; queueStatus: () => QueueStatus }): Pick<Handlers, 'queue.status' | 'upload.state' | 'upload.now'> {
  const { uploader, queueStatus } = deps
  return {
    'queue.status': () => queueStatus(),
    'upload.state': () => uploader.state(),
    'upload.now': () => uploader.uploadNow(),
  }
}
