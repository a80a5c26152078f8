import { createPublicKey } from 'node:crypto'
import { z } from 'zod'
import { BundleError } from '../../main/services/bundle/format'
import { openBundle } from '../../main/services/bundle/reader'
import type { BundleAnswer } from '../../main/services/bundle/wire'
import type { RecordResult } from './batch'
import { applyBatch, sha256Hex } from './batch'
import { HttpError } from './http'
import type { CentralKeys } from './keys'
import type { CentralStore } from './store'

/**
 * An offline bundle at central (format: main/services/bundle/format.ts). Checked whole before anything is written
 * (signature by an enrolled kiosk of the bundle's post, decryption, frames, photo hashes); then photos and records
 * go in through the batch logic in one transaction, exactly once per bundle id.
 */
export interface BundleImportInput {
  bytes: Buffer
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

const BundleRecord = z.looseObject({ id: z.string().min(1).max(64) })

function invalid(reason: string, message: string): HttpError {
  return new HttpError(422, 'invalid_bundle', message, { reason })
}

export function importBundleBytes(store: CentralStore, keys: CentralKeys, input: BundleImportInput): BundleImportOutcome {
  let opened
  try {
    opened = openBundle(input.bytes, {
      privateKey: keys.bundlePrivateKey,
      maxPhotoBytes: input.maxPhotoBytes,
      // Any kiosk enrolled for the bundle's post may have signed it; a key of another post may not.
      kioskKey: (header) => {
        const kiosk = store.kiosk(header.kioskKeyId)
        // A revoked key signs nothing any more, whenever the bundle was made: IT revoked it for a reason.
        if (!kiosk || kiosk.postId !== header.postId || kiosk.revokedAt !== null) return null
        return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: kiosk.publicKey.toString('base64url') }, format: 'jwk' })
      },
    })
  } catch (error) {
    if (error instanceof BundleError) throw invalid(error.reason, error.message)
    throw error
  }
  const { header, photos } = opened
  const records = z.array(BundleRecord).safeParse(opened.records)
  if (!records.success) throw invalid('bad_payload', 'every record in a bundle needs an id')
  const bodySha256 = sha256Hex(input.bytes)

  return store.transaction(() => {
    const earlier = store.bundle(header.bundleId)
    if (earlier) {
      if (earlier.bodySha256 !== bodySha256) throw new HttpError(409, 'bundle_conflict', `bundle ${header.bundleId} was already imported with different content`)
      return { replayed: true, answer: earlier.answer }
    }
    if (store.batch(header.postId, header.bundleId)) throw new HttpError(409, 'bundle_conflict', `id ${header.bundleId} is already a batch of post ${header.postId}`)
    let newPhotos = 0
    for (const photo of photos) if (store.putPhoto(photo.sha256, photo.bytes, header.postId, input.now) === 'created') newPhotos++
    const batch = JSON.parse(
      applyBatch(store, { postId: header.postId, batchId: header.bundleId, bodySha256, records: records.data, actor: header.kioskKeyId, beforeCrossPostDuplicate: () => input.beforeCrossPostDuplicate?.(header.kioskKeyId), partial: false, now: input.now }).toString('utf8'),
    ) as { results: RecordResult[] }
    const count = (status: RecordResult['status']) => batch.results.filter((r) => r.status === status).length
    const summary: BundleAnswer = {
      bundleId: header.bundleId,
      postId: header.postId,
      records: batch.results.length,
      accepted: count('accepted'),
      duplicate: count('duplicate'),
      rejected: count('rejected'),
      photos: photos.length,
      newPhotos,
    }
    const answer = Buffer.from(JSON.stringify(summary))
    store.putBundle({ bundleId: header.bundleId, postId: header.postId, keyId: header.kioskKeyId, bodySha256, recordCount: records.data.length, answer, importedBy: input.importedBy, now: input.now })
    return { replayed: false, answer }
  })
}
