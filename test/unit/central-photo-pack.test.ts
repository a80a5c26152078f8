import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import { encodePhotoFrame, encodePhotoPack, decodePhotoPack, photoFrameHead, PhotoPackError } from '../../main/services/central/photo-pack'
import { fakeJpeg } from '../central/fixtures'
import type { TestCentral } from '../central/testkit'
import { MALANG } from '../central/testkit'
import { testCentral } from './helpers'

const photos = (n: number, prefix = 'pack', size = 2048) => Array.from({ length: n }, (_, i) => fakeJpeg(`${prefix}-${i}`, size))
const pack = (list: ReadonlyArray<{ sha256: string; bytes: Buffer }>) => encodePhotoPack(list.map((p) => ({ sha256: p.sha256, jpeg: p.bytes })))
/** One frame of a 2,048-byte photo: type, length, hash, JPEG. */
const FRAME_BYTES = 5 + 32 + 2048
const storedCount = (env: TestCentral) => env.central.stats().photos

async function refusal(res: Response): Promise<{ status: number; code: string; details?: Record<string, unknown> }> {
  const body = (await res.json()) as { error: { code: string; details?: Record<string, unknown> } }
  return { status: res.status, code: body.error.code, ...(body.error.details ? { details: body.error.details } : {}) }
}

describe('photo pack encoding', () => {
  it('decodes what it encodes, frame for frame, as views into the pack', () => {
    const list = photos(3)
    const bytes = pack(list)
    const decoded = decodePhotoPack(bytes)
    expect(decoded.map((p) => p.sha256)).toEqual(list.map((p) => p.sha256))
    decoded.forEach((p, i) => expect(p.bytes.equals(list[i]!.bytes)).toBe(true))
    expect(decoded[0]!.bytes.buffer).toBe(bytes.buffer)
  })

  it('is the offline bundle photo frame: type 0x50, length, raw hash, JPEG', () => {
    const photo = fakeJpeg('frame')
    const frame = encodePhotoFrame(photo.sha256, photo.bytes)
    expect(frame[0]).toBe(0x50)
    expect(frame.readUInt32BE(1)).toBe(32 + photo.bytes.length)
    expect(frame.subarray(5, 37).toString('hex')).toBe(photo.sha256)
    expect(frame.subarray(37).equals(photo.bytes)).toBe(true)
  })

  it.each([
    ['a frame header cut short', (b: Buffer) => b.subarray(0, FRAME_BYTES + 3), 'bad_frame'],
    ['a frame body cut short', (b: Buffer) => b.subarray(0, b.length - 1), 'bad_frame'],
    ['another frame type', (b: Buffer) => Buffer.concat([Buffer.from([0x52, 0, 0, 0, 1, 0x7b]), b]), 'bad_frame'],
    ['a frame with a hash and no JPEG', (b: Buffer) => Buffer.concat([b, photoFrameHead('00'.repeat(32), 0)]), 'empty_photo'],
  ])('refuses %s', (_label, damage, reason) => {
    const bytes = damage(pack(photos(2)))
    expect(() => decodePhotoPack(bytes)).toThrow(expect.objectContaining({ reason }) as unknown as PhotoPackError)
  })
})

describe('central: the photo store', () => {
  it('keeps photos in photos.sqlite with 64 KiB pages, and moves those of an older data dir there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'posko-central-old-'))
    const photo = fakeJpeg('from-before')
    const old = new Database(join(dataDir, 'central.sqlite'))
    old.exec('CREATE TABLE photos (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL, size INTEGER NOT NULL, post_id TEXT NOT NULL, received_at TEXT NOT NULL)')
    old.prepare("INSERT INTO photos VALUES (?, ?, ?, 'JT-3578-01', '2026-11-01T00:00:00.000Z')").run(photo.sha256, photo.bytes, photo.bytes.length)
    old.pragma('user_version = 1')
    old.close()
    const env = await testCentral({ dataDir })
    expect(env.central.db.pragma('photo_store.page_size', { simple: true })).toBe(65536)
    expect(env.central.db.prepare("SELECT count(*) FROM main.sqlite_master WHERE name = 'photos'").pluck().get()).toBe(0)
    expect(storedCount(env)).toBe(1)
    expect((await env.client.putPhoto(photo.bytes)).status).toBe(200)
  })
})

describe('central: POST /v1/photos:batch', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  it('stores every photo of a pack and answers one entry per frame, in order', async () => {
    const list = photos(3)
    const res = await env.client.postPhotoPack(pack(list))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ photos: list.map((p) => ({ sha256: p.sha256, size: 2048, created: true })) })
    for (const p of list) {
      const row = env.central.db.prepare('SELECT bytes FROM photos WHERE sha256 = ?').get(p.sha256) as { bytes: Buffer }
      expect(row.bytes.equals(p.bytes)).toBe(true)
    }
  })

  it('a pack sent again (its answer was lost) stores nothing twice; photos central had read created: false', async () => {
    const [known, ...fresh] = photos(3)
    expect((await env.client.putPhoto(known!.bytes)).status).toBe(201)
    const first = await env.client.postPhotoPack(pack([known!, ...fresh]), { fault: 'drop-after' }).catch((error: unknown) => error)
    expect(first).toBeInstanceOf(Error)
    expect(storedCount(env)).toBe(3)
    const again = await env.client.postPhotoPack(pack([known!, ...fresh]), { token: MALANG.token })
    expect(await again.json()).toEqual({ photos: [known!, ...fresh].map((p) => ({ sha256: p.sha256, size: 2048, created: false })) })
    expect(storedCount(env)).toBe(3)
  })

  it('one photo that does not match its hash refuses the whole pack (422) and stores none of it', async () => {
    const list = photos(3)
    const bad = { sha256: list[2]!.sha256, bytes: fakeJpeg('not-that-one').bytes }
    const res = await env.client.postPhotoPack(pack([list[0]!, list[1]!, bad]))
    expect(await refusal(res)).toEqual({ status: 422, code: 'invalid_pack', details: { reason: 'hash_mismatch', sha256: list[2]!.sha256 } })
    expect(storedCount(env)).toBe(0)
  })

  it('a damaged frame is a 400 with the reason; nothing stored', async () => {
    const bytes = pack(photos(2))
    const res = await env.client.postPhotoPack(bytes.subarray(0, bytes.length - 10))
    expect(await refusal(res)).toEqual({ status: 400, code: 'invalid_pack', details: { reason: 'bad_frame' } })
    expect(storedCount(env)).toBe(0)
  })

  it('an empty pack is a 400, the wrong media type a 415, no token a 401', async () => {
    expect(await refusal(await env.client.postPhotoPack(Buffer.alloc(0)))).toMatchObject({ status: 400, code: 'empty_body' })
    expect(await refusal(await env.client.postPhotoPack(pack(photos(1)), { contentType: 'application/octet-stream' }))).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
    })
    expect(await refusal(await env.client.postPhotoPack(pack(photos(1)), { token: null }))).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(storedCount(env)).toBe(0)
  })

  it('limits: too many photos, a photo over 2 MiB, a pack over the body limit are 413s; nothing stored', async () => {
    const small = await testCentral({ limits: { maxPackPhotos: 2, maxBodyBytes: 64 * 1024 } })
    expect(await refusal(await small.client.postPhotoPack(pack(photos(3))))).toEqual({
      status: 413,
      code: 'invalid_pack',
      details: { reason: 'too_many_photos', maxPhotos: 2 },
    })
    expect(await refusal(await small.client.postPhotoPack(pack(photos(2, 'big', 40 * 1024))))).toMatchObject({ status: 413, code: 'body_too_large' })
    expect(storedCount(small)).toBe(0)
    const huge = fakeJpeg('huge', 2 * 1024 * 1024 + 1)
    expect(await refusal(await env.client.postPhotoPack(pack([huge])))).toEqual({
      status: 413,
      code: 'invalid_pack',
      details: { reason: 'photo_too_large', sha256: huge.sha256, limit: 2 * 1024 * 1024 },
    })
    expect(storedCount(env)).toBe(0)
  })
})
