import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { KEY_BYTES } from './keys'

/**
 * Encryption at rest for personal data (DESIGN.md §8). AES-256-GCM with a random 96-bit nonce per seal and the
 * owner's id as associated data, so a sealed blob moved to another row fails to open. Separate subkeys (HKDF) for
 * sealing and for the NIK HMAC, so neither use can leak into the other.
 */
export interface Vault {
  seal(plain: Uint8Array, aad: string): Buffer
  open(sealed: Uint8Array, aad: string): Buffer
  /** Keyed hash of a normalised NIK: lets the kiosk find and de-duplicate by NIK without storing it. */
  nikHash(normalisedNik: string): Buffer
  /**
   * Keyed blind-index token for one normalised search term (a name word, an E.164 phone), 16 bytes: equal terms
   * give equal tokens, so the kiosk can find a name or a phone number without storing it (registration/search-index.ts).
   */
  searchToken(field: 'name' | 'phone', term: string): Buffer
}

const VERSION = 1
const NONCE = 12
const TAG = 16
/** 128 bits: no two distinct terms of a post's records will share a token; hits are checked on the opened record anyway. */
export const SEARCH_TOKEN_BYTES = 16

export class VaultError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'VaultError'
  }
}

function subkey(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `posko/${label}/v1`, KEY_BYTES))
}

export function createVault(masterKey: Buffer): Vault {
  if (masterKey.length !== KEY_BYTES) throw new VaultError('Vault key must be 32 bytes')
  const sealKey = subkey(masterKey, 'seal')
  const macKey = subkey(masterKey, 'nik-hmac')
  // Its own subkey: a search token can never equal a NIK HMAC, and neither use can leak into the other.
  const searchKey = subkey(masterKey, 'search-index')
  return {
    seal(plain, aad) {
      const nonce = randomBytes(NONCE)
      const cipher = createCipheriv('aes-256-gcm', sealKey, nonce)
      cipher.setAAD(Buffer.from(aad, 'utf8'))
      const body = Buffer.concat([cipher.update(plain), cipher.final()])
      return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body])
    },
    open(sealed, aad) {
      // A view, not a copy: photos are opened by the thousand during an upload.
      const blob = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      if (blob.length < 1 + NONCE + TAG || blob[0] !== VERSION) throw new VaultError('Not a sealed blob')
      const decipher = createDecipheriv('aes-256-gcm', sealKey, blob.subarray(1, 1 + NONCE))
      decipher.setAAD(Buffer.from(aad, 'utf8'))
      decipher.setAuthTag(blob.subarray(1 + NONCE, 1 + NONCE + TAG))
      try {
        return Buffer.concat([decipher.update(blob.subarray(1 + NONCE + TAG)), decipher.final()])
      } catch {
        throw new VaultError('Sealed blob failed authentication')
      }
    },
    nikHash(nik) {
      return createHmac('sha256', macKey).update(nik, 'utf8').digest()
    },
    searchToken(field, term) {
      // The field is part of the MAC input, so a name word and a phone number never share a token.
      return createHmac('sha256', searchKey).update(`${field}\u0000${term}`, 'utf8').digest().subarray(0, SEARCH_TOKEN_BYTES)
    },
  }
}
