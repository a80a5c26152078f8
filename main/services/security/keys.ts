import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileDurable } from '../platform/durable-file'

/** Where the vault's 32-byte master key comes from: Electron safeStorage in production, a 0600 file in dev/tests. */
export interface KeyProvider {
  readonly kind: string
  loadOrCreate(): Buffer
}

export const KEY_BYTES = 32

/**
 * Dev/test key provider: a 0600 file beside the database, written durably: a power cut never leaves a half-written
 * key (which would make every sealed record unreadable), nor a key lost after records were sealed with it.
 */
export function createFileKeyProvider(dataDir: string, fileName = 'vault.key'): KeyProvider {
  const file = join(dataDir, fileName)
  return {
    kind: 'file',
    loadOrCreate() {
      if (existsSync(file)) {
        const key = readFileSync(file)
        if (key.length !== KEY_BYTES) throw new Error(`Vault key ${file} is ${key.length} bytes, expected ${KEY_BYTES}`)
        if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
        return key
      }
      const key = randomBytes(KEY_BYTES)
      writeFileDurable(file, key)
      return key
    },
  }
}

/**
 * Production key provider: the master key is sealed by an OS facility (Electron safeStorage: DPAPI, Keychain,
 * libsecret) and only the sealed form touches the disk. Main passes the two functions in, keeping this Electron-free.
 */
export function createSealedKeyProvider(
  dataDir: string,
  seal: { encrypt(plain: string): Buffer; decrypt(sealed: Buffer): string },
  fileName = 'vault.key.sealed',
): KeyProvider {
  const file = join(dataDir, fileName)
  return {
    kind: 'sealed',
    loadOrCreate() {
      if (existsSync(file)) {
        const key = Buffer.from(seal.decrypt(readFileSync(file)), 'base64')
        if (key.length !== KEY_BYTES) throw new Error('Sealed vault key has the wrong length')
        return key
      }
      const key = randomBytes(KEY_BYTES)
      writeFileDurable(file, seal.encrypt(key.toString('base64')))
      return key
    },
  }
}
