import { createHash, randomBytes, randomUUID, sign } from 'node:crypto'
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { DomainError } from '../../common/result'
import { decodePrefix, FIXED_PREFIX_BYTES, newBodyDigest, SIGNATURE_BYTES, signedMessage, TAG_BYTES } from '../../main/services/bundle/format'
import { createBundleSealer } from '../../main/services/bundle/sealer'
import { BUNDLES_PATH } from '../../main/services/bundle/wire'
import { makeValidRecords, withFacePhoto } from '../central/fixtures'
import type { Central } from '../central/server'
import type { BundleKiosk } from './bundle-kit'
import { demoCentral, enrolledKiosk, MALANG_POST, SURABAYA_POST } from './bundle-kit'
import { tempDir } from './helpers'

/**
 * The reference central reads POST /v1/bundles as a stream (test/central/bundles.ts): a bundle far bigger than
 * anything it should hold goes in with little memory, and a truncated, tampered or oversize one changes nothing.
 */
const MiB = 1024 * 1024

const stored = (central: Central) =>
  Object.fromEntries((['bundles', 'photos', 'results', 'registrations'] as const).map((t) => [t, (central.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]))
const NOTHING = { bundles: 0, photos: 0, results: 0, registrations: 0 }

/** Writes a bundle of `photoCount` distinct photos of `photoBytes` each (plus one record per photo) to `file`, one frame at a time. */
function writeBundle(kiosk: BundleKiosk, file: string, photoCount: number, photoBytes: number) {
  const credentials = kiosk.enrolment.credentials()!
  const records = makeValidRecords(photoCount, SURABAYA_POST)
  const sealer = createBundleSealer({ ...credentials, bundleId: randomUUID(), postId: SURABAYA_POST, createdAt: new Date().toISOString(), records: photoCount, photos: photoCount })
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, sealer.prefix)
    // One random block, made distinct per photo by its first bytes: fast to make, and nothing compresses it.
    const jpeg = randomBytes(photoBytes)
    const hashes: string[] = []
    for (let i = 0; i < photoCount; i++) {
      jpeg.writeUInt32BE(i, 4)
      const sha256 = createHash('sha256').update(jpeg).digest('hex')
      hashes.push(sha256)
      writeSync(fd, sealer.photo(sha256, jpeg))
    }
    for (const [i, record] of records.entries()) writeSync(fd, sealer.record(JSON.stringify(withFacePhoto(record, hashes[i]!))))
    writeSync(fd, sealer.finish())
  } finally {
    closeSync(fd)
  }
  return { bundleId: sealer.header.bundleId, records }
}

/** Peak resident memory since the last reset (Linux: /proc/self/status VmHWM, reset by writing 5 to clear_refs). */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}
const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024

/** V8's gc(), reachable without starting the test process with --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

async function post(central: Central, token: string, body: Buffer) {
  const response = await fetch(`${central.url}${BUNDLES_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  })
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details?: { reason?: string } }; accepted?: number } }
}

async function scene(limits: { maxBundleBytes?: number } = {}) {
  const env = await demoCentral({ limits })
  const origin = await enrolledKiosk(env.central, SURABAYA_POST)
  const importer = await enrolledKiosk(env.central, MALANG_POST)
  return { ...env, origin, importer, dir: tempDir('posko-big-bundle-') }
}

describe('central reads bundles as a stream', () => {
  it('imports a bundle of 72 MiB of photos through a kiosk, never holding more than a few MiB of it at once', async () => {
    const { central, origin, importer, dir } = await scene()
    const file = join(dir, 'big.pkb')
    const { bundleId } = writeBundle(origin, file, 36, 2 * MiB - 64)
    const size = statSync(file).size
    expect(size).toBeGreaterThan(64 * MiB)

    // What this process holds (buffers still referenced, after a full collection), sampled while the body streams in
    // and, from inside central's transaction, at every photo it stores. Garbage V8 has yet to collect is not held.
    const gc = collector()
    gc()
    gc()
    const baseline = process.memoryUsage().arrayBuffers
    let held = 0
    const sample = () => {
      // Twice: the second completes the sweep of buffers the first found dead.
      gc()
      gc()
      held = Math.max(held, process.memoryUsage().arrayBuffers - baseline)
    }
    let inserted = 0
    central.db.function('held_probe', () => (++inserted % 3 === 0 && sample(), null))
    central.db.exec('CREATE TEMP TRIGGER held_probe AFTER INSERT ON photo_store.photos BEGIN SELECT held_probe(); END')
    const sampler = setInterval(sample, 250)
    const measuredPeak = resetPeak()
    const rssBefore = process.memoryUsage().rss
    let result
    try {
      result = await importer.bundles.importBundle(file)
    } finally {
      clearInterval(sampler)
    }
    const rssGrowth = peakRss() - rssBefore
    expect(result).toMatchObject({ bundleId, records: 36, accepted: 36, photos: 36, newPhotos: 36, replayed: false })
    expect(stored(central)).toMatchObject({ bundles: 1, photos: 36, registrations: 36 })
    // Reading the body whole (as before) held all 72 MiB, and its decryption as much again, while photos went in; the
    // stream holds a megabyte of ciphertext, one photo and the client's read-ahead.
    expect(held, `held ${Math.round(held / MiB)} MiB of a ${Math.round(size / MiB)} MiB bundle`).toBeLessThan(size / 3)
    console.info(`central-bundle-stream: ${Math.round(size / MiB)} MiB bundle; held at most ${Math.round(held / MiB)} MiB; peak RSS +${measuredPeak ? Math.round(rssGrowth / MiB) : '?'} MiB (garbage included)`)

    // The same bytes again: answered from the record, nothing decrypted or stored twice.
    expect(await importer.bundles.importBundle(file)).toMatchObject({ bundleId, accepted: 36, replayed: true })
    expect(stored(central)).toMatchObject({ bundles: 1, photos: 36, registrations: 36 })
  })

  it('refuses a bundle over the limit, by its length or while it streams (413), storing nothing and leaving no temp file', async () => {
    // Central spools under os.tmpdir(): a folder of this test's own, so files other tests spool meanwhile (Vitest runs
    // two files at once) are not counted.
    const spoolRoot = tempDir('posko-spool-root-')
    const tmpdirBefore = process.env.TMPDIR
    process.env.TMPDIR = spoolRoot
    onTestFinished(() => {
      if (tmpdirBefore === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = tmpdirBefore
    })
    expect(tmpdir()).toBe(spoolRoot)
    const spools = () => readdirSync(spoolRoot).filter((name) => name.startsWith('posko-central-bundle-')).length
    const spooled = spools()
    const { central, origin, importer, dir } = await scene({ maxBundleBytes: 3 * MiB })
    const file = join(dir, 'over.pkb')
    writeBundle(origin, file, 3, 1 * MiB + 512 * 1024)
    // The kiosk sends its length: refused before a byte is read.
    const error = await importer.bundles.importBundle(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DomainError)
    expect((error as DomainError).details?.reason).toBe('too_large')
    // Without a length, refused where the stream passes the limit.
    const bytes = readFileSync(file)
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 256 * 1024) controller.enqueue(new Uint8Array(bytes.subarray(at, at + 256 * 1024)))
        controller.close()
      },
    })
    const response = await fetch(`${central.url}${BUNDLES_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${origin.enrolment.credentials()!.token}`, 'content-type': 'application/octet-stream' },
      body: chunked,
      duplex: 'half',
    } as RequestInit)
    expect([response.status, ((await response.json()) as { error: { code: string } }).error.code]).toEqual([413, 'bundle_too_large'])
    expect(stored(central)).toEqual(NOTHING)
    expect(spools()).toBe(spooled)
  })

  it('refuses a bundle cut short anywhere, or with a byte flipped, with its reason; a valid signature over a wrong GCM tag stores nothing', async () => {
    const { central, origin, dir } = await scene()
    const file = join(dir, 'small.pkb')
    writeBundle(origin, file, 3, 256 * 1024)
    const original = readFileSync(file)
    const token = origin.enrolment.credentials()!.token
    const { prefix } = decodePrefix(original)
    const cuts = {
      'inside the fixed prefix': 5,
      'inside the header': FIXED_PREFIX_BYTES + 10,
      'right after the prefix': prefix.length,
      'inside the ciphertext': Math.floor(original.length / 2),
      'inside the tag': original.length - SIGNATURE_BYTES - 5,
      'inside the signature': original.length - 20,
      'one byte short': original.length - 1,
    }
    const refusals: Record<string, string | undefined> = {}
    for (const [where, at] of Object.entries(cuts)) {
      const answer = await post(central, token, original.subarray(0, at))
      expect(answer.status, where).toBe(422)
      refusals[where] = answer.body.error?.details?.reason
    }
    expect(refusals).toEqual({
      'inside the fixed prefix': 'truncated',
      'inside the header': 'truncated',
      'right after the prefix': 'truncated',
      'inside the ciphertext': 'bad_signature',
      'inside the tag': 'bad_signature',
      'inside the signature': 'bad_signature',
      'one byte short': 'bad_signature',
    })
    const flip = (offset: number) => {
      const copy = Buffer.from(original)
      copy[offset] = copy[offset]! ^ 0x01
      return copy
    }
    const tagAt = original.length - SIGNATURE_BYTES - TAG_BYTES
    for (const offset of [prefix.length + 1, Math.floor(original.length * 0.7), tagAt + 3, original.length - 1]) {
      expect((await post(central, token, flip(offset))).body.error?.details?.reason, `byte ${offset}`).toBe('bad_signature')
    }
    expect(stored(central)).toEqual(NOTHING)

    // The kiosk's own key signs a body whose tag is wrong (a last photo cut in the ciphertext would do as well): the
    // signature passes, the photos decrypt and go into the transaction, and final() throws it all out again.
    for (const offset of [tagAt - 10, tagAt + 3]) {
      const damaged = flip(offset)
      const body = damaged.subarray(prefix.length, damaged.length - SIGNATURE_BYTES)
      const signature = sign(null, signedMessage(prefix, newBodyDigest().update(body).digest()), origin.enrolment.credentials()!.kioskSigningKey)
      signature.copy(damaged, damaged.length - SIGNATURE_BYTES)
      const answer = await post(central, token, damaged)
      expect([answer.status, answer.body.error?.details?.reason]).toEqual([422, 'decryption_failed'])
    }
    expect(stored(central)).toEqual(NOTHING)
    // Not a bundle at all: refused at its first bytes.
    expect((await post(central, token, Buffer.from('%PDF-1.7 not a bundle at all'))).body.error?.details?.reason).toBe('not_a_bundle')
    // And the untouched file still goes in.
    expect(await post(central, token, original)).toMatchObject({ status: 200, body: { accepted: 3 } })
    expect(stored(central)).toMatchObject({ bundles: 1, photos: 3, registrations: 3 })
  })
})
