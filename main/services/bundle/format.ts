import type { KeyObject } from 'node:crypto'
import { createHash, hkdfSync } from 'node:crypto'
import { z } from 'zod'
import { FRAME_HEAD_BYTES } from '../central/photo-pack'
import { KeyId, PostId } from '../platform/identity'

/**
 * The offline bundle file (.pkb), version 1. Everything is big-endian.
 *
 *   prefix     magic "POSKOBND" (8 bytes) | version (1 byte, 1) | header length n (u32) | header (n bytes of UTF-8 JSON)
 *   body       AES-256-GCM ciphertext of the frames | GCM tag (16 bytes)
 *   signature  Ed25519 (64 bytes), always the last 64 bytes of the file
 *
 * Header JSON: { bundleId, postId, createdAt, records, photos, kioskKeyId, ephemeralPublicKey, nonce, algorithm }.
 * It stays readable so a connected kiosk can tell a bundle from any other file and say whose it is, without being
 * able to read a single record.
 *
 * Encryption (only central can read it): an ephemeral X25519 key pair per bundle; ECDH with central's X25519 key;
 * HKDF-SHA256 (salt = ephemeral public key ‖ central public key, both raw; info "posko/bundle/v1") → a 32-byte key;
 * AES-256-GCM with the header's 12-byte nonce and the whole prefix as associated data.
 *
 * Signature (only an enrolled kiosk can write it): Ed25519 by the kiosk key named in the header, over
 * "POSKOBND signature v1\0" ‖ prefix ‖ SHA-512(body). The body enters as its digest because Node's Ed25519 signs a
 * message in one piece; hashing first lets a bundle of many photos be written and read in constant memory.
 *
 * Plaintext: frames of type (1 byte) | length (u32) | payload. Type 0x50 'P': a photo, 32 raw bytes of its SHA-256
 * then the JPEG (the photo pack's frame, central/photo-pack.ts). Type 0x52 'R': one RegistrationRecord as UTF-8 JSON. Photos come before the records that use them.
 */
export const MAGIC = Buffer.from('POSKOBND', 'ascii')
export const FORMAT_VERSION = 1
export const ALGORITHM = 'X25519-HKDF-SHA256-AES-256-GCM+Ed25519'
export const BUNDLE_EXTENSION = '.pkb'
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
export const SIGNATURE_BYTES = 64
export const MAX_HEADER_BYTES = 4096
/** magic + version + header length */
export const FIXED_PREFIX_BYTES = MAGIC.length + 1 + 4
/** Photo frames are the photo pack's (central/photo-pack.ts): one encoding for both ways a photo reaches central. */
export { FRAME_HEAD_BYTES, FRAME_PHOTO } from '../central/photo-pack'
export const FRAME_RECORD = 0x52
/** A record is a few KB of JSON; the cap bounds what one frame can make central hold while it reads a bundle. */
export const MAX_RECORD_FRAME_BYTES = 256 * 1024

const SIGNATURE_CONTEXT = Buffer.from('POSKOBND signature v1\0', 'ascii')
const HKDF_INFO = 'posko/bundle/v1'

const Base64 = (bytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes, `base64 of ${bytes} bytes`)

export const BundleHeader = z.strictObject({
  bundleId: z.uuid(),
  postId: PostId,
  createdAt: z.iso.datetime(),
  records: z.number().int().min(0),
  photos: z.number().int().min(0),
  kioskKeyId: KeyId,
  ephemeralPublicKey: Base64(32),
  nonce: Base64(NONCE_BYTES),
  algorithm: z.literal(ALGORITHM),
})
export type BundleHeader = z.infer<typeof BundleHeader>

/** Why a bundle was refused. Central answers 422 with one of these; nothing of such a bundle is written. */
export type BundleFault =
  | 'not_a_bundle'
  | 'unsupported_version'
  | 'bad_header'
  | 'truncated'
  | 'unknown_kiosk_key'
  | 'bad_signature'
  | 'decryption_failed'
  | 'bad_payload'
  | 'count_mismatch'
  | 'photo_hash_mismatch'
  | 'photo_too_large'

export class BundleError extends Error {
  constructor(
    readonly reason: BundleFault,
    message: string,
  ) {
    super(message)
    this.name = 'BundleError'
  }
}

export function encodePrefix(header: BundleHeader): Buffer {
  const json = Buffer.from(JSON.stringify(BundleHeader.parse(header)), 'utf8')
  if (json.length > MAX_HEADER_BYTES) throw new Error('bundle header too long')
  const fixed = Buffer.alloc(FIXED_PREFIX_BYTES)
  MAGIC.copy(fixed, 0)
  fixed.writeUInt8(FORMAT_VERSION, MAGIC.length)
  fixed.writeUInt32BE(json.length, MAGIC.length + 1)
  return Buffer.concat([fixed, json])
}

/** Parses the prefix from the start of a file; `bytes` may be just the first few kilobytes. */
export function decodePrefix(bytes: Buffer): { header: BundleHeader; prefix: Buffer } {
  if (bytes.length < FIXED_PREFIX_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new BundleError('not_a_bundle', 'not a Posko bundle')
  const version = bytes.readUInt8(MAGIC.length)
  if (version !== FORMAT_VERSION) throw new BundleError('unsupported_version', `bundle format ${version}; this reads ${FORMAT_VERSION}`)
  const length = bytes.readUInt32BE(MAGIC.length + 1)
  if (length > MAX_HEADER_BYTES) throw new BundleError('bad_header', 'bundle header too long')
  if (bytes.length < FIXED_PREFIX_BYTES + length) throw new BundleError('truncated', 'bundle ends inside its header')
  const prefix = bytes.subarray(0, FIXED_PREFIX_BYTES + length)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(FIXED_PREFIX_BYTES)))
  } catch {
    throw new BundleError('bad_header', 'bundle header is not JSON')
  }
  const header = BundleHeader.safeParse(json)
  if (!header.success) throw new BundleError('bad_header', `bundle header: ${header.error.issues[0]?.message ?? 'invalid'}`)
  return { header: header.data, prefix }
}

/** The AES key both sides derive; binding both public keys stops a key being reused across recipients. */
export function deriveBundleKey(sharedSecret: Buffer, ephemeralPublicRaw: Buffer, centralPublicRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', sharedSecret, Buffer.concat([ephemeralPublicRaw, centralPublicRaw]), HKDF_INFO, 32))
}

export function signedMessage(prefix: Buffer, bodyDigest: Buffer): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, prefix, bodyDigest])
}

export const newBodyDigest = () => createHash('sha512')

export function encodeFrame(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(FRAME_HEAD_BYTES)
  head.writeUInt8(type, 0)
  head.writeUInt32BE(payload.length, 1)
  return Buffer.concat([head, payload])
}

export type KeyLookup = (header: BundleHeader) => KeyObject | null
