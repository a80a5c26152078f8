import type { KeyObject } from 'node:crypto'
import { createCipheriv, createDecipheriv, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto'
import { parsePublicKey, rawPublicKey } from './public-keys'

/**
 * A small secret sealed to one X25519 public key: the construction offline bundles use (bundle/sealer.ts): a fresh
 * ephemeral X25519 key, HKDF-SHA256 over the shared secret salted with both public keys, AES-256-GCM, with a
 * `context` label in the HKDF info so a box made for one purpose never opens as another. Central seals the post key
 * to each kiosk's box key this way; nothing new is invented here, only packaged:
 * `version (1) | ephemeral public key (32) | nonce (12) | tag (16) | ciphertext`.
 */
const VERSION = 1
const RAW = 32
const NONCE = 12
const TAG = 16

export class SealedBoxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SealedBoxError'
  }
}

function boxKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer, context: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), `posko/box/${context}/v1`, 32))
}

export function sealToX25519(recipient: KeyObject, plain: Uint8Array, context: string): Buffer {
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralRaw = rawPublicKey(ephemeral.publicKey)
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient })
  const key = boxKey(shared, ephemeralRaw, rawPublicKey(recipient), context)
  shared.fill(0)
  const nonce = randomBytes(NONCE)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  key.fill(0)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([Buffer.from([VERSION]), ephemeralRaw, nonce, cipher.getAuthTag(), body])
}

export function openSealedBox(recipient: KeyObject, recipientPublic: KeyObject, box: Uint8Array, context: string): Buffer {
  const bytes = Buffer.from(box)
  if (bytes.length < 1 + RAW + NONCE + TAG || bytes[0] !== VERSION) throw new SealedBoxError('not a sealed box')
  const ephemeral = parsePublicKey(bytes.subarray(1, 1 + RAW).toString('base64'), 'x25519')
  if (!ephemeral) throw new SealedBoxError('sealed box has no valid ephemeral key')
  let shared: Buffer
  try {
    shared = diffieHellman({ privateKey: recipient, publicKey: ephemeral })
  } catch {
    throw new SealedBoxError('sealed box failed authentication')
  }
  const key = boxKey(shared, bytes.subarray(1, 1 + RAW), rawPublicKey(recipientPublic), context)
  shared.fill(0)
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1 + RAW, 1 + RAW + NONCE))
  key.fill(0)
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(bytes.subarray(1 + RAW + NONCE, 1 + RAW + NONCE + TAG))
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + RAW + NONCE + TAG)), decipher.final()])
  } catch {
    throw new SealedBoxError('sealed box failed authentication')
  }
}
