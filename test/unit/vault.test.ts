import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileKeyProvider, createSealedKeyProvider } from '../../main/services/security/keys'
import { createVault, VaultError } from '../../main/services/security/vault'
import { tempDir } from './helpers'

describe('vault', () => {
  const vault = createVault(Buffer.alloc(32, 7))

  it('opens what it sealed, with the same associated data', () => {
    const sealed = vault.seal(Buffer.from('SITI'), 'record-1')
    expect(vault.open(sealed, 'record-1').toString()).toBe('SITI')
    expect(sealed.includes(Buffer.from('SITI'))).toBe(false)
  })

  it('uses a fresh nonce each time: the same plaintext never seals the same', () => {
    expect(vault.seal(Buffer.from('x'), 'a').equals(vault.seal(Buffer.from('x'), 'a'))).toBe(false)
  })

  it('refuses a blob moved to another record, a flipped bit, a truncated blob, or another key', () => {
    const sealed = vault.seal(Buffer.from('SITI'), 'record-1')
    expect(() => vault.open(sealed, 'record-2')).toThrow(VaultError)
    const flipped = Buffer.from(sealed)
    flipped[flipped.length - 1]! ^= 1
    expect(() => vault.open(flipped, 'record-1')).toThrow(VaultError)
    expect(() => vault.open(sealed.subarray(0, 20), 'record-1')).toThrow(VaultError)
    expect(() => createVault(Buffer.alloc(32, 8)).open(sealed, 'record-1')).toThrow(VaultError)
  })

  it('hashes a NIK with a key: stable per kiosk, different across kiosks, never the NIK itself', () => {
    const nik = '3578014101900003'
    expect(vault.nikHash(nik).equals(vault.nikHash(nik))).toBe(true)
    expect(vault.nikHash(nik).equals(createVault(Buffer.alloc(32, 9)).nikHash(nik))).toBe(false)
    expect(vault.nikHash(nik).toString('hex')).not.toContain(nik)
  })

  it('refuses a key of the wrong size', () => {
    expect(() => createVault(Buffer.alloc(16))).toThrow(VaultError)
  })
})

describe('key providers', () => {
  it('the file provider creates a 0600 key once and returns the same key after', () => {
    const dir = tempDir()
    const key = createFileKeyProvider(dir).loadOrCreate()
    expect(key).toHaveLength(32)
    expect(statSync(join(dir, 'vault.key')).mode & 0o777).toBe(0o600)
    expect(createFileKeyProvider(dir).loadOrCreate().equals(key)).toBe(true)
  })

  it('the sealed provider never writes the key in the clear', () => {
    const dir = tempDir()
    // A stand-in for safeStorage: reversible, and visibly not the identity.
    const seal = {
      encrypt: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
      decrypt: (b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length), 'hex').toString(),
    }
    const key = createSealedKeyProvider(dir, seal).loadOrCreate()
    const onDisk = statSync(join(dir, 'vault.key.sealed'))
    expect(onDisk.mode & 0o777).toBe(0o600)
    expect(createSealedKeyProvider(dir, seal).loadOrCreate().equals(key)).toBe(true)
  })
})
