import { createHash, createPublicKey } from 'node:crypto'
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { BundleError } from '../../main/services/bundle/format'
import type { BundleLayout } from '../../main/services/bundle/reader'
import { BundleIntake, decryptBundleFrames, verifyBundleSignature } from '../../main/services/bundle/reader'
import type { BundleAnswer } from '../../main/services/bundle/wire'
import type { RecordResult } from './batch'
import { applyBatch } from './batch'
import { HttpError } from './http'
import type { CentralKeys } from './keys'
import type { CentralStore } from './store'

/**
 * An offline bundle at central (format: main/services/bundle/format.ts), read in bounded memory whatever its size:
 *
 *   1. spool: the body streams to a private temp file (or a file IT names is read in place) through BundleIntake,
 *      which refuses a non-bundle at its first bytes and hashes as it goes: SHA-512 of the body for the signature,
 *      SHA-256 of the whole file for idempotency;
 *   2. the signature is checked (by an enrolled, unrevoked kiosk of the bundle's post) before any decryption;
 *   3. a bundle id imported before answers from its record (same bytes) or 409 (other bytes), without decrypting;
 *   4. one SQLite transaction: the file is decrypted a megabyte at a time, each photo checked against its hash and
 *      stored, each record parsed; the GCM tag (final()) and the frame counts are checked at the end, and only then
 *      do the records go through the batch logic and the bundle row is written. Any throw rolls all of it back.
 *
 * Memory holds one decrypted chunk, one photo, and the records' JSON (a few KB each; the batch logic takes them
 * together) — never the body or its photos.
 */
export interface BundleImportInput {
  /** The importing kiosk's post, or "cli". */
  importedBy: string
  now: string
  maxPhotoBytes: number
  /** The batch's beforeCrossPostDuplicate, with the signing kiosk's key id (it made the records); may throw. */
  beforeCrossPostDuplicate?: (kioskKeyId: string) => void
}

export interface BundleImportOutcome {
  replayed: boolean
  /** The answer bytes, stored and replayed byte for byte. */
  answer: Buffer
}

/** A bundle whose bytes sit in a file: where its parts are, and the whole file's SHA-256. */
export interface BundleOnDisk {
  file: string
  layout: BundleLayout
  sha256: string
}

const BundleRecord = z.looseObject({ id: z.string().min(1).max(64) })

function invalid(reason: string, message: string): HttpError {
  return new HttpError(422, 'invalid_bundle', message, { reason })
}

function asHttp(error: unknown): unknown {
  return error instanceof BundleError ? invalid(error.reason, error.message) : error
}

/** Feeds a byte stream through the intake (and `write`, if given); BundleErrors become 422s. */
async function intakeStream(source: AsyncIterable<Buffer>, write?: (chunk: Buffer) => Promise<unknown>): Promise<Omit<BundleOnDisk, 'file'>> {
  const intake = new BundleIntake()
  const sha256 = createHash('sha256')
  try {
    for await (const chunk of source) {
      intake.push(chunk)
      sha256.update(chunk)
      if (write) await write(chunk)
    }
    return { layout: intake.finish(), sha256: sha256.digest('hex') }
  } catch (error) {
    throw asHttp(error)
  }
}

/**
 * Streams a request body into a temp file only this process can read (0600 in a 0700 folder), hashing on the way.
 * `dispose()` removes it; the caller calls it whatever happens.
 */
export async function spoolBundle(source: AsyncIterable<Buffer>): Promise<{ bundle: BundleOnDisk; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'posko-central-bundle-'))
  const dispose = () => rm(dir, { recursive: true, force: true })
  const file = join(dir, 'bundle.pkb')
  try {
    const handle = await open(file, 'wx', 0o600)
    try {
      const scanned = await intakeStream(source, (chunk) => handle.write(chunk))
      return { bundle: { file, ...scanned }, dispose }
    } finally {
      await handle.close()
    }
  } catch (error) {
    await dispose()
    throw error
  }
}

/** A bundle file IT hands the CLI, read in place. */
export async function scanBundleFile(file: string): Promise<BundleOnDisk> {
  return { file, ...(await intakeStream(createReadStream(file, { highWaterMark: 1024 * 1024 }))) }
}

export function importBundle(store: CentralStore, keys: CentralKeys, bundle: BundleOnDisk, input: BundleImportInput): BundleImportOutcome {
  const { layout } = bundle
  const { header } = layout
  try {
    // Any kiosk enrolled for the bundle's post may have signed it; a key of another post may not.
    verifyBundleSignature(layout, (h) => {
      const kiosk = store.kiosk(h.kioskKeyId)
      // A revoked key signs nothing any more, whenever the bundle was made: IT revoked it for a reason.
      if (!kiosk || kiosk.postId !== h.postId || kiosk.revokedAt !== null) return null
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: kiosk.publicKey.toString('base64url') }, format: 'jwk' })
    })
  } catch (error) {
    throw asHttp(error)
  }
  const bodySha256 = bundle.sha256

  return store.transaction(() => {
    const earlier = store.bundle(header.bundleId)
    if (earlier) {
      // The same bytes verified and went in before: answer from the record, nothing to decrypt.
      if (earlier.bodySha256 !== bodySha256) throw new HttpError(409, 'bundle_conflict', `bundle ${header.bundleId} was already imported with different content`)
      return { replayed: true, answer: earlier.answer }
    }
    if (store.batch(header.postId, header.bundleId)) throw new HttpError(409, 'bundle_conflict', `id ${header.bundleId} is already a batch of post ${header.postId}`)

    let photos = 0
    let newPhotos = 0
    const records: Array<z.infer<typeof BundleRecord>> = []
    const fd = openSync(bundle.file, 'r')
    try {
      const read = (position: number, length: number) => {
        const buffer = Buffer.allocUnsafe(length)
        const got = readSync(fd, buffer, 0, length, position)
        // The file changed under us (it is ours, so it should not): no partial read passes for the bundle.
        if (got !== length) throw new BundleError('truncated', 'bundle file shorter than when it was read')
        return buffer
      }
      decryptBundleFrames(layout, read, { privateKey: keys.bundlePrivateKey, maxPhotoBytes: input.maxPhotoBytes }, {
        // Written now, inside the transaction: if the tag or a later frame fails, the rollback takes them out again.
        photo: (photo) => {
          photos++
          if (store.putPhoto(photo.sha256, photo.bytes, header.postId, input.now) === 'created') newPhotos++
        },
        record: (value) => {
          const record = BundleRecord.safeParse(value)
          if (!record.success) throw new BundleError('bad_payload', 'every record in a bundle needs an id')
          records.push(record.data)
        },
      })
    } catch (error) {
      throw asHttp(error)
    } finally {
      closeSync(fd)
    }

    const batch = JSON.parse(
      applyBatch(store, { postId: header.postId, batchId: header.bundleId, bodySha256, records, actor: header.kioskKeyId, beforeCrossPostDuplicate: () => input.beforeCrossPostDuplicate?.(header.kioskKeyId), partial: false, now: input.now }).toString('utf8'),
    ) as { results: RecordResult[] }
    const count = (status: RecordResult['status']) => batch.results.filter((r) => r.status === status).length
    const summary: BundleAnswer = {
      bundleId: header.bundleId,
      postId: header.postId,
      records: batch.results.length,
      accepted: count('accepted'),
      duplicate: count('duplicate'),
      rejected: count('rejected'),
      photos,
      newPhotos,
    }
    const answer = Buffer.from(JSON.stringify(summary))
    store.putBundle({ bundleId: header.bundleId, postId: header.postId, keyId: header.kioskKeyId, bodySha256, recordCount: records.length, answer, importedBy: input.importedBy, now: input.now })
    return { replayed: false, answer }
  })
}
