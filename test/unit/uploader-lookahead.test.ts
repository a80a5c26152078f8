import { v7 as uuidv7 } from 'uuid'
import { afterEach, describe, expect, it } from 'vitest'
import { createCentralClient } from '../../main/services/central/client'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { createOutboxRepository } from '../../main/services/store/outbox'
import { createUploader } from '../../main/services/upload/uploader'
import type { UploadWorker } from '../../main/services/upload/worker'
import { createInlineUploadWorker } from '../../main/services/upload/worker'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { demoCentral, manualClock, openKiosk } from './helpers'

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
  unhandled.length = 0
})

describe('batches claimed ahead', () => {
  it('a worker that dies while a batch is on the wire fails its claimed-ahead calls without an unhandled rejection (plain Node would exit)', async () => {
    process.on('unhandledRejection', onUnhandled)
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    for (let i = 0; i < 6; i++) expect(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) })).toMatchObject({ ok: true })
    const conn = kiosk.store.connection()
    const client = createCentralClient({ baseUrl: central.url, token })
    const inline = createInlineUploadWorker(conn, createVault(createFileKeyProvider(dataDir).loadOrCreate()), { client, logger: createMemoryLogger(), newBatchId: uuidv7 })
    let calls = 0
    // The first batch is prepared; every batch claimed ahead of it meets a dead worker.
    const dying: UploadWorker = { ...inline, next: (request) => (++calls === 1 ? inline.next(request) : Promise.reject(new Error('upload worker exited'))) }
    const uploader = createUploader({
      postId: 'JT-3578-01',
      outbox: createOutboxRepository(conn),
      queue: dying,
      client,
      clock: manualClock(),
      logger: createMemoryLogger(),
      limits: { maxRecords: 2 },
      lastSyncAt: null,
      onState: () => undefined,
      onSynced: () => undefined,
      onRecordsChanged: () => undefined,
    })
    await uploader.runOnce()
    // Let any rejection that nobody handled surface.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(unhandled).toEqual([])
    expect(central.stats().accepted).toBe(2)
    expect(uploader.state()).toMatchObject({ status: 'waiting' })
    uploader.stop()
  })
})

describe('an upload on a full disk', () => {
  it('backs off and says disk_full on the home screen when recording central’s answers fails for lack of space', async () => {
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    expect(await kiosk.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: true })
    const conn = kiosk.store.connection()
    const client = createCentralClient({ baseUrl: central.url, token })
    const inline = createInlineUploadWorker(conn, createVault(createFileKeyProvider(dataDir).loadOrCreate()), { client, logger: createMemoryLogger(), newBatchId: uuidv7 })
    const full: UploadWorker = { ...inline, applyResults: () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })) }
    const uploader = createUploader({
      postId: 'JT-3578-01',
      outbox: createOutboxRepository(conn),
      queue: full,
      client,
      clock: manualClock(),
      logger: createMemoryLogger(),
      lastSyncAt: null,
      onState: () => undefined,
      onSynced: () => undefined,
      onRecordsChanged: () => undefined,
    })
    await uploader.runOnce()
    expect(uploader.state()).toMatchObject({ status: 'waiting', lastError: 'disk_full' })
    uploader.stop()
  })
})
