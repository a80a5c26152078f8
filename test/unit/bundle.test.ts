import { generateKeyPairSync, createPublicKey, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../common/result'
import type { ExportResult } from '../../main/services/bundle'
import { BundleError, openBundle, readBundleHeader } from '../../main/services/bundle'
import { FIXED_PREFIX_BYTES, SIGNATURE_BYTES } from '../../main/services/bundle/format'
import { createBundleSealer } from '../../main/services/bundle/sealer'
import { nodeTransport } from '../../main/services/central/transport'
import { toQueueStatus } from '../../main/services/upload/status'
import { exportableRecords } from '../../common/records'
import { keyId } from '../../main/services/security/public-keys'
import { makeValidRecords } from '../central/fixtures'
import { loadOrCreateCentralKeys } from '../central/keys'
import type { Central } from '../central/server'
import type { BundleKiosk } from './bundle-kit'
import { demoCentral, enrolledKiosk, MALANG_POST, SURABAYA_POST, testKiosk, withPhotos } from './bundle-kit'
import { tempDir } from './helpers'

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`)
  return error
}

/** Central's registrations: rows and distinct record ids, and each record's central id. */
function atCentral(central: Central) {
  const rows = central.db.prepare('SELECT record_id, central_id FROM registrations ORDER BY seq').all() as Array<{ record_id: string; central_id: string }>
  return { rows: rows.length, distinct: new Set(rows.map((r) => r.record_id)).size, centralIds: new Map(rows.map((r) => [r.record_id, r.central_id])) }
}

const tableCount = (central: Central, table: 'bundles' | 'photos' | 'results' | 'registrations') =>
  (central.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

/** A Surabaya kiosk with n queued records (every other one with a face photo), and a Malang kiosk to import with. */
async function scene(n = 6) {
  const env = await demoCentral()
  const origin = await enrolledKiosk(env.central, SURABAYA_POST)
  const records = withPhotos(origin, makeValidRecords(n, SURABAYA_POST))
  origin.queue(records)
  const importer = await enrolledKiosk(env.central, MALANG_POST)
  return { ...env, origin, importer, records, usb: tempDir('posko-usb-') }
}

async function exported(kiosk: BundleKiosk, directory: string): Promise<ExportResult> {
  return kiosk.bundles.exportBundle({ directory })
}

describe('bundle export', () => {
  it('writes one signed, encrypted file named for the post and time; queued records become exported and stay in the outbox', async () => {
    const { origin, records, usb } = await scene(6)
    const progress: Array<{ done: number; total: number }> = []
    const result = await origin.bundles.exportBundle({ directory: usb, onProgress: (p) => progress.push(p) })

    expect(result).toEqual({ file: expect.stringMatching(/\/posko-JT-3578-01-\d{8}-\d{6}\.pkb$/), bundleId: expect.any(String), records: 6, photos: 3, bytes: statSync(result.file).size })
    expect(readdirSync(usb)).toEqual([result.file.split('/').pop()])
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((done) => ({ done, total: 6 })))
    expect(await readBundleHeader(result.file)).toMatchObject({ bundleId: result.bundleId, postId: SURABAYA_POST, records: 6, photos: 3, kioskKeyId: origin.enrolment.status().kioskKeyId })
    expect(records.map((r) => origin.state(r.id))).toEqual(records.map(() => 'exported'))
    expect(origin.outbox.pending()).toBe(6)
    expect(origin.audit.list({ action: 'export' })).toHaveLength(1)

    // Nothing personal in the file: only central can read it.
    const bytes = readFileSync(result.file)
    for (const r of records) for (const value of [r.nik, r.fullName, r.phone, r.ktpAddress.street]) expect(bytes.includes(Buffer.from(value))).toBe(false)
    for (const photo of origin.photos.values()) expect(bytes.includes(photo.subarray(0, 64))).toBe(false)
  })

  it('the count the export card shows before a drive is chosen is what an export writes, again while unconfirmed (issue 19.10)', async () => {
    const { origin, usb } = await scene(5)
    const toWrite = () => exportableRecords(toQueueStatus(origin.repo.countByState(), null, origin.outbox.held()))
    expect(toWrite()).toBe(5)
    expect((await exported(origin, usb)).records).toBe(5)
    // Exported but not yet confirmed by central: a second export carries them again, and the card says so.
    expect(toWrite()).toBe(5)
    expect((await exported(origin, usb)).records).toBe(5)
    const empty = await enrolledKiosk((await demoCentral()).central, SURABAYA_POST)
    expect(exportableRecords(toQueueStatus(empty.repo.countByState(), null, empty.outbox.held()))).toBe(0)
  })

  it('refuses when not enrolled, with nothing queued, or into a missing folder, and leaves the records queued', async () => {
    const { origin, records } = await scene(2)
    const notEnrolled = await refusal(testKiosk().bundles.exportBundle({ directory: tempDir() }))
    expect([notEnrolled.code, notEnrolled.details?.reason]).toEqual(['forbidden', 'not_enrolled'])
    const nothing = await refusal((await enrolledKiosk((await demoCentral()).central, SURABAYA_POST)).bundles.exportBundle({ directory: tempDir() }))
    expect([nothing.code, nothing.details?.reason]).toEqual(['not_found', 'nothing_to_export'])
    for (const directory of [join(tempDir(), 'missing'), 'relative/dir']) {
      const error = await refusal(origin.bundles.exportBundle({ directory }))
      expect([error.code, error.details?.reason]).toEqual(['invalid_input', 'directory'])
    }
    // A failure while writing (here: a photo that no longer matches its hash) removes the temp file and the marks.
    const usb = tempDir()
    const [sha] = [...origin.photos.keys()]
    origin.photos.set(sha!, Buffer.from('not the photo'))
    await expect(origin.bundles.exportBundle({ directory: usb })).rejects.toThrow(/does not match its hash/)
    expect(readdirSync(usb)).toEqual([])
    expect(records.map((r) => origin.state(r.id))).toEqual(['queued', 'queued'])
  })

  it('a bundle cannot be read without central\'s private key', async () => {
    const { origin, dataDir, usb, records } = await scene(3)
    const { file } = await exported(origin, usb)
    const bytes = readFileSync(file)
    const kioskKey = () => createPublicKey(origin.enrolment.credentials()!.kioskSigningKey)
    const stranger = generateKeyPairSync('x25519').privateKey
    expect(() => openBundle(bytes, { privateKey: stranger, kioskKey })).toThrow(expect.objectContaining({ reason: 'decryption_failed' }))
    // The kiosk's own keys can't open it either: it kept nothing that could.
    const opened = openBundle(bytes, { privateKey: loadOrCreateCentralKeys(dataDir).bundlePrivateKey, kioskKey })
    expect(opened.records).toEqual(records)
    expect(opened.photos.map((p) => p.sha256).sort()).toEqual([...origin.photos.keys()].sort())
    expect(() => openBundle(bytes, { privateKey: loadOrCreateCentralKeys(dataDir).bundlePrivateKey, kioskKey: () => null })).toThrow(BundleError)
  })
})

describe('bundle import through a connected kiosk', () => {
  it('applies a bundle once: importing it again answers the same, and central holds each record once', async () => {
    const { central, origin, importer, records, usb } = await scene(6)
    const { file, bundleId } = await exported(origin, usb)
    const first = await importer.bundles.importBundle(file)
    expect(first).toEqual({ bundleId, postId: SURABAYA_POST, records: 6, accepted: 6, duplicate: 0, rejected: 0, photos: 3, newPhotos: 3, replayed: false, bytes: statSync(file).size })
    const second = await importer.bundles.importBundle(file)
    expect(second).toEqual({ ...first, replayed: true })
    expect(atCentral(central)).toMatchObject({ rows: 6, distinct: 6 })
    expect([...atCentral(central).centralIds.keys()].sort()).toEqual(records.map((r) => r.id).sort())
    expect(tableCount(central, 'bundles')).toBe(1)
    expect(tableCount(central, 'photos')).toBe(3)
    expect(central.db.prepare('SELECT imported_by FROM bundles').get()).toEqual({ imported_by: MALANG_POST })
    expect(importer.audit.list({ action: 'import' })).toHaveLength(2)
  })

  it('refuses a bundle with a byte flipped in its header, ciphertext or signature (422), writing nothing', async () => {
    const { central, origin, importer, usb } = await scene(4)
    const { file } = await exported(origin, usb)
    const original = readFileSync(file)
    const flips = {
      header: FIXED_PREFIX_BYTES + 30,
      ciphertext: Math.floor((original.length - SIGNATURE_BYTES) * 0.6),
      tag: original.length - SIGNATURE_BYTES - 3,
      signature: original.length - 10,
    }
    for (const [part, offset] of Object.entries(flips)) {
      const tampered = Buffer.from(original)
      tampered[offset] = tampered[offset]! ^ 0x01
      const copy = join(usb, `tampered-${part}.pkb`)
      writeFileSync(copy, tampered)
      const error = await refusal(importer.bundles.importBundle(copy))
      expect({ part, code: error.code, reason: error.details?.reason }).toEqual({ part, code: 'invalid_input', reason: expect.stringMatching(/^(bad_signature|bad_header)$/) })
    }
    // Truncated: the signature is no longer where it should be.
    writeFileSync(join(usb, 'short.pkb'), original.subarray(0, original.length - 100))
    expect((await refusal(importer.bundles.importBundle(join(usb, 'short.pkb')))).details?.reason).toBe('bad_signature')
    // Not a bundle at all: refused on the kiosk, before central is asked.
    writeFileSync(join(usb, 'photo.jpg'), Buffer.from('\xff\xd8\xff\xe0 not a bundle', 'latin1'))
    expect((await refusal(importer.bundles.importBundle(join(usb, 'photo.jpg')))).details?.reason).toBe('not_a_bundle')

    expect(tableCount(central, 'bundles') + tableCount(central, 'photos') + tableCount(central, 'results')).toBe(0)
    // The untouched file still goes in.
    expect((await importer.bundles.importBundle(file)).accepted).toBe(4)
  })

  it('refuses a bundle signed by a key central does not know, or by a kiosk of another post', async () => {
    const { central, origin, importer, usb } = await scene(2)
    const credentials = origin.enrolment.credentials()!
    const write = async (keys: { kioskSigningKey: typeof credentials.kioskSigningKey; kioskKeyId: string }, name: string) => {
      const sealer = createBundleSealer({ bundleId: randomUUID(), postId: SURABAYA_POST, createdAt: new Date().toISOString(), records: 1, photos: 0, centralPublicKey: credentials.centralPublicKey, ...keys })
      const [record] = makeValidRecords(1, SURABAYA_POST, { start: 50 })
      const file = join(usb, name)
      writeFileSync(file, Buffer.concat([sealer.prefix, sealer.record(JSON.stringify(record)), sealer.finish()]))
      return file
    }
    const rogue = generateKeyPairSync('ed25519')
    const unknown = await write({ kioskSigningKey: rogue.privateKey, kioskKeyId: keyId(rogue.publicKey) }, 'rogue.pkb')
    expect((await refusal(importer.bundles.importBundle(unknown))).details?.reason).toBe('unknown_kiosk_key')
    // The Malang kiosk is enrolled, but not for Surabaya: it can't speak for Surabaya's records.
    const malang = importer.enrolment.credentials()!
    const foreign = await write({ kioskSigningKey: malang.kioskSigningKey, kioskKeyId: malang.kioskKeyId }, 'foreign.pkb')
    expect((await refusal(importer.bundles.importBundle(foreign))).details?.reason).toBe('unknown_kiosk_key')
    // A rogue key claiming an enrolled kiosk's id fails the signature.
    const impostor = await write({ kioskSigningKey: rogue.privateKey, kioskKeyId: credentials.kioskKeyId }, 'impostor.pkb')
    expect((await refusal(importer.bundles.importBundle(impostor))).details?.reason).toBe('bad_signature')
    expect(tableCount(central, 'results')).toBe(0)
  })

  it('answers 409 for a different bundle under an id already imported', async () => {
    const { central, origin, importer, usb } = await scene(2)
    const { file, bundleId } = await exported(origin, usb)
    await importer.bundles.importBundle(file)
    const credentials = origin.enrolment.credentials()!
    const sealer = createBundleSealer({ ...credentials, bundleId, postId: SURABAYA_POST, createdAt: new Date().toISOString(), records: 1, photos: 0 })
    const other = join(usb, 'same-id.pkb')
    writeFileSync(other, Buffer.concat([sealer.prefix, sealer.record(JSON.stringify(makeValidRecords(1, SURABAYA_POST, { start: 90 })[0])), sealer.finish()]))
    const error = await refusal(importer.bundles.importBundle(other))
    expect([error.code, error.details?.reason]).toEqual(['conflict', 'bundle_conflict'])
    expect(atCentral(central).rows).toBe(2)
  })

  it('an importing kiosk needs its own enrolment, and says unavailable when central can\'t be reached', async () => {
    const { central, origin, usb } = await scene(1)
    const { file } = await exported(origin, usb)
    const unenrolled = await refusal(testKiosk().bundles.importBundle(file))
    expect([unenrolled.code, unenrolled.details?.reason]).toEqual(['forbidden', 'not_enrolled'])
    let online = true
    const flaky = testKiosk({ transport: (url, request) => (online ? nodeTransport(url, request) : Promise.reject(new Error('connect ECONNREFUSED'))) })
    await flaky.enrolment.enrol({ centralUrl: central.url, postId: MALANG_POST, code: central.issueEnrolmentCode(MALANG_POST).code })
    online = false
    const error = await refusal(flaky.bundles.importBundle(file))
    expect([error.code, error.details?.reason]).toEqual(['unavailable', 'network'])
    online = true
    expect((await flaky.bundles.importBundle(file)).accepted).toBe(1)
  })

  it('a second export carries the still-unconfirmed records again; importing both leaves each record once', async () => {
    const { central, origin, importer, records, usb } = await scene(3)
    const first = await exported(origin, usb)
    const second = await exported(origin, usb)
    expect(second.bundleId).not.toBe(first.bundleId)
    expect(second.file).not.toBe(first.file)
    expect(second.records).toBe(3)
    expect(await importer.bundles.importBundle(second.file)).toMatchObject({ accepted: 3, replayed: false })
    expect(await importer.bundles.importBundle(first.file)).toMatchObject({ accepted: 3, newPhotos: 0, replayed: false })
    expect(atCentral(central)).toMatchObject({ rows: 3, distinct: 3 })
    expect(records.map((r) => origin.state(r.id))).toEqual(['exported', 'exported', 'exported'])
  })
})

describe('reconciling an exported queue', () => {
  it('export → import via another kiosk → the original kiosk\'s uploader marks them accepted with the same central ids, each once at central', async () => {
    const { central, origin, importer, records, usb } = await scene(8)
    const { file } = await exported(origin, usb)
    // A record made after the export goes only through the uploader.
    const [later] = makeValidRecords(1, SURABAYA_POST, { start: 100 })
    origin.queue([later!])
    await importer.bundles.importBundle(file)
    const imported = atCentral(central).centralIds
    expect(imported.size).toBe(8)

    await origin.uploader().runOnce()
    for (const r of records) expect([origin.state(r.id), origin.centralId(r.id)]).toEqual(['accepted', imported.get(r.id)])
    expect(origin.state(later!.id)).toBe('accepted')
    expect(origin.outbox.pending()).toBe(0)
    const after = atCentral(central)
    expect({ rows: after.rows, distinct: after.distinct }).toEqual({ rows: 9, distinct: 9 })
    for (const [id, centralId] of imported) expect(after.centralIds.get(id)).toBe(centralId)
  })
})
