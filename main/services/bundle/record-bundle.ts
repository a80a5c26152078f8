import { createHash, randomUUID } from 'node:crypto'
import type { RegistrationRecord } from '../../../common/registration'
import type { BundleKeys, BundlePhotoSource } from './export'
import { BundleError, decodePrefix, SIGNATURE_BYTES, TAG_BYTES } from './format'
import { createBundleSealer } from './sealer'

/**
 * One record and its photos as a bundle in memory (issue 22.1, peer backup): the USB format exactly, so central's
 * bundle import reads it as any other, and a desk holding it for its neighbour cannot read it. A record is a few KB
 * and its photos a few hundred; the bundle is built whole rather than streamed to a file.
 */
export async function sealRecordBundle(
  deps: { credentials(): BundleKeys | null; photos?: BundlePhotoSource; now(): Date },
  record: RegistrationRecord,
): Promise<{ bundleId: string; bundle: Buffer } | null> {
  const keys = deps.credentials()
  if (!keys) return null
  const photos = deps.photos?.pendingFor([record]) ?? []
  const bundleId = randomUUID()
  const sealer = createBundleSealer({
    bundleId,
    postId: keys.postId,
    createdAt: deps.now().toISOString(),
    records: 1,
    photos: photos.length,
    kioskKeyId: keys.kioskKeyId,
    centralPublicKey: keys.centralPublicKey,
    kioskSigningKey: keys.kioskSigningKey,
  })
  const parts = [sealer.prefix]
  for (const photo of photos) {
    const jpeg = await photo.load()
    if (createHash('sha256').update(jpeg).digest('hex') !== photo.sha256) throw new Error(`photo ${photo.sha256} does not match its hash`)
    parts.push(sealer.photo(photo.sha256, jpeg))
  }
  parts.push(sealer.record(JSON.stringify(record)), sealer.finish())
  return { bundleId, bundle: Buffer.concat(parts) }
}

/**
 * What a desk holding someone else's bundle can check without central's key: a bundle prefix with a valid header,
 * and room after it for at least a GCM tag and a signature. Throws BundleError otherwise.
 */
export function inspectSealedBundle(bytes: Buffer): { bundleId: string; postId: string; kioskKeyId: string; records: number } {
  const { header, prefix } = decodePrefix(bytes)
  if (bytes.length < prefix.length + TAG_BYTES + SIGNATURE_BYTES) throw new BundleError('truncated', 'bundle shorter than its prefix, tag and signature')
  return { bundleId: header.bundleId, postId: header.postId, kioskKeyId: header.kioskKeyId, records: header.records }
}
