import type { KeyObject } from 'node:crypto'
import { createDecipheriv, createPublicKey, diffieHellman, verify } from 'node:crypto'
import { open } from 'node:fs/promises'
import { rawPublicKey } from '../security/public-keys'
import type { PhotoPackFault } from '../central/photo-pack'
import { PhotoPackError, readPhotoFrame } from '../central/photo-pack'
import type { BundleFault, BundleHeader, KeyLookup } from './format'
import {
  BundleError,
  decodePrefix,
  deriveBundleKey,
  FIXED_PREFIX_BYTES,
  FRAME_HEAD_BYTES,
  FRAME_PHOTO,
  FRAME_RECORD,
  MAX_HEADER_BYTES,
  newBodyDigest,
  SIGNATURE_BYTES,
  signedMessage,
  TAG_BYTES,
} from './format'

export interface OpenedBundle {
  header: BundleHeader
  photos: Array<{ sha256: string; bytes: Buffer }>
  /** Parsed JSON, not yet validated: central judges each record as it judges a batch's. */
  records: unknown[]
}

export interface OpenOptions {
  /** Central's X25519 private key. */
  privateKey: KeyObject
  /** The Ed25519 key registered for the header's kiosk key id and post, or null if central knows none. */
  kioskKey: KeyLookup
  maxPhotoBytes?: number
}

/** The header of a bundle file, read without the rest: enough to refuse a wrong file before uploading it. */
export async function readBundleHeader(file: string): Promise<BundleHeader> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(FIXED_PREFIX_BYTES + MAX_HEADER_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return decodePrefix(buffer.subarray(0, bytesRead)).header
  } finally {
    await handle.close()
  }
}

/**
 * Central's side: checks the signature, then decrypts, then splits the frames. Any failure is a BundleError and
 * nothing is returned, so a caller can't apply part of a damaged bundle. Order matters: the signature is checked
 * before any decryption work is done for an unauthenticated sender.
 */
export function openBundle(bytes: Buffer, options: OpenOptions): OpenedBundle {
  const { header, prefix } = decodePrefix(bytes)
  if (bytes.length < prefix.length + TAG_BYTES + SIGNATURE_BYTES) throw new BundleError('truncated', 'bundle is shorter than its fixed parts')
  const body = bytes.subarray(prefix.length, bytes.length - SIGNATURE_BYTES)
  const signature = bytes.subarray(bytes.length - SIGNATURE_BYTES)

  const kioskKey = options.kioskKey(header)
  if (!kioskKey) throw new BundleError('unknown_kiosk_key', `no enrolled kiosk key ${header.kioskKeyId} for post ${header.postId}`)
  const digest = newBodyDigest().update(body).digest()
  if (!verify(null, signedMessage(prefix, digest), kioskKey, signature)) throw new BundleError('bad_signature', 'bundle signature does not verify')

  const plain = decrypt(header, prefix, body, options.privateKey)
  return { header, ...splitFrames(header, plain, options.maxPhotoBytes ?? Number.POSITIVE_INFINITY) }
}

function decrypt(header: BundleHeader, prefix: Buffer, body: Buffer, privateKey: KeyObject): Buffer {
  try {
    const ephemeralRaw = Buffer.from(header.ephemeralPublicKey, 'base64')
    const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralRaw.toString('base64url') }, format: 'jwk' })
    const shared = diffieHellman({ privateKey, publicKey: ephemeral })
    // An all-zero secret means a low-order ephemeral key: refuse it rather than derive a key anyone could know.
    if (shared.every((b) => b === 0)) throw new Error('low-order key')
    const key = deriveBundleKey(shared, ephemeralRaw, rawPublicKey(createPublicKey(privateKey)))
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.nonce, 'base64'))
    decipher.setAAD(prefix)
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()])
  } catch {
    throw new BundleError('decryption_failed', 'bundle does not decrypt with this key')
  }
}

const PACK_TO_BUNDLE_FAULT: Record<PhotoPackFault, BundleFault> = {
  bad_frame: 'bad_payload',
  empty_photo: 'bad_payload',
  too_many_photos: 'bad_payload',
  photo_too_large: 'photo_too_large',
  hash_mismatch: 'photo_hash_mismatch',
}

function photoFrame(payload: Buffer, index: number, maxPhotoBytes: number): { sha256: string; bytes: Buffer } {
  try {
    return readPhotoFrame(payload, index, maxPhotoBytes)
  } catch (error) {
    if (error instanceof PhotoPackError) throw new BundleError(PACK_TO_BUNDLE_FAULT[error.reason], error.message)
    throw error
  }
}

function splitFrames(header: BundleHeader, plain: Buffer, maxPhotoBytes: number): Omit<OpenedBundle, 'header'> {
  const photos: OpenedBundle['photos'] = []
  const records: unknown[] = []
  let offset = 0
  while (offset < plain.length) {
    if (offset + FRAME_HEAD_BYTES > plain.length) throw new BundleError('bad_payload', 'frame header cut short')
    const type = plain.readUInt8(offset)
    const length = plain.readUInt32BE(offset + 1)
    const payload = plain.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + length)
    if (payload.length !== length) throw new BundleError('bad_payload', 'frame cut short')
    offset += FRAME_HEAD_BYTES + length
    if (type === FRAME_PHOTO) {
      const photo = photoFrame(payload, photos.length, maxPhotoBytes)
      photos.push({ sha256: photo.sha256, bytes: Buffer.from(photo.bytes) })
    } else if (type === FRAME_RECORD) {
      try {
        records.push(JSON.parse(payload.toString('utf8')))
      } catch {
        throw new BundleError('bad_payload', 'record frame is not JSON')
      }
    } else throw new BundleError('bad_payload', `unknown frame type ${type}`)
  }
  if (records.length !== header.records || photos.length !== header.photos) {
    throw new BundleError('count_mismatch', `bundle holds ${records.length} records and ${photos.length} photos; its header says ${header.records} and ${header.photos}`)
  }
  return { photos, records }
}
