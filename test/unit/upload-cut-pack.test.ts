import { v7 as uuidv7 } from 'uuid'
import { afterEach, describe, expect, it } from 'vitest'
import type { Receipt } from '../../common/records'
import type { UploadState } from '../../common/upload'
import { createCentralClient } from '../../main/services/central/client'
import { request as httpRequest, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodePhotoFrame, encodePhotoPack, encodeRestFrame, PHOTO_FRAME_OVERHEAD, PHOTO_PACK_MEDIA_TYPE, PHOTO_PACK_PATH, RECEIPT_MEDIA_TYPE, splitPhotoPack } from '../../main/services/central/photo-pack'
import { ReceiptLine } from '../../main/services/central/wire'
import type { Transport } from '../../main/services/central/transport'
import { MIN_BYTES_PER_SECOND, nodeTransport, requestDeadlineMs } from '../../main/services/central/transport'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { createBatchReader } from '../../main/services/store/batch-reader'
import { createOutboxRepository } from '../../main/services/store/outbox'
import type { LinkWindow } from '../../main/services/upload/link-window'
import { createLinkWindow } from '../../main/services/upload/link-window'
import { createPackSizer, DEFAULT_PACK_SIZING } from '../../main/services/upload/pack-sizer'
import { createPhotoSender } from '../../main/services/upload/photo-sender'
import { photoPacks, prepareBatch } from '../../main/services/upload/prepare'
import { createUploader } from '../../main/services/upload/uploader'
import { createInlineUploadWorker } from '../../main/services/upload/worker'
import { fakeJpeg } from '../central/fixtures'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { startLinkProxy } from '../fixtures/link/proxy'
import { storeFakePhoto } from '../fixtures/stored-photos'
import { bodyWatched, demoCentral, jsonAnswer, manualClock, openKiosk, watchedTransport } from './helpers'

/**
 * The link simulator's userspace proxy (test/fixtures/link, wt-links), cutting the link once `cutAt` bytes have gone
 * up; `rate` makes it a slow link (kept fast enough that the test takes seconds: the speeds belong to the bench).
 */
async function cutProxy(target: string, cutAt: number, rateBitsPerSecond?: number) {
  const { port, hostname } = new URL(target)
  const link = await startLinkProxy({ target: { host: hostname, port: Number(port) }, cutEveryBytes: cutAt, rateBitsPerSecond, latencyMs: rateBitsPerSecond ? 20 : 0 })
  closers.push(() => link.close())
  return { url: link.url, upstream: () => link.stats().bytesUp, wasCut: () => link.stats().cuts > 0, stopCutting: async () => link.setCut(null) }
}

/** The uploader of these tests: the demo post, one request at a time (no batches ahead), nothing published. */
function oneAtATime(
  conn: Parameters<typeof createOutboxRepository>[0],
  parts: Pick<Parameters<typeof createUploader>[0], 'queue' | 'client' | 'logger'> & Partial<Pick<Parameters<typeof createUploader>[0], 'clock' | 'onState'>>,
) {
  return createUploader({
    postId: 'JT-3578-01',
    outbox: createOutboxRepository(conn),
    clock: manualClock(),
    lookahead: 0,
    lastSyncAt: null,
    onState: () => undefined,
    onSynced: () => undefined,
    onRecordsChanged: () => undefined,
    ...parts,
  })
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!()
})

describe('central keeps the complete photos of a cut pack (issue 23.2)', () => {
  it('a pack cut off mid-body keeps the frames that arrived whole; photos:held names exactly those', async () => {
    const { central, token } = await demoCentral()
    const photos = Array.from({ length: 20 }, (_, i) => fakeJpeg(`cut-${i}`, 20 * 1024))
    const body = encodePhotoPack(photos.map((p) => ({ sha256: p.sha256, jpeg: p.bytes })))
    const frame = PHOTO_FRAME_OVERHEAD + 20 * 1024
    // The cut falls in the middle of the 13th frame (plus the request's head, which is under a frame).
    const proxy = await cutProxy(central.url, Math.round(12.5 * frame))
    const client = createCentralClient({ baseUrl: proxy.url, token })
    const sent = await client.putPhotoPack({ sha256s: photos.map((p) => p.sha256), body })
    expect(sent).toMatchObject({ ok: false, failure: { kind: 'transient' } })
    expect(proxy.wasCut()).toBe(true)
    const asked = await client.photosHeld(photos.map((p) => p.sha256))
    if (!asked.ok) throw new Error(JSON.stringify(asked.failure))
    const held = asked.value.held
    // Every complete frame, and none of the rest: the 12 before the cut, or 11 if the head pushed one past it.
    expect(held.size).toBeGreaterThanOrEqual(11)
    expect(held.size).toBeLessThanOrEqual(12)
    expect([...held]).toEqual(photos.slice(0, held.size).map((p) => p.sha256))
    expect(central.stats().photos).toBe(held.size)
    // Not asked for partial photos: none said (an older kiosk's question gets the older answer).
    expect(asked.value.partial.size).toBe(0)
  })

  it('keeps what arrived of the photo a cut fell in; a rest frame from there completes it, and one central cannot join is refused with 409', async () => {
    const { central, token } = await demoCentral()
    const photos = Array.from({ length: 4 }, (_, i) => fakeJpeg(`rest-${i}`, 20_000))
    const body = encodePhotoPack(photos.map((p) => ({ sha256: p.sha256, jpeg: p.bytes })))
    const frame = PHOTO_FRAME_OVERHEAD + 20_000
    // The cut falls in the middle of the third frame.
    const proxy = await cutProxy(central.url, Math.round(2.5 * frame))
    const client = createCentralClient({ baseUrl: proxy.url, token })
    expect(await client.putPhotoPack({ sha256s: photos.map((p) => p.sha256), body })).toMatchObject({ ok: false, failure: { kind: 'transient' } })
    await proxy.stopCutting()
    const asked = await client.photosHeld(photos.map((p) => p.sha256), { partial: true })
    if (!asked.ok) throw new Error(JSON.stringify(asked.failure))
    expect([...asked.value.held]).toEqual(photos.slice(0, 2).map((p) => p.sha256))
    const kept = asked.value.partial.get(photos[2]!.sha256)
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(20_000)
    expect([...asked.value.partial.keys()]).toEqual([photos[2]!.sha256])
    // The rest of the third photo, then the fourth whole: central stores both, the third checked whole.
    const third = photos[2]!
    const rest = { sha256s: [third.sha256, photos[3]!.sha256], body: Buffer.concat([encodeRestFrame(third.sha256, third.bytes, kept!), encodePhotoFrame(photos[3]!.sha256, photos[3]!.bytes)]) }
    expect(await client.putPhotoPack(rest)).toEqual({ ok: true, value: { created: 2 } })
    expect(central.stats().photos).toBe(4)
    // Joined, the kept bytes are forgotten: a rest frame now has nothing to join and is refused, nothing stored.
    const other = fakeJpeg('rest-other', 20_000)
    const orphan = { sha256s: [other.sha256], body: encodeRestFrame(other.sha256, other.bytes, 1_000) }
    expect(await client.putPhotoPack(orphan)).toEqual({ ok: false, failure: { kind: 'conflict' } })
    expect(central.stats().photos).toBe(4)
  })

  it('photos:held answers only with photos asked about, and refuses a question that is not one', async () => {
    const { central, token } = await demoCentral()
    const client = createCentralClient({ baseUrl: central.url, token })
    const stored = fakeJpeg('held-stored')
    expect(await client.putPhoto(stored.sha256, stored.bytes)).toMatchObject({ ok: true })
    const other = fakeJpeg('held-other').sha256
    expect(await client.photosHeld([other, stored.sha256])).toEqual({ ok: true, value: { held: new Set([stored.sha256]), partial: new Map() } })
    const bad = await fetch(`${central.url}/v1/photos:held`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sha256s: ['not-a-hash'] }),
    })
    expect(bad.status).toBe(400)
  })
})

describe('a streamed receipt: central says which frames it holds as it commits them (issue 23)', () => {
  const photosOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => fakeJpeg(`${prefix}-${i}`, 8 * 1024))

  it('acknowledges frames while the body is still arriving, then ends with the count', async () => {
    const { central, token } = await demoCentral()
    const photos = photosOf('streamed', 10)
    const frames = photos.map((p) => encodePhotoFrame(p.sha256, p.bytes))
    const total = frames.reduce((n, f) => n + f.length, 0)
    const request = httpRequest(`${central.url}${PHOTO_PACK_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': PHOTO_PACK_MEDIA_TYPE, accept: RECEIPT_MEDIA_TYPE, 'content-length': String(total) },
    })
    const lines: ReceiptLine[] = []
    const ended = new Promise<void>((resolve, reject) => {
      request.on('response', (res) => {
        expect(res.statusCode).toBe(200)
        expect(res.headers['content-type']).toBe(RECEIPT_MEDIA_TYPE)
        let partial = ''
        res.setEncoding('utf8')
        res.on('data', (text: string) => {
          const parts = (partial + text).split('\n')
          partial = parts.pop()!
          for (const part of parts) if (part) lines.push(ReceiptLine.parse(JSON.parse(part)))
        })
        res.on('end', () => resolve())
      })
      request.on('error', reject)
    })
    const stored = () => lines.flatMap((l) => ('stored' in l ? l.stored.map((p) => p.sha256) : []))
    request.write(Buffer.concat(frames.slice(0, 6)))
    await expect.poll(() => stored().length, { timeout: 5000, interval: 10 }).toBe(6)
    // Committed before the body has ended: a cut now would cost these nothing.
    expect(central.stats().photos).toBe(6)
    request.end(Buffer.concat(frames.slice(6)))
    await ended
    expect(stored()).toEqual(photos.map((p) => p.sha256))
    expect(lines.at(-1)).toEqual({ done: { photos: 10 } })
  })

  it('a damaged frame ends the receipt with its refusal; the frames acknowledged before it stay stored', async () => {
    const { central, token } = await demoCentral()
    const photos = photosOf('damaged', 5)
    const frames = photos.map((p) => encodePhotoFrame(p.sha256, p.bytes))
    // Frame 3's JPEG no longer matches its hash.
    const damaged = frames[3]!
    damaged[damaged.length - 10] = damaged[damaged.length - 10]! ^ 0xff
    const client = createCentralClient({ baseUrl: central.url, token })
    const receipt = { streamed: false, stored: 0 }
    const outcome = await client.putPhotoPack({ sha256s: photos.map((p) => p.sha256), body: Buffer.concat(frames) }, receipt)
    expect(outcome).toEqual({ ok: false, failure: { kind: 'bad_request', reason: 'http_422' } })
    expect(receipt).toEqual({ streamed: true, stored: 3 })
    expect(central.stats().photos).toBe(3)
  })

  it('a receipt that is not one is believed in nothing: a photo out of place, a line after the end, no end, not JSON', async () => {
    const pack = photosOf('hostile', 3)
    const sha256s = pack.map((p) => p.sha256)
    const stored = (i: number) => ({ stored: [{ sha256: sha256s[i], size: 8192, created: true }] })
    const receipts: Record<string, unknown[]> = {
      wrong_photos: [stored(0), stored(2), { done: { photos: 3 } }],
      after_end: [stored(0), stored(1), stored(2), { done: { photos: 3 } }, stored(2)],
      receipt_without_end: [stored(0), stored(1), stored(2)],
      bad_json: [stored(0), 'not json'],
    }
    let answer: unknown[] = []
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': RECEIPT_MEDIA_TYPE })
        res.end(answer.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => server.close(() => resolve())))
    const client = createCentralClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' })
    const body = encodePhotoPack(pack.map((p) => ({ sha256: p.sha256, jpeg: p.bytes })))
    for (const [reason, lines] of Object.entries(receipts)) {
      answer = lines
      const receipt = { streamed: false, stored: 0 }
      expect(await client.putPhotoPack({ sha256s, body }, receipt)).toEqual({ ok: false, failure: { kind: 'malformed', reason } })
      expect(receipt.stored).toBe(0)
    }
    // The same lines, whole and in order, are an answer.
    answer = [stored(0), { stored: [1, 2].map((i) => stored(i).stored[0]) }, { done: { photos: 3 } }]
    expect(await client.putPhotoPack({ sha256s, body })).toEqual({ ok: true, value: { created: 3 } })
  })
})

describe('packs sized to the link (issue 23.2)', () => {
  const sizer = (initialBytes = 256 * 1024) => createPackSizer({ ...DEFAULT_PACK_SIZING, initialBytes, maxBytes: 4 * 1024 * 1024 })

  it('starts small, at most doubles per answer, and aims at the target seconds of the measured rate', () => {
    const s = sizer()
    expect(s.packBytes()).toBe(256 * 1024)
    // A fast link: the size doubles per answer up to the limit, never leaping there on one sample.
    s.answered(256 * 1024, 10)
    expect(s.packBytes()).toBe(512 * 1024)
    for (let i = 0; i < 5; i++) s.answered(s.packBytes(), 10)
    expect(s.packBytes()).toBe(4 * 1024 * 1024)
    // The link slows to 64 kbit/s: the next pack is ~8 s of it at once.
    s.answered(4 * 1024 * 1024, 512_000)
    expect(s.packBytes()).toBe(MIN_BYTES_PER_SECOND * DEFAULT_PACK_SIZING.targetSeconds)
  })

  it('at 64 kbit/s and below a pack still makes its deadline with room to spare; a fixed 4 MiB pack could not below it', () => {
    for (const bitsPerSecond of [64_000, 32_000, 16_000]) {
      const rate = bitsPerSecond / 8
      const s = sizer()
      for (let i = 0; i < 4; i++) s.answered(s.packBytes(), (s.packBytes() / rate) * 1000)
      const seconds = s.packBytes() / rate
      expect(seconds).toBeLessThanOrEqual(DEFAULT_PACK_SIZING.targetSeconds + 1)
      // Even twice as slow as measured, mid-pack, it arrives before transport.ts gives up on it.
      expect(2 * seconds * 1000).toBeLessThan(requestDeadlineMs(s.packBytes(), 30_000))
    }
    const fixed = 4 * 1024 * 1024
    expect((fixed / (32_000 / 8)) * 1000).toBeGreaterThan(requestDeadlineMs(fixed, 30_000))
  })

  it('a cut halves the next pack; a small pack (a batch’s last photos) never shrinks it', () => {
    const s = sizer(1024 * 1024)
    s.cut()
    expect(s.packBytes()).toBe(512 * 1024)
    // 30 KB in 600 ms is mostly the round trip: no reason to think the link is slow.
    s.answered(30 * 1024, 600)
    expect(s.packBytes()).toBe(512 * 1024)
    for (let i = 0; i < 20; i++) s.cut()
    expect(s.packBytes()).toBe(DEFAULT_PACK_SIZING.minBytes)
  })

  it('photoPacks asks for the size as each pack is started, so a batch’s packs follow the link as it changes', async () => {
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
    const conn = kiosk.store.connection()
    for (let i = 0; i < 8; i++) {
      const face = { sha256: storeFakePhoto(conn, vault, `sized-${i}`, 10 * 1024).sha256 }
      expect(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i), photos: { face, card: null } }) })).toMatchObject({ ok: true })
    }
    const claim = createOutboxRepository(conn).claimBatch(new Date().toISOString(), 100, 1 << 30, uuidv7)!
    const reader = createBatchReader(conn)
    const prepared = await prepareBatch(reader, vault, { postId: 'JT-3578-01', ...claim }, async (b) => b)
    const sizes = [25 * 1024, 40 * 1024, 1024 * 1024]
    const packs = [...photoPacks(reader, vault, prepared.photos, { maxPackBytes: 4 << 20, maxPackPhotos: 500 }, () => sizes.shift() ?? 1 << 20)]
    expect(packs.map((p) => p.sha256s.length)).toEqual([2, 3, 3])
  })
})

describe('a cut pack on the upload does not start over (issue 23.4)', () => {
  it('on a slow link cut at ~70 % of a pack, only the rest goes again, at once, and every record and photo reaches central exactly once', async () => {
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
    const conn = kiosk.store.connection()
    const photoBytes = 60 * 1024
    const n = 12
    const receipts: Receipt[] = []
    for (let i = 0; i < n; i++) {
      const face = { sha256: storeFakePhoto(conn, vault, `cut-upload-${i}`, photoBytes).sha256 }
      const result = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(100 + i), photos: { face, card: null } }) })
      if (!result.ok) throw new Error(JSON.stringify(result.error))
      receipts.push(result.value as Receipt)
    }
    const pack = n * (PHOTO_FRAME_OVERHEAD + photoBytes)
    // A 4 Mbit/s link with 40 ms of round trip, cut once ~70 % into the pack (the rest is under the next mark).
    const proxy = await cutProxy(central.url, Math.round(pack * 0.7), 4_000_000)
    const paths: string[] = []
    const transport: Transport = (url, request) => {
      paths.push(new URL(url).pathname)
      return nodeTransport(url, request)
    }
    const client = createCentralClient({ baseUrl: proxy.url, token, transport })
    const logger = createMemoryLogger()
    // One pack of the first batch's ten photos: the sizer starts at 4 MiB here so the cut falls inside one big pack.
    const queue = createInlineUploadWorker(conn, vault, { client, logger, newBatchId: uuidv7, photoConcurrency: 1, sizing: { initialBytes: 4 << 20 } })
    const uploader = oneAtATime(conn, { queue, client, logger })
    await uploader.runOnce()
    const firstRun = uploader.state()
    // (Had the pack started over, it would take another run: drain anyway, so the bytes below say what it cost.)
    for (let i = 0; i < 3 && uploader.state().pending > 0; i++) await uploader.runOnce()
    uploader.stop()
    expect(proxy.wasCut()).toBe(true)
    expect(central.stats()).toMatchObject({ accepted: n, photos: n })
    for (const receipt of receipts) expect(await kiosk.call('registration.get', { id: receipt.id })).toMatchObject({ ok: true, value: { state: 'accepted' } })
    // Bytes that went up beyond the photos themselves: the cut frame, the rest's head, the question, the batch.
    const resent = proxy.upstream() - pack
    expect(resent).toBeLessThan(pack / 8)
    // No backoff: the cut pack resumed in the same run.
    expect(firstRun).toMatchObject({ status: 'idle', pending: 0 })
    // Central's streamed receipt had said which frames it held: the rest went at once, not after a question. Only
    // the frame just past the acknowledged ones was asked about, while the frame after it went.
    expect(logger.entries.filter((l) => l.message.startsWith('photo pack: central kept part')).map((l) => l.fields?.asked)).toEqual([false])
    expect(paths.slice(0, 3)).toEqual(['/v1/photos:batch', '/v1/photos:held', '/v1/photos:batch'])
  })
})

describe('a batch cut off on the way (issue 23)', () => {
  it('is sent again at once with its key, not after a backoff: each record at central once, in the same run', async () => {
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
    const conn = kiosk.store.connection()
    const n = 30
    for (let i = 0; i < n; i++) expect(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(500 + i) }) })).toMatchObject({ ok: true })
    // Cut once inside the first batch's body (~900 bytes for its 10 records, gzipped, after a head of ~400), never again.
    const proxy = await cutProxy(central.url, 600)
    const client = createCentralClient({ baseUrl: proxy.url, token })
    const logger = createMemoryLogger()
    const queue = createInlineUploadWorker(conn, vault, { client, logger, newBatchId: uuidv7 })
    const cutOnce: typeof client = {
      ...client,
      async postEncodedBatch(batch) {
        const outcome = await client.postEncodedBatch(batch)
        await proxy.stopCutting()
        return outcome
      },
    }
    const uploader = oneAtATime(conn, { queue, client: cutOnce, logger })
    await uploader.runOnce()
    const state = uploader.state()
    uploader.stop()
    expect(proxy.wasCut()).toBe(true)
    expect(state).toMatchObject({ status: 'idle', pending: 0, lastError: null })
    expect(central.stats()).toMatchObject({ accepted: n })
    expect(logger.entries.some((l) => l.message === 'upload failed')).toBe(false)
    expect(logger.entries.filter((l) => l.message.startsWith('upload: batch cut off'))).toHaveLength(1)
  })
})

describe('on a slow link records follow their photos in small batches, and staff see the time left (issue 23.4)', () => {
  it('sizes batches to ~30 s of the measured rate and publishes the estimate for the rest of the queue', async () => {
    const { central, token } = await demoCentral()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
    const conn = kiosk.store.connection()
    for (let i = 0; i < 45; i++) expect(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(300 + i) }) })).toMatchObject({ ok: true })
    const clock = manualClock()
    const client = createCentralClient({ baseUrl: central.url, token })
    const inline = createInlineUploadWorker(conn, vault, { client, logger: createMemoryLogger(), newBatchId: uuidv7 })
    const batches: number[] = []
    // A link on which every batch takes 10 s, whatever its size: 1 record/s after the first batch of 10.
    const queue: typeof inline = {
      ...inline,
      next: async (request) => {
        const next = await inline.next(request)
        if (next.kind === 'batch') {
          batches.push(next.batch.recordIds.length)
          clock.advance(10_000)
        }
        return next
      },
    }
    const states: UploadState[] = []
    const uploader = oneAtATime(conn, { queue, client, logger: createMemoryLogger(), clock, onState: (state) => states.push(state) })
    await uploader.runOnce()
    uploader.stop()
    expect(central.stats().accepted).toBe(45)
    // 10 before anything is measured; then 30 s at 1 record/s; then what is left.
    expect(batches).toEqual([10, 30, 5])
    const estimates = states.filter((s) => s.status === 'running').map((s) => s.progress?.secondsLeft)
    // None before the first batch is answered; then the queue left at the smoothed rate: 35 records at 1/s, then
    // 5 at 2/s (the mean of 1/s and the second batch's 3/s), then nothing left.
    expect(estimates).toEqual([undefined, 35, 3, 0])
  })
})

describe('the photo sender after a cut (issue 23.2)', () => {
  const pack = (prefix: string, n: number, size = 4096) => {
    const photos = Array.from({ length: n }, (_, i) => fakeJpeg(`${prefix}-${i}`, size))
    return { sha256s: photos.map((p) => p.sha256), body: encodePhotoPack(photos.map((p) => ({ sha256: p.sha256, jpeg: p.bytes }))) }
  }

  /** Node's transport, noting each request's path; `old` strips the streamed receipt from Accept (an older central's answer). */
  const losingFirstAnswer = (calls: string[], old: boolean): Transport => {
    let lose = true
    return async (url, request) => {
      calls.push(new URL(url).pathname)
      const answer = await nodeTransport(url, old ? { ...request, headers: { ...request.headers, accept: 'application/json' } } : request)
      if (lose && new URL(url).pathname === '/v1/photos:batch') {
        lose = false
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      }
      return answer
    }
  }

  it.each([
    { central: 'streams its receipt', old: false, calls: ['/v1/photos:batch'] },
    { central: 'answers at the end only (older)', old: true, calls: ['/v1/photos:batch', '/v1/photos:held'] },
  ])('a pack whose answer was lost is not sent again, from a central that $central (at most a question)', async ({ old, calls: expected }) => {
    const { central, token } = await demoCentral()
    const calls: string[] = []
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport: losingFirstAnswer(calls, old) }), concurrency: 1, logger: createMemoryLogger() })
    const marked: string[] = []
    const one = pack(`lost-${old}`, 5)
    expect(await sender.send([one], (shas) => marked.push(...shas))).toBeNull()
    expect(calls).toEqual(expected)
    expect(marked).toEqual(one.sha256s)
  })

  /**
   * A pack of six whose first exchange central stores whole, but is cut after a receipt naming only the first two
   * (the others' acknowledgement was on its way), with a lane measured so that three frames are in doubt. `heldDelay`
   * holds back the photos:held answer; the rest's pack waits until the answer is back unless `race` is set.
   */
  async function lateAcknowledgements(prefix: string, options: { race: boolean; heldDelay: number }) {
    const { central, token } = await demoCentral()
    const one = pack(prefix, 6)
    const calls: string[] = []
    const sent: string[][] = []
    let first = true
    let heldBack: Promise<void> = Promise.resolve()
    const transport: Transport = async (url, request) => {
      const path = new URL(url).pathname
      calls.push(path)
      if (path === '/v1/photos:held') {
        const answer = (async () => {
          await new Promise((resolve) => setTimeout(resolve, options.heldDelay))
          return nodeTransport(url, request)
        })()
        // Settled either way: in the race the test may end, and its central close, before this answer is back.
        heldBack = answer.then(
          () => undefined,
          () => undefined,
        )
        return answer
      }
      if (path !== '/v1/photos:batch') return nodeTransport(url, request)
      if (!first) {
        if (!options.race) await heldBack
        const { request: watched, bytes } = bodyWatched(request)
        const outcome = await nodeTransport(url, watched)
        sent.push(splitPhotoPack(bytes()).map((f) => f.sha256))
        return outcome
      }
      first = false
      await nodeTransport(url, { ...request, onLine: undefined })
      request.onLine?.(JSON.stringify({ stored: one.sha256s.slice(0, 2).map((sha256) => ({ sha256, size: 4096, created: true })) }))
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    }
    const frame = PHOTO_FRAME_OVERHEAD + 4096
    const sizer = createPackSizer({ ...DEFAULT_PACK_SIZING, maxBytes: 4 << 20 })
    // 3.5 frames in 0.15 s: the three frames after the acknowledged two are in doubt, the sixth is not.
    sizer.answered(Math.round((3.5 * frame) / 0.15), 1000)
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 1, logger: createMemoryLogger(), sizer })
    const marked: string[] = []
    expect(await sender.send([one], (shas) => marked.push(...shas))).toBeNull()
    expect([...marked].sort()).toEqual([...one.sha256s].sort())
    return { calls, sent, frames: (...indexes: number[]) => indexes.map((i) => one.sha256s[i]!) }
  }

  it('after a cut, the frames past the acknowledged ones are asked about while the next go, and only what central lacks follows', async () => {
    const { calls, sent, frames } = await lateAcknowledgements('late-asked', { race: false, heldDelay: 0 })
    expect(calls).toEqual(['/v1/photos:batch', '/v1/photos:held', '/v1/photos:batch'])
    // The sixth frame went; the three in doubt did not, central had them.
    expect(sent).toEqual([frames(5)])
  })

  it('if the answer is not back when the frames in doubt are due, they go whole: the link is not left idle for it', async () => {
    const { calls, sent, frames } = await lateAcknowledgements('late-unasked', { race: true, heldDelay: 400 })
    expect(calls).toEqual(['/v1/photos:batch', '/v1/photos:held', '/v1/photos:batch', '/v1/photos:batch'])
    expect(sent).toEqual([frames(5), frames(2, 3, 4)])
  })

  it('a cut that central kept nothing of is tried again at once, twice; then it fails as before and the next try of those photos asks central first', async () => {
    const { central, token } = await demoCentral()
    const calls: string[] = []
    let cuts = 3
    const transport: Transport = async (url, request) => {
      calls.push(new URL(url).pathname)
      if (cuts > 0 && new URL(url).pathname === '/v1/photos:batch') {
        cuts--
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      }
      return nodeTransport(url, request)
    }
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 1, logger: createMemoryLogger() })
    const one = pack('nothing-kept', 3)
    expect(await sender.send([one], () => undefined)).toMatchObject({ kind: 'transient', reason: 'network' })
    expect(await sender.send([one], () => undefined)).toBeNull()
    const tries = ['/v1/photos:batch', '/v1/photos:held']
    expect(calls).toEqual([...tries, ...tries, ...tries, '/v1/photos:held', '/v1/photos:batch'])
    expect(central.stats().photos).toBe(3)
  })

  /**
   * A pack of eight 20 KB photos whose first request goes over a link cut in the middle of the third frame (the rest
   * go straight to central, each after the question's answer is back): what went again, frame by frame. The lane's
   * rate is set so that `rateFrames` frames count as in doubt; `receipt: false` hides central's receipt of the cut
   * request (nothing acknowledged); `window` as the photo sender takes it.
   */
  async function cutInTheThird(prefix: string, options: { rateFrames: number; receipt: boolean; window?: LinkWindow }) {
    const { central, token } = await demoCentral()
    const size = 20_000
    const frame = PHOTO_FRAME_OVERHEAD + size
    const one = pack(prefix, 8, size)
    const proxy = await cutProxy(central.url, Math.round(2.5 * frame))
    const sent: Array<Array<{ type: number; sha256: string }>> = []
    let first = false
    let heldBack: Promise<void> = Promise.resolve()
    const transport: Transport = async (url, request) => {
      const path = new URL(url).pathname
      if (path === '/v1/photos:held') {
        // On a real link central sees the reset before a question that follows it; here the question is on loopback
        // and the reset went through the proxy, so it waits until central has kept what arrived of the third photo.
        const answer = keptThird().then(() => nodeTransport(url, request))
        heldBack = answer.then(
          () => undefined,
          () => undefined,
        )
        return answer
      }
      if (path !== '/v1/photos:batch') return nodeTransport(url, request)
      if (first) {
        first = false
        return nodeTransport(url.replace(central.url, proxy.url), options.receipt ? request : { ...request, onLine: undefined })
      }
      await heldBack
      const { request: watched, bytes } = bodyWatched(request)
      const outcome = await nodeTransport(url, watched)
      sent.push(splitPhotoPack(bytes()).map((f) => ({ type: f.frame[0]!, sha256: f.sha256 })))
      return outcome
    }
    const keptThird = async () => {
      for (let tries = 0; tries < 200; tries++) {
        const held = await createCentralClient({ baseUrl: central.url, token }).photosHeld([one.sha256s[2]!], { partial: true })
        if (held.ok && held.value.partial.size > 0) return
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }
    const sizer = createPackSizer({ ...DEFAULT_PACK_SIZING, maxBytes: 4 << 20 })
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 1, logger: createMemoryLogger(), sizer, window: options.window })
    const marked: string[] = []
    // Seen once so the sender knows central streams its receipt.
    expect(await sender.send([pack(`${prefix}-warm`, 1)], () => undefined)).toBeNull()
    sizer.answered(Math.round((options.rateFrames * frame) / 0.15), 1000)
    first = true
    expect(await sender.send([one], (shas) => marked.push(...shas))).toBeNull()
    expect(proxy.wasCut()).toBe(true)
    expect([...marked].sort()).toEqual([...one.sha256s].sort())
    expect(central.stats().photos).toBe(9)
    return { after: sent.flat(), frames: one.sha256s }
  }

  it('a cut inside a frame costs what was on its way, not the frame: the photo it fell in goes as a rest frame from what central kept', async () => {
    // Four frames in 0.15 s: the frames just past what central acknowledged are asked about, the third among them.
    const { after, frames } = await cutInTheThird('rest-sender', { rateFrames: 4, receipt: true })
    // The third photo went again only as its rest (0x52), never whole.
    expect(after.filter((f) => f.sha256 === frames[2])).toEqual([{ type: 0x52, sha256: frames[2] }])
  })

  it('a paced pack asks about every frame it handed to the link past the receipt: what arrived unacknowledged does not go again', async () => {
    const frame = PHOTO_FRAME_OVERHEAD + 20_000
    // Nothing acknowledged, and a rate that puts one frame in doubt; a window of 3.5 frames hands four to the link.
    const { after, frames } = await cutInTheThird('handed', { rateFrames: 0.5, receipt: false, window: createLinkWindow({ now: () => performance.now(), fixedBytes: 3.5 * frame }) })
    // The first two arrived whole and the third in part, unacknowledged: asked about, none of them goes whole again.
    expect(after.filter((f) => f.sha256 === frames[0] || f.sha256 === frames[1])).toEqual([])
    expect(after.filter((f) => f.sha256 === frames[2])).toEqual([{ type: 0x52, sha256: frames[2] }])
  })

  it('a rest central cannot join (it forgot what it kept) is refused, and that photo goes whole: nothing lost, nothing wrong stored', async () => {
    const { central, token } = await demoCentral()
    const one = pack('forgot', 4)
    const sent: Array<Array<{ type: number; sha256: string }>> = []
    let cut = false
    let heldBack: Promise<void> = Promise.resolve()
    const transport: Transport = async (url, request) => {
      const path = new URL(url).pathname
      if (path === '/v1/photos:held') {
        // Central says it kept 1,000 bytes of the first photo, then forgets them (a restart) before the rest comes.
        const answer = Promise.resolve(jsonAnswer(200, { held: [], partial: [{ sha256: one.sha256s[0]!, bytes: 1_000 }] }))
        heldBack = answer.then(() => undefined)
        return answer
      }
      if (path !== '/v1/photos:batch') return nodeTransport(url, request)
      if (cut) {
        cut = false
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      }
      await heldBack
      const { request: watched, bytes } = bodyWatched(request)
      const outcome = await nodeTransport(url, watched)
      sent.push(splitPhotoPack(bytes()).map((f) => ({ type: f.frame[0]!, sha256: f.sha256 })))
      return outcome
    }
    const sizer = createPackSizer({ ...DEFAULT_PACK_SIZING, maxBytes: 4 << 20 })
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 1, logger: createMemoryLogger(), sizer })
    expect(await sender.send([pack('forgot-warm', 1)], () => undefined)).toBeNull()
    // Two frames in 0.15 s: after the cut the first two photos are asked about while the other two go.
    sizer.answered(Math.round((2.5 * (PHOTO_FRAME_OVERHEAD + 4096)) / 0.15), 1000)
    sent.length = 0
    cut = true
    const marked: string[] = []
    expect(await sender.send([one], (shas) => marked.push(...shas))).toBeNull()
    expect([...marked].sort()).toEqual([...one.sha256s].sort())
    expect(central.stats().photos).toBe(5)
    const first = one.sha256s[0]!
    // Its rest first (refused: central holds nothing of it), then the photo whole.
    expect(sent.flat().filter((f) => f.sha256 === first)).toEqual([
      { type: 0x52, sha256: first },
      { type: 0x50, sha256: first },
    ])
  })

  it('keeps at most its lanes of packs in flight across every batch sending at once', async () => {
    const { central, token } = await demoCentral()
    let open = 0
    let most = 0
    const transport: Transport = async (url, request) => {
      open++
      most = Math.max(most, open)
      try {
        return await nodeTransport(url, request)
      } finally {
        open--
      }
    }
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 2, logger: createMemoryLogger() })
    // Three batches sending at once, as the uploader's batches claimed ahead do.
    const batches = [0, 1, 2].map((b) => [0, 1, 2].map((p) => pack(`cap-${b}-${p}`, 2)))
    expect(await Promise.all(batches.map((packs) => sender.send(packs, () => undefined)))).toEqual([null, null, null])
    expect(most).toBe(2)
    expect(central.stats().photos).toBe(18)
  })

  /**
   * Both lanes' frames on the way (written, not yet acknowledged by central's receipt) at every frame written, over a
   * real central that streams its receipt; `window` as the photo sender takes it.
   */
  async function onTheWay(prefix: string, window: LinkWindow | null) {
    const { central, token } = await demoCentral()
    const frame = PHOTO_FRAME_OVERHEAD + 4096
    let written = 0
    let acknowledged = 0
    let most = 0
    const transport: Transport = async (url, request) => {
      if (new URL(url).pathname !== '/v1/photos:batch') return nodeTransport(url, request)
      const body = request.body!
      const chunks = body instanceof Uint8Array ? [body] : body.chunks
      const counted = (async function* () {
        for await (const chunk of chunks) {
          written += chunk.byteLength
          most = Math.max(most, written - acknowledged)
          yield chunk
        }
      })()
      const onLine = (line: string) => {
        const parsed = ReceiptLine.parse(JSON.parse(line))
        if ('stored' in parsed) acknowledged += parsed.stored.reduce((sum, p) => sum + p.size + PHOTO_FRAME_OVERHEAD, 0)
        request.onLine?.(line)
      }
      return nodeTransport(url, { ...request, body: { length: body instanceof Uint8Array ? body.byteLength : body.length, chunks: counted }, onLine })
    }
    const sender = createPhotoSender({ client: createCentralClient({ baseUrl: central.url, token, transport }), concurrency: 2, logger: createMemoryLogger(), window })
    // The first pack shows that central streams its receipt; the next are paced.
    expect(await sender.send([pack(`${prefix}-first`, 1)], () => undefined)).toBeNull()
    most = 0
    expect(await sender.send([pack(`${prefix}-a`, 12), pack(`${prefix}-b`, 12)], () => undefined)).toBeNull()
    expect(central.stats().photos).toBe(25)
    return { most, frame }
  }

  it('a window does not hold a pack back from a central that reads it whole before refusing it: the refusal comes, not the deadline', async () => {
    const { central, token } = await demoCentral()
    let refuse = false
    // The reference central drains a pack it refuses (503) before answering, so it acknowledges none of its frames.
    const transport = watchedTransport({ fault: ({ path }) => (refuse && path === '/v1/photos:batch' ? '503' : undefined) })
    const frame = PHOTO_FRAME_OVERHEAD + 4096
    const client = createCentralClient({ baseUrl: central.url, token, transport, timeoutMs: 1_000 })
    const sender = createPhotoSender({ client, concurrency: 1, logger: createMemoryLogger(), window: createLinkWindow({ now: () => performance.now(), fixedBytes: 3 * frame }) })
    expect(await sender.send([pack('drained-first', 1)], () => undefined)).toBeNull()
    refuse = true
    transport.calls.length = 0
    // 12 frames behind a window of 3: without the window giving way, the fourth waited for an acknowledgement that
    // never came, and the pack ended at its deadline (a timeout, then sent again in parts) instead of with central's
    // refusal of the one request.
    const failure = await sender.send([pack('drained', 12)], () => undefined)
    expect(failure).toMatchObject({ kind: 'retry_after', status: 503 })
    expect(transport.calls).toEqual(['POST /v1/photos:batch'])
  })

  it('keeps no more frames on their way than its window, across its lanes, to a central that streams its receipt', async () => {
    const frame = PHOTO_FRAME_OVERHEAD + 4096
    const paced = await onTheWay('window', createLinkWindow({ now: () => performance.now(), fixedBytes: 3 * frame }))
    // A frame goes while less than the window is on the way: at most the window plus that frame.
    expect(paced.most).toBeLessThanOrEqual(4 * frame)
    // Without the window both packs go as fast as TCP takes them (the same test, seen to tell the difference).
    const unpaced = await onTheWay('no-window', null)
    expect(unpaced.most).toBeGreaterThan(8 * frame)
  })
})
