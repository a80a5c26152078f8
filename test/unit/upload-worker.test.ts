import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, inject, it } from 'vitest'
import type { Receipt, RegistrationView } from '../../common/records'
import type { Result } from '../../common/result'
import { decodePhotoPack } from '../../main/services/central/photo-pack'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { Transport } from '../../main/services/central/transport'
import { nodeTransport } from '../../main/services/central/transport'
import type { EncodedBatch } from '../../main/services/central/client'
import { photoPacks, prepareBatch } from '../../main/services/upload/prepare'
import { createOutboxRepository } from '../../main/services/store/outbox'
import { createBatchReader } from '../../main/services/store/batch-reader'
import type { NextBatch, UploadWorker } from '../../main/services/upload/worker'
import { createInlineUploadWorker } from '../../main/services/upload/worker'
import { createThreadUploadWorker } from '../../main/services/upload/worker-thread'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { DEMO_POST_ID } from '../central/server'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { storeFakePhoto } from '../fixtures/stored-photos'
import { demoCentral, firstBatchFault, jsonAnswer, manualClock, openKiosk, tempDir, watchedTransport } from './helpers'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!()
})

const central = demoCentral

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

type KioskHandle = ReturnType<typeof openKiosk>

/** Queues n registrations; those at even positions carry a stored 30 KB face photo. */
async function queue(handle: KioskHandle, n: number, offset = 0): Promise<Receipt[]> {
  const vault = createVault(createFileKeyProvider(handle.dataDir).loadOrCreate())
  const receipts: Receipt[] = []
  for (let i = 0; i < n; i++) {
    const face = i % 2 === 0 ? { sha256: storeFakePhoto(handle.kiosk.store.connection(), vault, `worker-${offset + i}`).sha256 } : null
    receipts.push(value<Receipt>(await handle.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(offset + i), photos: { face, card: null } }) })))
  }
  return receipts
}

function workerQueue(
  handle: KioskHandle,
  options: { script?: string; timeoutMs?: number; central?: { baseUrl: string; token: string } } = {},
): UploadWorker {
  const queue = createThreadUploadWorker({
    script: options.script ?? inject('uploadWorker'),
    dbFile: join(handle.dataDir, 'posko.db'),
    masterKey: createFileKeyProvider(handle.dataDir).loadOrCreate(),
    central: options.central ?? null,
    logger: createMemoryLogger(),
    timeoutMs: options.timeoutMs,
  })
  closers.push(() => queue.close())
  return queue
}

const NEXT = { postId: DEMO_POST_ID, limit: 10, maxBytes: 1 << 20 }

/** A batch on the wire is not claimed twice. */
const batchOfOrEmpty = (next: NextBatch) => (next.kind === 'batch' ? next.batch.batchId : next.kind)

function batchOf(next: NextBatch): Extract<NextBatch, { kind: 'batch' }> {
  if (next.kind !== 'batch') throw new Error(`expected a batch, got ${next.kind}`)
  return next
}

/** A worker script that misbehaves the first time it starts (hangs, or exits), and is the real worker after. */
function flakyWorker(dir: string, firstTime: 'hang' | 'exit'): string {
  const marker = join(dir, 'started-once')
  const script = join(dir, `flaky-${firstTime}.cjs`)
  const misbehave = firstTime === 'hang' ? "require('node:worker_threads').parentPort.on('message', () => {})" : 'process.exit(3)'
  writeFileSync(
    script,
    `const fs = require('node:fs')
if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); ${misbehave} }
else require(${JSON.stringify(inject('uploadWorker'))})
`,
  )
  return script
}

const decodedBody = (prepared: { batch: EncodedBatch }) => JSON.parse(gunzipSync(prepared.batch.gzipped).toString('utf8')) as { postId: string; batchId: string; records: Array<{ id: string; photos: { face: { sha256: string } | null } }> }

describe('the upload worker', () => {
  it('claims and encodes byte for byte what the inline queue does: the records as committed, under the claimed id', async () => {
    const handle = openKiosk()
    const receipts = await queue(handle, 5)
    const viaWorker = batchOf(await workerQueue(handle).next({ ...NEXT, nowIso: new Date().toISOString() }))
    expect([...viaWorker.batch.recordIds].sort()).toEqual(receipts.map((r) => r.id).sort())
    expect(viaWorker.photos).toEqual({ count: 3 })
    expect(handle.kiosk.store.countInState('uploading')).toBe(5)
    // The claimed batch was never sent: recovered as at the start of a run, the inline queue claims it again, by id.
    const vault = createVault(createFileKeyProvider(handle.dataDir).loadOrCreate())
    const local = createInlineUploadWorker(handle.kiosk.store.connection(), vault, { client: null, logger: createMemoryLogger(), newBatchId: () => 'unused' })
    expect(batchOfOrEmpty(await local.next({ ...NEXT, nowIso: new Date().toISOString() }))).toBe('empty')
    expect(await local.recoverInterrupted()).toBe(5)
    const inline = batchOf(await local.next({ ...NEXT, nowIso: new Date().toISOString() }))
    expect(inline.batch.batchId).toBe(viaWorker.batch.batchId)
    expect(Buffer.from(viaWorker.batch.gzipped).equals(Buffer.from(inline.batch.gzipped))).toBe(true)
    expect(inline.photos).toEqual(viaWorker.photos)

    const body = decodedBody(viaWorker)
    expect(body).toMatchObject({ postId: DEMO_POST_ID, batchId: viaWorker.batch.batchId })
    expect(body.records.map((r) => r.id)).toEqual(viaWorker.batch.recordIds)
    for (const record of body.records) {
      expect(record).toEqual(value<RegistrationView>(await handle.kiosk.call('registration.get', { id: record.id })).record)
    }
  })

  it('packs a batch\'s photos up to the byte limit, a pack per request, each photo once', async () => {
    const handle = openKiosk()
    await queue(handle, 6)
    const conn = handle.kiosk.store.connection()
    const claim = createOutboxRepository(conn).claimBatch(new Date().toISOString(), 10, 1 << 20, () => '01900000-0000-7000-8000-000000000003')!
    const vault = createVault(createFileKeyProvider(handle.dataDir).loadOrCreate())
    // At most 70 KB a pack: two 30 KB photos fit, the third starts a new pack.
    const reader = createBatchReader(conn)
    const prepared = await prepareBatch(reader, vault, { postId: DEMO_POST_ID, ...claim }, gzipSync)
    const packs = [...photoPacks(reader, vault, prepared.photos, { maxPackBytes: 70 * 1024, maxPackPhotos: 500 })]
    expect(packs.map((p) => p.sha256s.length)).toEqual([2, 1])
    const photos = packs.flatMap((p) => decodePhotoPack(Buffer.from(p.body)))
    const named = decodedBody(prepared).records.flatMap((r) => r.photos.face?.sha256 ?? [])
    expect(photos.map((p) => p.sha256).sort()).toEqual(named.sort())
    const two = [...photoPacks(reader, vault, prepared.photos, { maxPackBytes: 1 << 20, maxPackPhotos: 2 })]
    expect(two.map((p) => p.sha256s.length)).toEqual([2, 1])
  })

  it('sends a batch\'s photos with its own client and marks them, on its own connection; main reads what it wrote', async () => {
    const { central: c, token } = await central()
    const handle = openKiosk()
    await queue(handle, 4)
    const worker = workerQueue(handle, { central: { baseUrl: c.url, token } })
    const { batch } = batchOf(await worker.next({ ...NEXT, nowIso: new Date().toISOString() }))
    expect(await worker.sendPhotos(batch.batchId, '2026-11-25T02:00:00.000Z')).toBeNull()
    expect(c.stats().photos).toBe(2)
    expect(handle.kiosk.store.photos().flatMap((p) => p.uploadedAt ?? [])).toEqual(['2026-11-25T02:00:00.000Z', '2026-11-25T02:00:00.000Z'])
    await expect(worker.sendPhotos(batch.batchId, '2026-11-25T02:00:00.000Z')).rejects.toThrow(`no photos prepared for batch ${batch.batchId}`)
    await worker.applyResults(batch.recordIds.map((id, i) => ({ id, status: 'accepted', centralId: `C-00000000${i + 1}` })), '2026-11-25T02:00:01.000Z')
    expect(handle.kiosk.store.count('outbox')).toBe(0)
    expect(value(await handle.kiosk.call('queue.status'))).toMatchObject({ counts: { accepted: 4, queued: 0, uploading: 0 } })
  })

  it('a worker that stops answering fails the call after its timeout, and the next call gets a fresh worker', async () => {
    const handle = openKiosk()
    await queue(handle, 2)
    // Long enough for a fresh worker to start on a loaded machine; the first, hanging one never answers at all.
    const worker = workerQueue(handle, { script: flakyWorker(tempDir(), 'hang'), timeoutMs: 2000 })
    await expect(worker.next({ ...NEXT, nowIso: new Date().toISOString() })).rejects.toThrow('did not answer in 2000 ms')
    expect(batchOf(await worker.next({ ...NEXT, nowIso: new Date().toISOString() })).batch.recordIds).toHaveLength(2)
  })

  it('a call slower than the timeout is not cut off while the worker says it is alive (photos over a slow link)', async () => {
    const { central: c, token } = await central({ faults: { latencyMs: [2500, 2500] } })
    const handle = openKiosk()
    await queue(handle, 2)
    const worker = workerQueue(handle, { central: { baseUrl: c.url, token }, timeoutMs: 1500 })
    const { batch } = batchOf(await worker.next({ ...NEXT, nowIso: new Date().toISOString() }))
    expect(await worker.sendPhotos(batch.batchId, new Date().toISOString())).toBeNull()
    expect(c.stats().photos).toBe(1)
  })

  it('a worker that dies mid-run: the batch goes back to the queue, the run backs off, and the next run uploads it', async () => {
    const { central: c, token } = await central()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), workerScript: flakyWorker(tempDir(), 'exit') } })
    const receipts = await queue(handle, 3)
    await handle.kiosk.uploader.runOnce()
    expect(handle.kiosk.uploader.state()).toMatchObject({ status: 'waiting', pending: 3 })
    const states = () => handle.kiosk.store.records().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => r.state)
    expect(states()).toEqual(['queued', 'queued', 'queued'])
    expect(c.stats().records).toBe(0)

    await handle.kiosk.uploader.runOnce()
    expect(states()).toEqual(['accepted', 'accepted', 'accepted'])
    expect(c.stats()).toMatchObject({ accepted: 3, photos: 2 })
    for (const r of receipts) expect(value<RegistrationView>(await handle.kiosk.call('registration.get', { id: r.id })).centralId).toMatch(/^C-/)
  })
})

/** The photo sender runs where the queue does; these watch its requests, so they use the inline queue. */
describe('uploading with photo packs', () => {
  const hashless = (call: string) => call.replace(/[0-9a-f]{64}$/, '…')

  /** Records each request as "METHOD path"; answers 404 for photo packs when told to, as an older central would. */
  const recordingTransport = (options: { noPacks?: boolean } = {}) =>
    watchedTransport({
      answer: ({ path }) => (options.noPacks && path === '/v1/photos:batch' ? jsonAnswer(404, { error: { code: 'not_found', message: 'no route' } }) : undefined),
    })

  it('a batch\'s photos go up in one pack request before the batch', async () => {
    const { central: c, token } = await central()
    const recorder = recordingTransport()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: recorder, workerScript: undefined } })
    await queue(handle, 6)
    await handle.kiosk.uploader.runOnce()
    expect(recorder.calls).toEqual(['POST /v1/photos:batch', 'POST /v1/registrations:batch'])
    expect(c.stats()).toMatchObject({ accepted: 6, photos: 3 })
    expect(handle.kiosk.store.count('photo_uploads')).toBe(3)
  })

  it('a central without photo packs (404) gets one PUT per photo, and later batches go straight to PUTs', async () => {
    const { central: c, token } = await central()
    const recorder = recordingTransport({ noPacks: true })
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: recorder, limits: { maxRecords: 3 }, workerScript: undefined } })
    await queue(handle, 6)
    await handle.kiosk.uploader.runOnce()
    // Batches of three records: photos at positions 0 and 2, then at 4.
    expect(recorder.calls.map(hashless)).toEqual([
      'POST /v1/photos:batch',
      'PUT /v1/photos/…',
      'PUT /v1/photos/…',
      'POST /v1/registrations:batch',
      'PUT /v1/photos/…',
      'POST /v1/registrations:batch',
    ])
    expect(c.stats()).toMatchObject({ accepted: 6, photos: 3 })
    expect(handle.kiosk.uploader.state()).toMatchObject({ status: 'idle', lastError: null })
  })

  it('a pack over central\'s body limit (413) goes one PUT per photo; nothing is lost', async () => {
    const { central: c, token } = await central({ limits: { maxBodyBytes: 50 * 1024 } })
    const recorder = recordingTransport()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: recorder, workerScript: undefined } })
    await queue(handle, 4)
    await handle.kiosk.uploader.runOnce()
    expect(recorder.calls.map(hashless)).toEqual([
      'POST /v1/photos:batch',
      'PUT /v1/photos/…',
      'PUT /v1/photos/…',
      'POST /v1/registrations:batch',
    ])
    expect(c.stats()).toMatchObject({ accepted: 4, photos: 2 })
  })

  it('the batch claimed ahead while one is sent goes back to the queue when the run fails, and is re-sent under its own id', async () => {
    const { central: c, token } = await central()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: firstBatchFault('500'), limits: { maxRecords: 2 } } })
    await queue(handle, 4)
    await handle.kiosk.uploader.runOnce()
    expect(handle.kiosk.uploader.state()).toMatchObject({ status: 'waiting', lastError: 'server_error', pending: 4 })
    const rows = () => handle.kiosk.store.outbox().map((o) => ({ state: handle.kiosk.store.record(o.recordId)?.state, batchId: o.batchId }))
    // Both batches were claimed (the second while the first was on the wire); neither is left `uploading`.
    expect(rows().map((r) => r.state)).toEqual(['queued', 'queued', 'queued', 'queued'])
    const claimed = [...new Set(rows().map((r) => r.batchId))].sort()
    expect(claimed).toHaveLength(2)
    expect(c.stats().records).toBe(0)

    await handle.kiosk.uploader.runOnce()
    expect(c.stats()).toMatchObject({ accepted: 4, photos: 2 })
    expect(c.db.prepare('SELECT batch_id FROM batches ORDER BY batch_id').pluck().all()).toEqual(claimed)
    expect(handle.kiosk.store.countInState('accepted')).toBe(4)
  })

  it('with batches prepared ahead, each batch reaches central after its own photos, in the order claimed', async () => {
    const { central: c, token } = await central()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), limits: { maxRecords: 2 } } })
    await queue(handle, 10)
    const claimOrder = handle.kiosk.store.outbox().map((o) => o.recordId)
    await handle.kiosk.uploader.runOnce()
    // Central rejects a record whose photo it does not have (validation.photo_missing): all accepted means photos first.
    expect(c.stats()).toMatchObject({ accepted: 10, rejected: 0, photos: 5 })
    const stored = c.db.prepare('SELECT record_id AS id, batch_id AS batch FROM registrations ORDER BY seq').all() as Array<{ id: string; batch: string }>
    const batches = [...new Set(stored.map((r) => r.batch))].map((b) => stored.filter((r) => r.batch === b).map((r) => r.id).sort())
    expect(batches).toEqual([0, 2, 4, 6, 8].map((i) => claimOrder.slice(i, i + 2).sort()))
  })

  it('lookahead 0 sends one request at a time; by default the next batches\' photos are on the wire while a batch is checked', async () => {
    /**
     * Node's transport, counting requests in flight. The first `holds` batches' records wait at the transport for
     * another request to start beside them, at most `patienceMs` each (until two have been in flight at once): what the
     * uploader sends while a batch is on the wire then shows whatever the machine's load, not only if the next photos
     * happen to get there before central has answered the batch.
     */
    const counting = (holds: number, patienceMs: number) => {
      let inFlight = 0
      let most = 0
      let held = 0
      let another: (() => void) | null = null
      const transport: Transport = async (url, request) => {
        most = Math.max(most, ++inFlight)
        another?.()
        try {
          if (new URL(url).pathname === '/v1/registrations:batch' && most < 2 && held++ < holds) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, patienceMs)
              another = () => {
                clearTimeout(timer)
                resolve()
              }
            })
            another = null
          }
          return await nodeTransport(url, request)
        } finally {
          inFlight--
        }
      }
      return { transport, most: () => most }
    }
    const upload = async (lookahead: number | undefined, holds: number, patienceMs: number) => {
      const { central: c, token } = await central()
      const { transport, most } = counting(holds, patienceMs)
      const handle = openKiosk({
        config: { centralUrl: c.url },
        centralToken: token,
        upload: { clock: manualClock(), transport, limits: { maxRecords: 2 }, photoConcurrency: 1, lookahead, workerScript: undefined },
      })
      await queue(handle, 8)
      await handle.kiosk.uploader.runOnce()
      expect(c.stats()).toMatchObject({ accepted: 8, photos: 4 })
      return most()
    }
    // Each of the 4 batches waits a quarter second at the transport, and nothing else starts meanwhile.
    expect(await upload(0, 4, 250)).toBe(1)
    // A batch's records and the next batches' photos at once; the photos of all batches ahead share the sender's
    // lanes (one here), since a cut on a post's link resets every connection open (issue 23). Every second batch has
    // a photo, so the batches claimed ahead of the first send one while it waits (the patience is only a backstop).
    expect(await upload(undefined, 1, 10_000)).toBeGreaterThanOrEqual(2)
  })

  it('a record that cannot be opened is set aside for a day, logged; the rest of its batch uploads', async () => {
    const { central: c, token } = await central()
    const clock = manualClock()
    const handle = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock } })
    const receipts = await queue(handle, 4)
    const broken = receipts[1]!.id
    handle.kiosk.store.corruptRecord(broken)
    await handle.kiosk.uploader.runOnce()
    const outbox = handle.kiosk.store.outbox()
    const rows = handle.kiosk.store.records().map((r) => {
      const o = outbox.find((row) => row.recordId === r.id)
      return { id: r.id, state: r.state, error: o?.lastError ?? null, next: o?.nextAttemptAt ?? null }
    })
    for (const row of rows) {
      if (row.id === broken) expect(row).toEqual({ id: broken, state: 'queued', error: 'unreadable', next: new Date(clock.now() + 24 * 3600_000).toISOString() })
      else expect(row.state).toBe('accepted')
    }
    expect(c.stats().accepted).toBe(3)
    expect(handle.logger.entries).toContainEqual({ level: 'error', message: 'upload: record set aside, it cannot be opened', fields: { recordId: broken } })
    expect(handle.kiosk.uploader.state()).toMatchObject({ status: 'idle', pending: 1 })
  })
})
