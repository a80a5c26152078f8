import type { KeyObject } from 'node:crypto'
import { createHash, createPublicKey } from 'node:crypto'

/**
 * Public keys on the wire are base64 of SPKI DER (what any crypto library can read), and raw 32-byte keys are
 * accepted too. A key id is the first 16 bytes of SHA-256 of the raw key, in hex: short enough for a log line or
 * a bundle header, long enough that two kiosks never share one.
 */
export type CurveKeyType = 'ed25519' | 'x25519'

const CURVE: Record<CurveKeyType, string> = { ed25519: 'Ed25519', x25519: 'X25519' }

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new Error(`not an OKP public key (${key.asymmetricKeyType})`)
  return Buffer.from(jwk.x, 'base64url')
}

export function publicKeyToBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64')
}

/** Null for anything that is not a public key of the expected curve, so a caller can answer "bad key" and go on. */
export function parsePublicKey(base64: string, type: CurveKeyType): KeyObject | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64)) return null
  const bytes = Buffer.from(base64, 'base64')
  try {
    const key =
      bytes.length === 32
        ? createPublicKey({ key: { kty: 'OKP', crv: CURVE[type], x: bytes.toString('base64url') }, format: 'jwk' })
        : createPublicKey({ key: bytes, format: 'der', type: 'spki' })
    return key.asymmetricKeyType === type ? key : null
  } catch {
    return null
  }
}

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest().subarray(0, 16).toString('hex')
}
