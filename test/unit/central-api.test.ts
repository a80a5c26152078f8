import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { beforeEach, describe, expect, it } from 'vitest'
import { RegistrationRecord } from '../../common/registration'
import { DUPLICATE_ELSEWHERE } from '../../main/services/central/wire'
import { fakeJpeg, makeValidRecords, withFacePhoto } from '../central/fixtures'
import type { TestCentral } from '../central/testkit'
import { MALANG, startTestCentral, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'

const EMPTY_STATS = { records: 0, accepted: 0, duplicate: 0, rejected: 0, photos: 0, batches: 0 }
const accepted = (id: string, seq: number) => ({ id, status: 'accepted', centralId: `C-${String(seq).padStart(9, '0')}` })
const errorBody = (code: string, message: string) => ({ error: { code, message } })

describe('central: auth', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  it('health answers without a token', async () => {
    const res = await env.client.health()
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; time: string }
    expect(body.status).toBe('ok')
    expect(new Date(body.time).toISOString()).toBe(body.time)
  })

  it('a batch without a token is refused with 401 and a Bearer challenge, storing nothing', async () => {
    const res = await env.client.postBatch(makeValidRecords(1, SURABAYA.postId), { token: null })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="posko-central"')
    expect(await res.json()).toEqual(errorBody('unauthorized', 'missing Bearer token'))
    expect(env.central.stats()).toEqual(EMPTY_STATS)
  })

  it('an unknown token is refused with 401 on every authenticated route', async () => {
    const photo = fakeJpeg(1)
    const responses = await Promise.all([
      env.client.postBatch(makeValidRecords(1, SURABAYA.postId), { token: 'not-a-real-token-at-all' }),
      env.client.putPhoto(photo.bytes, { token: 'not-a-real-token-at-all' }),
      env.client.getRegistration(randomUUID(), { token: 'not-a-real-token-at-all' }),
    ])
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401])
    expect(await responses[0]!.json()).toEqual(errorBody('unauthorized', 'unknown token'))
  })

  it("a valid token sending another post's batch is refused with 403, storing nothing", async () => {
    const res = await env.client.postBatch(makeValidRecords(1, SURABAYA.postId), { token: MALANG.token })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(errorBody('forbidden', 'this token belongs to post JT-3573-01, not JT-3578-01'))
    expect(env.central.stats()).toEqual(EMPTY_STATS)
  })
})

describe('central: photos', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  it('a new photo is stored (201); the same bytes again answer 200 and store nothing more', async () => {
    const photo = fakeJpeg('face-1')
    const first = await env.client.putPhoto(photo.bytes)
    expect(first.status).toBe(201)
    expect(await first.json()).toEqual({ sha256: photo.sha256, size: 2048 })
    const again = await env.client.putPhoto(photo.bytes, { token: MALANG.token })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ sha256: photo.sha256, size: 2048 })
    expect(env.central.stats().photos).toBe(1)
    const row = env.central.db.prepare('SELECT bytes, post_id AS postId FROM photos WHERE sha256 = ?').get(photo.sha256) as { bytes: Buffer; postId: string }
    expect(row.postId).toBe(SURABAYA.postId)
    expect(row.bytes.equals(photo.bytes)).toBe(true)
  })

  it('a body that does not hash to the path is refused with 422 and not stored', async () => {
    const photo = fakeJpeg('face-1')
    const other = fakeJpeg('face-2')
    const res = await env.client.putPhoto(photo.bytes, { sha256: other.sha256 })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual(errorBody('hash_mismatch', `body hashes to ${photo.sha256}, not ${other.sha256}`))
    expect(env.central.stats().photos).toBe(0)
  })

  it('a malformed hash in the path is a 400', async () => {
    const photo = fakeJpeg('face-1')
    for (const sha256 of [photo.sha256.toUpperCase(), photo.sha256.slice(1), 'zz']) {
      const res = await env.client.putPhoto(photo.bytes, { sha256 })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_hash')
    }
  })

  it('a photo over 2 MB is refused with 413', async () => {
    const photo = fakeJpeg('huge', 2 * 1024 * 1024 + 1)
    const res = await env.client.putPhoto(photo.bytes)
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('photo_too_large')
    expect(env.central.stats().photos).toBe(0)
  })

  it('a photo that is not image/jpeg is refused with 415', async () => {
    const res = await env.client.putPhoto(fakeJpeg(1).bytes, { contentType: 'image/png' })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual(errorBody('unsupported_media_type', 'photos are image/jpeg'))
  })
})

describe('central: batches', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  const results = async (res: Response) => {
    expect(res.status).toBe(200)
    return ((await res.json()) as { results: unknown[] }).results
  }

  it('valid records are accepted in order with sequential central ids', async () => {
    const records = makeValidRecords(3, SURABAYA.postId)
    const batchId = randomUUID()
    const res = await env.client.postBatch(records, { batchId })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ batchId, results: records.map((r, i) => accepted(r.id, i + 1)) })
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 3, accepted: 3, batches: 1 })
  })

  it('what central stores is the record as the shared zod schema parses it', async () => {
    const [record] = makeValidRecords(1, SURABAYA.postId)
    await env.client.postBatch([{ ...record!, fullName: '  siti   rahayu ' }])
    const row = env.central.db.prepare('SELECT record FROM registrations').get() as { record: string }
    expect(JSON.parse(row.record)).toEqual(RegistrationRecord.parse({ ...record!, fullName: 'SITI RAHAYU' }))
  })

  it('a record whose NIK central holds under another id is a duplicate pointing at that record', async () => {
    const [first, second] = makeValidRecords(2, SURABAYA.postId)
    await env.client.postBatch([first!])
    const sameNik = { ...second!, nik: first!.nik }
    expect(await results(await env.client.postBatch([sameNik], { post: SURABAYA }))).toEqual([{ id: sameNik.id, status: 'duplicate', centralId: 'C-000000001' }])
    // From another post too: the NIK is one person nationally; that post is not told which record holds it.
    const [malangRecord] = makeValidRecords(1, MALANG.postId)
    const fromMalang = { ...malangRecord!, nik: first!.nik }
    expect(await results(await env.client.postBatch([fromMalang], { post: MALANG }))).toEqual([
      { id: fromMalang.id, status: 'duplicate', centralId: DUPLICATE_ELSEWHERE },
    ])
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 3, accepted: 1, duplicate: 2, batches: 3 })
  })

  it('two records with the same NIK in one batch: the first is accepted, the second a duplicate of it', async () => {
    const [a, b] = makeValidRecords(2, SURABAYA.postId)
    const twin = { ...b!, nik: a!.nik }
    expect(await results(await env.client.postBatch([a!, twin]))).toEqual([accepted(a!.id, 1), { id: twin.id, status: 'duplicate', centralId: 'C-000000001' }])
  })

  it('invalid records are rejected with zod paths and i18n messages while valid ones in the batch are accepted', async () => {
    const [ok, badNik, badPhone, otherPost, missingPhoto] = makeValidRecords(5, SURABAYA.postId)
    const photo = fakeJpeg('never-uploaded')
    const batch = [
      ok!,
      { ...badNik!, nik: '123' },
      { ...badPhone!, phone: '+62315678901' }, // a Surabaya landline: the words say so (issue 19.9)
      { ...otherPost!, postId: MALANG.postId },
      withFacePhoto(missingPhoto!, photo.sha256),
    ]
    expect(await results(await env.client.postBatch(batch))).toEqual([
      accepted(ok!.id, 1),
      { id: badNik!.id, status: 'rejected', errors: [{ path: ['nik'], message: 'validation.nik_length' }] },
      { id: badPhone!.id, status: 'rejected', errors: [{ path: ['phone'], message: 'validation.phone_landline' }] },
      { id: otherPost!.id, status: 'rejected', errors: [{ path: ['postId'], message: 'validation.post_mismatch' }] },
      { id: missingPhoto!.id, status: 'rejected', errors: [{ path: ['photos', 'face', 'sha256'], message: 'validation.photo_missing' }] },
    ])
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 5, accepted: 1, rejected: 4, batches: 1 })
  })

  it('a record whose photo was uploaded first is accepted', async () => {
    const photo = fakeJpeg('face')
    expect((await env.client.putPhoto(photo.bytes)).status).toBe(201)
    const [record] = makeValidRecords(1, SURABAYA.postId)
    expect(await results(await env.client.postBatch([withFacePhoto(record!, photo.sha256)]))).toEqual([accepted(record!.id, 1)])
  })

  it('the same record id sent again in another batch gets the answer it got the first time', async () => {
    const [a, b] = makeValidRecords(2, SURABAYA.postId)
    const dup = { ...b!, nik: a!.nik }
    const first = await results(await env.client.postBatch([a!, dup]))
    // Even with changed content: an accepted id is settled, and a retry must never create a second person.
    const again = await results(await env.client.postBatch([dup, { ...a!, email: 'changed@example.com' }]))
    expect(again).toEqual([first[1], first[0]])
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 2, accepted: 1, duplicate: 1, batches: 2 })
    expect(env.central.db.prepare('SELECT COUNT(*) AS n FROM registrations').get()).toEqual({ n: 1 })
  })

  it('a rejected record fixed and sent again under the same id is accepted', async () => {
    const [record] = makeValidRecords(1, SURABAYA.postId)
    expect(await results(await env.client.postBatch([{ ...record!, nik: '123' }]))).toEqual([
      { id: record!.id, status: 'rejected', errors: [{ path: ['nik'], message: 'validation.nik_length' }] },
    ])
    expect(await results(await env.client.postBatch([record!]))).toEqual([accepted(record!.id, 1)])
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 1, accepted: 1, batches: 2 })
  })

  it("a record id that belongs to another post is rejected and the owner's answer is untouched", async () => {
    const [record] = makeValidRecords(1, SURABAYA.postId)
    await env.client.postBatch([record!])
    const [malang] = makeValidRecords(1, MALANG.postId)
    const stolen = { ...malang!, id: record!.id }
    expect(await results(await env.client.postBatch([stolen], { post: MALANG }))).toEqual([
      { id: record!.id, status: 'rejected', errors: [{ path: ['id'], message: 'validation.id_conflict' }] },
    ])
    const res = await env.client.getRegistration(record!.id)
    expect(await res.json()).toEqual({ ...accepted(record!.id, 1), verification: 'pending' })
  })
})

describe('central: idempotency', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  it('the same key and body get the stored answer byte for byte, marked as replayed', async () => {
    const records = makeValidRecords(4, SURABAYA.postId)
    const batchId = randomUUID()
    const first = await env.client.postBatch(records, { batchId })
    const firstText = await first.text()
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    const second = await env.client.postBatch(records, { batchId })
    expect(second.status).toBe(200)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await second.text()).toBe(firstText)
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 4, accepted: 4, batches: 1 })
  })

  it('the same body gzipped, or with its keys in another order, is the same request', async () => {
    const records = makeValidRecords(2, SURABAYA.postId)
    const batchId = randomUUID()
    const firstText = await (await env.client.postBatch(records, { batchId })).text()
    const gzipped = await env.client.postBatch(records, { batchId, gzip: true })
    expect(await gzipped.text()).toBe(firstText)
    const reordered = JSON.stringify({ records: records.map((r) => Object.fromEntries(Object.entries(r).reverse())), batchId, postId: SURABAYA.postId })
    const res = await env.client.postRaw(reordered, {
      'content-type': 'application/json',
      authorization: `Bearer ${SURABAYA.token}`,
      'idempotency-key': batchId,
    })
    expect(res.headers.get('idempotent-replayed')).toBe('true')
    expect(await res.text()).toBe(firstText)
  })

  it('the same key with a different body is a 409 and changes nothing', async () => {
    const [a, b] = makeValidRecords(2, SURABAYA.postId)
    const batchId = randomUUID()
    await env.client.postBatch([a!], { batchId })
    const res = await env.client.postBatch([a!, b!], { batchId })
    expect(res.status).toBe(409)
    expect(await res.json()).toEqual(errorBody('idempotency_conflict', `batch ${batchId} was already sent with a different body`))
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 1, accepted: 1, batches: 1 })
  })

  it('a missing Idempotency-Key, or one that is not the batchId, is a 400', async () => {
    const records = makeValidRecords(1, SURABAYA.postId)
    for (const idempotencyKey of [null, randomUUID()]) {
      const res = await env.client.postBatch(records, { idempotencyKey })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual(errorBody('idempotency_key_mismatch', 'header Idempotency-Key must equal the body batchId'))
    }
    expect(env.central.stats()).toEqual(EMPTY_STATS)
  })

  it('the same batchId from two posts are two separate batches', async () => {
    const batchId = randomUUID()
    const s = await env.client.postBatch(makeValidRecords(1, SURABAYA.postId), { batchId, post: SURABAYA })
    const m = await env.client.postBatch(makeValidRecords(1, MALANG.postId), { batchId, post: MALANG })
    expect([s.status, m.status]).toEqual([200, 200])
    expect(m.headers.get('idempotent-replayed')).toBeNull()
    expect(env.central.stats()).toEqual({ ...EMPTY_STATS, records: 2, accepted: 2, batches: 2 })
  })
})

describe('central: encodings and limits', () => {
  const code = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error

  it('accepts a gzip-encoded batch', async () => {
    const env = await testCentral()
    const records = makeValidRecords(3, SURABAYA.postId)
    const res = await env.client.postBatch(records, { gzip: true })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { results: unknown[] }).results).toEqual(records.map((r, i) => accepted(r.id, i + 1)))
  })

  it('bad gzip, bad JSON, a bad envelope and an unknown encoding are refused with the reason', async () => {
    const env = await testCentral()
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${SURABAYA.token}`, 'idempotency-key': randomUUID() }
    const badGzip = await env.client.postRaw(Buffer.from('definitely not gzip'), { ...headers, 'content-encoding': 'gzip' })
    expect(badGzip.status).toBe(400)
    expect(await code(badGzip)).toEqual({ code: 'invalid_gzip', message: 'body is not valid gzip: incorrect header check' })

    const badJson = await env.client.postRaw('{"postId": "JT-3578-01", ', headers)
    expect(badJson.status).toBe(400)
    const jsonError = await code(badJson)
    expect(jsonError.code).toBe('invalid_json')
    expect(jsonError.message).toMatch(/^body is not JSON: /)

    const gzippedBadJson = await env.client.postRaw(gzipSync('[1, 2'), { ...headers, 'content-encoding': 'gzip' })
    expect((await code(gzippedBadJson)).code).toBe('invalid_json')

    const noRecords = await env.client.postRaw(JSON.stringify({ postId: SURABAYA.postId, batchId: headers['idempotency-key'] }), headers)
    expect(noRecords.status).toBe(400)
    expect(await code(noRecords)).toEqual({ code: 'invalid_body', message: 'batch envelope: ✖ Invalid input: expected array, received undefined   → at records' })

    const brotli = await env.client.postRaw('{}', { ...headers, 'content-encoding': 'br' })
    expect(brotli.status).toBe(415)
    expect((await code(brotli)).code).toBe('unsupported_encoding')
    expect(env.central.stats()).toEqual(EMPTY_STATS)
  })

  it('more records than the per-batch limit is a 413 naming the limit, so the kiosk splits', async () => {
    const env = await testCentral({ limits: { maxRecords: 3 } })
    const res = await env.client.postBatch(makeValidRecords(4, SURABAYA.postId))
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ error: { code: 'too_many_records', message: '4 records; at most 3 per batch', details: { maxRecords: 3 } } })
    expect((await env.client.postBatch(makeValidRecords(3, SURABAYA.postId))).status).toBe(200)
  })

  it('a body over the size limit is a 413, plain or once decompressed', async () => {
    const env = await testCentral({ limits: { maxBodyBytes: 64 * 1024 } })
    const records = makeValidRecords(100, SURABAYA.postId)
    const plain = await env.client.postBatch(records)
    expect(plain.status).toBe(413)
    expect((await code(plain)).code).toBe('body_too_large')
    // Small on the wire, big once inflated: the limit applies to what central would have to hold.
    const bomb = gzipSync(JSON.stringify({ postId: SURABAYA.postId, batchId: randomUUID(), records, pad: 'x'.repeat(1024 * 1024) }))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const inflated = await env.client.postRaw(bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      authorization: `Bearer ${SURABAYA.token}`,
      'idempotency-key': randomUUID(),
    })
    expect(inflated.status).toBe(413)
    expect(await code(inflated)).toEqual({ code: 'body_too_large', message: 'decompressed body is over 65536 bytes', details: { limit: 65536 } })
    expect(env.central.stats()).toEqual(EMPTY_STATS)
  })

  it('a request whose body never finishes arriving is cut off with 408 after the request timeout', async () => {
    const env = await testCentral({ limits: { requestTimeoutMs: 300 } })
    const { port } = new URL(env.central.url)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        // With a valid token: without one the answer is an immediate 401 (issue 17: no body read for a stranger).
        socket.write(
          `POST /v1/registrations:batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SURABAYA.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"postId"`,
        )
      })
      let text = ''
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('close', () => resolve(text))
      socket.on('error', reject)
    })
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout')
  })

  it('an unknown path is a 404 and a known path with the wrong method a 405 listing the allowed one', async () => {
    const env = await testCentral()
    const missing = await fetch(`${env.central.url}/v2/health`)
    expect(missing.status).toBe(404)
    expect(await code(missing)).toEqual({ code: 'not_found', message: 'no route GET /v2/health' })
    const wrong = await fetch(`${env.central.url}/v1/registrations:batch`)
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
  })
})

describe('central: registration status', () => {
  let env: TestCentral
  beforeEach(async () => {
    env = await testCentral()
  })

  it('answers accepted, duplicate and rejected records to their own post, pending verification', async () => {
    const [a, b, c] = makeValidRecords(3, SURABAYA.postId)
    const dup = { ...b!, nik: a!.nik }
    await env.client.postBatch([a!, dup, { ...c!, nik: '123' }])
    const read = async (id: string) => {
      const res = await env.client.getRegistration(id)
      expect(res.status).toBe(200)
      return res.json()
    }
    expect(await read(a!.id)).toEqual({ id: a!.id, status: 'accepted', centralId: 'C-000000001', verification: 'pending' })
    expect(await read(dup.id)).toEqual({ id: dup.id, status: 'duplicate', centralId: 'C-000000001', verification: 'pending' })
    expect(await read(c!.id)).toEqual({
      id: c!.id,
      status: 'rejected',
      centralId: null,
      verification: 'pending',
      errors: [{ path: ['nik'], message: 'validation.nik_length' }],
    })
  })

  it("is a 404 for an unknown id and for another post's record", async () => {
    const [record] = makeValidRecords(1, SURABAYA.postId)
    await env.client.postBatch([record!])
    const unknown = await env.client.getRegistration(randomUUID())
    expect(unknown.status).toBe(404)
    const foreign = await env.client.getRegistration(record!.id, { token: MALANG.token })
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toEqual(errorBody('not_found', `no registration ${record!.id} for post JT-3573-01`))
  })
})

describe('central: atomicity', () => {
  it('a batch whose transaction fails midway writes nothing, answers 500, and succeeds when sent again', async () => {
    const env = await testCentral()
    const records = makeValidRecords(5, SURABAYA.postId)
    // A database failure on the third insert, after two records' rows were already written in the transaction.
    env.central.db.exec(`CREATE TRIGGER fail_third BEFORE INSERT ON registrations WHEN NEW.nik = '${records[2]!.nik}'
      BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`)
    const batchId = randomUUID()
    const failed = await env.client.postBatch(records, { batchId })
    expect(failed.status).toBe(500)
    expect(await failed.json()).toEqual(errorBody('internal', 'internal server error'))
    expect(env.central.stats()).toEqual(EMPTY_STATS)
    expect(env.central.db.prepare('SELECT COUNT(*) AS n FROM registrations').get()).toEqual({ n: 0 })

    env.central.db.exec('DROP TRIGGER fail_third')
    const retried = await env.client.postBatch(records, { batchId })
    expect(retried.status).toBe(200)
    expect(retried.headers.get('idempotent-replayed')).toBeNull()
    expect(await retried.json()).toEqual({ batchId, results: records.map((r, i) => accepted(r.id, i + 1)) })
  })

  it('the store survives a restart: answers and dedupe come from the database', async () => {
    const first = await startTestCentral()
    const records = makeValidRecords(2, SURABAYA.postId)
    const batchId = randomUUID()
    const text = await (await first.client.postBatch(records, { batchId })).text()
    await first.dispose({ keepData: true })
    const second = await testCentral({ dataDir: first.dataDir })
    expect(await (await second.client.postBatch(records, { batchId })).text()).toBe(text)
    expect(second.central.stats()).toEqual({ ...EMPTY_STATS, records: 2, accepted: 2, batches: 1 })
  })
})

describe('central: fixtures', () => {
  it('makeValidRecords gives records the shared schema parses unchanged, with distinct ids, NIKs and receipts', () => {
    const records = makeValidRecords(500, SURABAYA.postId)
    expect(records.map((r) => RegistrationRecord.parse(r))).toEqual(records)
    expect(new Set(records.map((r) => r.id)).size).toBe(500)
    expect(new Set(records.map((r) => r.nik)).size).toBe(500)
    expect(new Set(records.map((r) => r.receiptNo)).size).toBe(500)
  })

  it('is reproducible, and disjoint ranges or other posts give other people', () => {
    expect(makeValidRecords(3, SURABAYA.postId)).toEqual(makeValidRecords(3, SURABAYA.postId))
    const niks = new Set([
      ...makeValidRecords(500, SURABAYA.postId).map((r) => r.nik),
      ...makeValidRecords(500, SURABAYA.postId, { start: 500 }).map((r) => r.nik),
      ...makeValidRecords(500, MALANG.postId).map((r) => r.nik),
    ])
    expect(niks.size).toBe(1500)
  })
})
