import type { KeyObject } from 'node:crypto'
import { createDecipheriv, createPublicKey, diffieHellman, verify } from 'node:crypto'
import { open } from 'node:fs/promises'
import { rawPublicKey } from '../security/public-keys'
import type { PhotoPackFault } from '../central/photo-pack'
import { PHOTO_FRAME_OVERHEAD, PhotoPackError, readPhotoFrame } from '../central/photo-pack'
import type { BundleFault, BundleHeader, KeyLookup } from './format'
import {
  BundleError,
  decodePrefix,
  deriveBundleKey,
  FIXED_PREFIX_BYTES,
  FRAME_HEAD_BYTES,
  FRAME_PHOTO,
  FRAME_RECORD,
  MAGIC,
  MAX_HEADER_BYTES,
  MAX_RECORD_FRAME_BYTES,
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

/** Whether these first bytes (fewer than the fixed prefix) could begin a bundle. */
function startsLikeBundle(seen: Buffer): boolean {
  const magic = Math.min(seen.length, MAGIC.length)
  return seen.length > 0 && seen.subarray(0, magic).equals(MAGIC.subarray(0, magic))
}

/** Where a bundle's parts lie once all of it has been seen (format.ts): what the signature check and decryption need. */
export interface BundleLayout {
  header: BundleHeader
  prefix: Buffer
  /** The whole file's length. */
  size: number
  /** SHA-512 of the body (ciphertext ‖ GCM tag), as the signature covers it. */
  bodyDigest: Buffer
  signature: Buffer
}

/**
 * Reads a bundle as it arrives, in pieces of any size, holding only the prefix and the last 64 bytes seen: the
 * body's end (and so where the signature starts) is known only when the input ends, so the newest 64 bytes are held
 * back from the body digest until more arrive. A file that is not a bundle is refused at its first bytes.
 */
export class BundleIntake {
  private head: Buffer[] = []
  private headBytes = 0
  private opened: { header: BundleHeader; prefix: Buffer } | null = null
  private readonly digest = newBodyDigest()
  private tail = Buffer.alloc(0)
  private size = 0

  /** The header, as soon as the prefix has arrived (null before). */
  get header(): BundleHeader | null {
    return this.opened?.header ?? null
  }

  push(chunk: Buffer): void {
    this.size += chunk.length
    if (this.opened) return this.pushBody(chunk)
    this.head.push(chunk)
    this.headBytes += chunk.length
    const seen = this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head, this.headBytes)
    this.head = [seen]
    if (seen.length < FIXED_PREFIX_BYTES) {
      // Refuse a stranger on its first bytes, not after reading all of it.
      if (!startsLikeBundle(seen)) decodePrefix(seen)
      return
    }
    let opened: { header: BundleHeader; prefix: Buffer }
    try {
      opened = decodePrefix(seen)
    } catch (error) {
      if (error instanceof BundleError && error.reason === 'truncated') return
      throw error
    }
    this.opened = { header: opened.header, prefix: Buffer.from(opened.prefix) }
    this.head = []
    this.pushBody(seen.subarray(opened.prefix.length))
  }

  private pushBody(chunk: Buffer): void {
    if (chunk.length >= SIGNATURE_BYTES) {
      this.digest.update(this.tail)
      this.digest.update(chunk.subarray(0, chunk.length - SIGNATURE_BYTES))
      this.tail = Buffer.from(chunk.subarray(chunk.length - SIGNATURE_BYTES))
      return
    }
    const joined = Buffer.concat([this.tail, chunk])
    const spill = Math.max(0, joined.length - SIGNATURE_BYTES)
    this.digest.update(joined.subarray(0, spill))
    this.tail = joined.subarray(spill)
  }

  /** The input has ended: the layout, or `truncated` if it is too short to hold the parts every bundle has. */
  finish(): BundleLayout {
    if (!this.opened) {
      const seen = this.head[0] ?? Buffer.alloc(0)
      if (seen.length < FIXED_PREFIX_BYTES && !startsLikeBundle(seen)) decodePrefix(seen)
      throw new BundleError('truncated', 'bundle ends inside its header')
    }
    const { header, prefix } = this.opened
    if (this.size < prefix.length + TAG_BYTES + SIGNATURE_BYTES) throw new BundleError('truncated', 'bundle is shorter than its fixed parts')
    return { header, prefix, size: this.size, bodyDigest: this.digest.digest(), signature: this.tail }
  }
}

/** Checks the layout's signature against the kiosk key central registered for its header; throws BundleError. */
export function verifyBundleSignature(layout: BundleLayout, kioskKey: KeyLookup): void {
  const key = kioskKey(layout.header)
  if (!key) throw new BundleError('unknown_kiosk_key', `no enrolled kiosk key ${layout.header.kioskKeyId} for post ${layout.header.postId}`)
  if (!verify(null, signedMessage(layout.prefix, layout.bodyDigest), key, layout.signature)) throw new BundleError('bad_signature', 'bundle signature does not verify')
}

/** Reads `length` bytes at `position` of the bundle: a file descriptor's readSync, or a view of a buffer. */
export type BundleSource = (position: number, length: number) => Buffer

export interface FrameVisitor {
  photo(photo: { sha256: string; bytes: Buffer }): void
  record(value: unknown): void
}

/** How much ciphertext is read and decrypted at a time. */
const DECRYPT_CHUNK_BYTES = 1024 * 1024

/**
 * Decrypts the body of a bundle whose signature verified and hands each frame to `visit` as it is complete, holding
 * one frame at a time (a photo is at most maxPhotoBytes). The GCM tag is checked only at the end (final()), so the
 * caller must treat what it was handed as unconfirmed until this returns: central writes inside one transaction
 * that any throw rolls back. A damaged frame still decrypts to the end, so a wrong tag is reported as such.
 */
export function decryptBundleFrames(layout: BundleLayout, read: BundleSource, options: { privateKey: KeyObject; maxPhotoBytes?: number }, visit: FrameVisitor): void {
  const decipher = bundleDecipher(layout, options.privateKey)
  const splitter = new FrameSplitter(layout.header, options.maxPhotoBytes ?? Number.POSITIVE_INFINITY, visit)
  const end = layout.size - SIGNATURE_BYTES - TAG_BYTES
  let frameError: unknown = null
  for (let position = layout.prefix.length; position < end; position += DECRYPT_CHUNK_BYTES) {
    const plain = decipher.update(read(position, Math.min(DECRYPT_CHUNK_BYTES, end - position)))
    if (frameError) continue
    try {
      splitter.push(plain)
    } catch (error) {
      frameError = error
    }
  }
  try {
    decipher.setAuthTag(read(end, TAG_BYTES))
    decipher.final()
  } catch {
    throw new BundleError('decryption_failed', 'bundle does not decrypt with this key')
  }
  if (frameError) throw frameError
  splitter.finish()
}

function bundleDecipher(layout: BundleLayout, privateKey: KeyObject) {
  try {
    const ephemeralRaw = Buffer.from(layout.header.ephemeralPublicKey, 'base64')
    const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralRaw.toString('base64url') }, format: 'jwk' })
    const shared = diffieHellman({ privateKey, publicKey: ephemeral })
    // An all-zero secret means a low-order ephemeral key: refuse it rather than derive a key anyone could know.
    if (shared.every((b) => b === 0)) throw new Error('low-order key')
    const key = deriveBundleKey(shared, ephemeralRaw, rawPublicKey(createPublicKey(privateKey)))
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(layout.header.nonce, 'base64'))
    decipher.setAAD(layout.prefix)
    return decipher
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
  // A bundle's reader keeps nothing of a cut: a rest frame in a bundle is a bad frame before it could be this.
  partial_unknown: 'bad_payload',
}

/**
 * Cuts decrypted bytes into frames as they come. A frame's length is judged from its head, before its payload is
 * gathered, so a frame that claims gigabytes is refused instead of being buffered.
 */
class FrameSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private photos = 0
  private records = 0

  constructor(
    private readonly header: BundleHeader,
    private readonly maxPhotoBytes: number,
    private readonly visit: FrameVisitor,
  ) {}

  push(plain: Buffer): void {
    if (plain.length === 0) return
    this.pending.push(plain)
    this.pendingBytes += plain.length
    for (;;) {
      if (this.pendingBytes < FRAME_HEAD_BYTES) return
      const head = this.peek(FRAME_HEAD_BYTES)
      const type = head.readUInt8(0)
      const length = head.readUInt32BE(1)
      this.judge(type, length)
      if (this.pendingBytes < FRAME_HEAD_BYTES + length) return
      const frame = this.take(FRAME_HEAD_BYTES + length)
      this.emit(type, frame.subarray(FRAME_HEAD_BYTES))
    }
  }

  finish(): void {
    if (this.pendingBytes > 0) throw new BundleError('bad_payload', this.pendingBytes < FRAME_HEAD_BYTES ? 'frame header cut short' : 'frame cut short')
    if (this.records !== this.header.records || this.photos !== this.header.photos) this.countMismatch()
  }

  private judge(type: number, length: number): void {
    if (type === FRAME_PHOTO) {
      if (length - (PHOTO_FRAME_OVERHEAD - FRAME_HEAD_BYTES) > this.maxPhotoBytes) throw new BundleError('photo_too_large', `photo ${this.photos} is over ${this.maxPhotoBytes} bytes`)
      if (this.photos >= this.header.photos) this.countMismatch()
    } else if (type === FRAME_RECORD) {
      if (length > MAX_RECORD_FRAME_BYTES) throw new BundleError('bad_payload', `record frame of ${length} bytes; at most ${MAX_RECORD_FRAME_BYTES}`)
      if (this.records >= this.header.records) this.countMismatch()
    } else throw new BundleError('bad_payload', `unknown frame type ${type}`)
  }

  private emit(type: number, payload: Buffer): void {
    if (type === FRAME_PHOTO) {
      try {
        this.visit.photo(readPhotoFrame(payload, this.photos++, this.maxPhotoBytes))
      } catch (error) {
        if (error instanceof PhotoPackError) throw new BundleError(PACK_TO_BUNDLE_FAULT[error.reason], error.message)
        throw error
      }
      return
    }
    let value: unknown
    try {
      value = JSON.parse(payload.toString('utf8'))
    } catch {
      throw new BundleError('bad_payload', 'record frame is not JSON')
    }
    this.records++
    this.visit.record(value)
  }

  private countMismatch(): never {
    throw new BundleError('count_mismatch', `bundle holds more or fewer than its header's ${this.header.records} records and ${this.header.photos} photos`)
  }

  private peek(bytes: number): Buffer {
    const first = this.pending[0]!
    return first.length >= bytes ? first.subarray(0, bytes) : Buffer.concat(this.pending, bytes)
  }

  /** The next `bytes` bytes as one buffer: a view when one piece holds them, else one copy of just those bytes. */
  private take(bytes: number): Buffer {
    let out: Buffer
    const first = this.pending[0]!
    if (first.length >= bytes) {
      out = first.subarray(0, bytes)
      if (first.length === bytes) this.pending.shift()
      else this.pending[0] = first.subarray(bytes)
    } else {
      out = Buffer.allocUnsafe(bytes)
      let filled = 0
      while (filled < bytes) {
        const piece = this.pending[0]!
        const n = Math.min(piece.length, bytes - filled)
        piece.copy(out, filled, 0, n)
        filled += n
        if (n === piece.length) this.pending.shift()
        else this.pending[0] = piece.subarray(n)
      }
    }
    this.pendingBytes -= bytes
    return out
  }
}

/**
 * A whole bundle in memory (tests, small files): the same checks in the same order as the streaming path, which
 * it is built from. Any failure is a BundleError and nothing is returned.
 */
export function openBundle(bytes: Buffer, options: OpenOptions): OpenedBundle {
  const intake = new BundleIntake()
  intake.push(bytes)
  const layout = intake.finish()
  verifyBundleSignature(layout, options.kioskKey)
  const photos: OpenedBundle['photos'] = []
  const records: unknown[] = []
  decryptBundleFrames(layout, (position, length) => bytes.subarray(position, position + length), options, {
    photo: (photo) => photos.push({ sha256: photo.sha256, bytes: Buffer.from(photo.bytes) }),
    record: (value) => records.push(value),
  })
  return { header: layout.header, photos, records }
}
