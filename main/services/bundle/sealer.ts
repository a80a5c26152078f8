import type { KeyObject } from 'node:crypto'
import { createCipheriv, diffieHellman, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { rawPublicKey } from '../security/public-keys'
import type { BundleHeader } from './format'
import { encodePhotoFrame } from '../central/photo-pack'
import { ALGORITHM, deriveBundleKey, encodeFrame, encodePrefix, FRAME_RECORD, MAX_RECORD_FRAME_BYTES, newBodyDigest, NONCE_BYTES, signedMessage } from './format'

export interface SealerInput {
  bundleId: string
  postId: string
  createdAt: string
  records: number
  photos: number
  kioskKeyId: string
  centralPublicKey: KeyObject
  kioskSigningKey: KeyObject
}

/**
 * Produces a bundle's bytes piece by piece (format.ts), so the caller can stream them to a file: `prefix` first,
 * then what each `photo`/`record` returns, then `finish()` (GCM tag and signature). Holds one frame at a time.
 */
export interface BundleSealer {
  readonly header: BundleHeader
  readonly prefix: Buffer
  photo(sha256: string, jpeg: Buffer): Buffer
  record(json: string): Buffer
  finish(): Buffer
}

export function createBundleSealer(input: SealerInput): BundleSealer {
  // A fresh ephemeral key per bundle: the kiosk keeps no key that could open a bundle it wrote.
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralRaw = rawPublicKey(ephemeral.publicKey)
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: input.centralPublicKey })
  const key = deriveBundleKey(shared, ephemeralRaw, rawPublicKey(input.centralPublicKey))
  shared.fill(0)
  const nonce = randomBytes(NONCE_BYTES)
  const header: BundleHeader = {
    bundleId: input.bundleId,
    postId: input.postId,
    createdAt: input.createdAt,
    records: input.records,
    photos: input.photos,
    kioskKeyId: input.kioskKeyId,
    ephemeralPublicKey: ephemeralRaw.toString('base64'),
    nonce: nonce.toString('base64'),
    algorithm: ALGORITHM,
  }
  const prefix = encodePrefix(header)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  key.fill(0)
  cipher.setAAD(prefix)
  const digest = newBodyDigest()
  let photos = 0
  let records = 0
  let finished = false

  const encrypt = (frame: Buffer): Buffer => {
    if (finished) throw new Error('bundle already finished')
    const out = cipher.update(frame)
    digest.update(out)
    return out
  }

  return {
    header,
    prefix,
    photo(sha256, jpeg) {
      if (++photos > input.photos) throw new Error('more photos than the header announces')
      return encrypt(encodePhotoFrame(sha256, jpeg))
    },
    record(json) {
      if (++records > input.records) throw new Error('more records than the header announces')
      const bytes = Buffer.from(json, 'utf8')
      if (bytes.length > MAX_RECORD_FRAME_BYTES) throw new Error(`a record of ${bytes.length} bytes; a bundle carries at most ${MAX_RECORD_FRAME_BYTES}`)
      return encrypt(encodeFrame(FRAME_RECORD, bytes))
    },
    finish() {
      if (photos !== input.photos || records !== input.records) throw new Error(`bundle holds ${records}/${input.records} records, ${photos}/${input.photos} photos`)
      const tail = Buffer.concat([cipher.final(), cipher.getAuthTag()])
      digest.update(tail)
      finished = true
      const signature = sign(null, signedMessage(prefix, digest.digest()), input.kioskSigningKey)
      return Buffer.concat([tail, signature])
    },
  }
}
