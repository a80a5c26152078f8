import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileDurable } from '../platform/durable-file'

/**
 * How the vault's master key is kept at rest: sealed by the OS keyring (Electron safeStorage with a real backend:
 * DPAPI, Keychain, libsecret/kwallet), sealed by the TPM (systemd-creds), or `none`: a 0600 file anyone who can read
 * the disk can use (development, tests, and a post IT explicitly allowed so in config).
 */
export type KeyProtection = 'keyring' | 'tpm' | 'none'

/** Where the vault's 32-byte master key comes from. */
export interface KeyProvider {
  readonly kind: KeyProtection
  /** A key is on disk already (then it is only ever read, never replaced). */
  exists(): boolean
  loadOrCreate(): Buffer
}

export const KEY_BYTES = 32

/** One file per protection, so a kiosk never mistakes a key sealed one way for another. */
export const SEALED_KEY_FILES = { keyring: 'vault.key.sealed', tpm: 'vault.key.tpm' } as const
export const RAW_KEY_FILE = 'vault.key'

/**
 * Dev/test key provider: a 0600 file beside the database, written durably: a power cut never leaves a half-written
 * key (which would make every sealed record unreadable), nor a key lost after records were sealed with it.
 */
export function createFileKeyProvider(dataDir: string, fileName = RAW_KEY_FILE): KeyProvider {
  const file = join(dataDir, fileName)
  return {
    kind: 'none',
    exists: () => existsSync(file),
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
  kind: 'keyring' | 'tpm' = 'keyring',
  fileName = SEALED_KEY_FILES[kind],
): KeyProvider {
  const file = join(dataDir, fileName)
  return {
    kind,
    exists: () => existsSync(file),
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
