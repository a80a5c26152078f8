import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KioskConfig } from '../../common/config'
import type { Diagnostics } from '../../common/operations'
import type { KioskOptions } from '../../main/services/kiosk'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { chooseKeyProtection, keyCheckValue, VaultKeyError } from '../../main/services/security/key-protection'
import { createFileKeyProvider, createSealedKeyProvider } from '../../main/services/security/keys'
import { openDatabase } from '../../main/services/store/db'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { testConfig } from '../fixtures/config'
import { tempDir, TEST_PIN } from './helpers'

/** A stand-in for the OS keyring: reversible, and able to say it is gone. */
function fakeKeyring(state = { gone: false }) {
  return {
    encrypt: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
    decrypt: (sealed: Buffer) => {
      if (state.gone) throw new Error('keyring locked')
      return Buffer.from(sealed).reverse().toString('utf8')
    },
  }
}

async function boot(dataDir: string, options: Partial<KioskOptions> = {}) {
  const kiosk = createTestKiosk({
    dataDir,
    config: KioskConfig.parse({ ...testConfig, ...(options.config ?? {}) }),
    version: 't',
    logger: createMemoryLogger(),
    resourcesDir: resolve('resources'),
    retentionSchedule: false,
    heartbeat: { autoStart: false, afterUploads: false },
    upload: { autoStart: false },
    demoOperator: { id: 'sup', name: 'Sup', pin: TEST_PIN },
    ...options,
  })
  await kiosk.ready
  await kiosk.sessions.signIn('sup', TEST_PIN)
  return kiosk
}

function startError(run: () => unknown): VaultKeyError {
  try {
    run()
  } catch (error) {
    if (error instanceof VaultKeyError) return error
    throw error
  }
  throw new Error('expected the kiosk to refuse to start')
}

describe('which protection the vault key gets', () => {
  const none = { keyring: false, tpm: false, none: false }
  it.each([
    ['a new kiosk with a keyring', none, { keyring: 'available', tpm: true }, { use: 'keyring' }],
    ['a new kiosk with only a TPM', none, { keyring: 'unavailable', tpm: true }, { use: 'tpm' }],
    ['a new kiosk whose keyring is basic_text (a fixed password)', none, { keyring: 'basic_text', tpm: false }, { use: 'none' }],
    ['a new kiosk with basic_text and a TPM', none, { keyring: 'basic_text', tpm: true }, { use: 'tpm' }],
    ['a new kiosk with nothing', none, { keyring: 'unavailable', tpm: false }, { use: 'none' }],
    // The audit's finding: booted once without a keyring, then with one. The key on disk decides: no second key.
    ['a kiosk with a plain key file, now with a keyring', { ...none, none: true }, { keyring: 'available', tpm: true }, { use: 'none' }],
    ['a keyring-sealed key, keyring still there', { ...none, keyring: true }, { keyring: 'available', tpm: false }, { use: 'keyring' }],
    ['a keyring-sealed key, keyring gone', { ...none, keyring: true }, { keyring: 'unavailable', tpm: true }, { refuse: 'keyring_gone' }],
    ['a keyring-sealed key, keyring now basic_text', { ...none, keyring: true }, { keyring: 'basic_text', tpm: false }, { refuse: 'keyring_gone' }],
    ['a TPM-sealed key, TPM gone', { ...none, tpm: true }, { keyring: 'available', tpm: false }, { refuse: 'tpm_gone' }],
  ] as const)('%s', (_name, present, offer, choice) => {
    expect(chooseKeyProtection(present, offer)).toEqual(choice)
  })
})

describe('a kiosk holding sealed data never makes a new key', () => {
  it('a missing key stops the start with one clear line, and writes no key', async () => {
    const dataDir = tempDir()
    const first = await boot(dataDir)
    expect(await first.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: true })
    first.close()
    // What the audit reproduced: the next boot reaches for another provider (a keyring that appeared), or the file went.
    const error = startError(() => createTestKiosk({ dataDir, config: testConfig, version: 't', logger: createMemoryLogger(), resourcesDir: resolve('resources'), keyProvider: createSealedKeyProvider(dataDir, fakeKeyring()) }))
    expect(error.reason).toBe('missing')
    expect(error.message).toMatch(/^Kunci brankas data hilang.*The vault key is missing.*IT: restore the key file/)
    expect(existsSync(join(dataDir, 'vault.key.sealed'))).toBe(false)
  })

  it('a wrong key is refused by the stored key check before anything is written under it', async () => {
    const dataDir = tempDir()
    const first = await boot(dataDir)
    expect(await first.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: true })
    first.close()
    writeFileSync(join(dataDir, 'vault.key'), randomBytes(32), { mode: 0o600 })
    expect(startError(() => createTestKiosk({ dataDir, config: testConfig, version: 't', logger: createMemoryLogger(), resourcesDir: resolve('resources') })).reason).toBe('wrong')
  })

  it('a kiosk from before key checks proves its key on a sealed record, then stores the check', async () => {
    const dataDir = tempDir()
    const first = await boot(dataDir)
    expect(await first.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: true })
    first.close()
    const file = openDatabase(join(dataDir, 'posko.db'))
    file.prepare("DELETE FROM settings WHERE key = 'vaultKeyCheck'").run()
    file.close()
    const key = createFileKeyProvider(dataDir).loadOrCreate()
    // Its own key: accepted, and the check is stored for next time.
    const again = await boot(dataDir)
    again.close()
    const stored = openDatabase(join(dataDir, 'posko.db'))
    expect(stored.prepare("SELECT value FROM settings WHERE key = 'vaultKeyCheck'").pluck().get()).toBe(keyCheckValue(key))
    stored.prepare("DELETE FROM settings WHERE key = 'vaultKeyCheck'").run()
    stored.close()
    // Another key: the sample record does not open under it.
    writeFileSync(join(dataDir, 'vault.key'), randomBytes(32), { mode: 0o600 })
    expect(startError(() => createTestKiosk({ dataDir, config: testConfig, version: 't', logger: createMemoryLogger(), resourcesDir: resolve('resources') })).reason).toBe('wrong')
  })

  it('a keyring that can no longer open its sealed key stops the start (keyring_gone), never a fresh key', async () => {
    const dataDir = tempDir()
    const keyring = { gone: false }
    const first = await boot(dataDir, { keyProvider: createSealedKeyProvider(dataDir, fakeKeyring(keyring)) })
    expect(await first.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: true })
    first.close()
    keyring.gone = true
    const before = readdirSync(dataDir).sort()
    expect(startError(() => createTestKiosk({ dataDir, config: testConfig, version: 't', logger: createMemoryLogger(), resourcesDir: resolve('resources'), keyProvider: createSealedKeyProvider(dataDir, fakeKeyring(keyring)) })).reason).toBe('keyring_gone')
    expect(readdirSync(dataDir).sort()).toEqual(before)
  })

  it('key check values differ per key and do not reveal it', () => {
    const a = randomBytes(32)
    const b = randomBytes(32)
    expect(keyCheckValue(a)).toMatch(/^[0-9a-f]{32}$/)
    expect(keyCheckValue(a)).toBe(keyCheckValue(Buffer.from(a)))
    expect(keyCheckValue(a)).not.toBe(keyCheckValue(b))
    expect(keyCheckValue(a)).not.toContain(a.toString('hex').slice(0, 8))
  })
})

describe('a packaged kiosk with an unprotected key', () => {
  it('registers nobody unless IT allowed it in config, and says so on diagnostics', async () => {
    const blocked = await boot(tempDir(), { requireKeyProtection: true })
    expect(await blocked.call('registration.submit', { draft: makeDraft() })).toMatchObject({ ok: false, error: { code: 'unavailable', details: { reason: 'key_unprotected' } } })
    const report = (await blocked.call('diagnostics.get')) as { ok: true; value: Diagnostics }
    expect(report.value.keyProtection).toEqual({ kind: 'none', registering: false })

    const allowed = await boot(tempDir(), { requireKeyProtection: true, config: KioskConfig.parse({ ...testConfig, allowUnprotectedKey: true }) })
    expect(await allowed.call('registration.submit', { draft: makeDraft({ nik: nikFor(2) }) })).toMatchObject({ ok: true })
    expect(((await allowed.call('diagnostics.get')) as { ok: true; value: Diagnostics }).value.keyProtection).toEqual({ kind: 'none', registering: true })

    const dir = tempDir()
    const keyring = await boot(dir, { requireKeyProtection: true, keyProvider: createSealedKeyProvider(dir, fakeKeyring()) })
    expect(await keyring.call('registration.submit', { draft: makeDraft({ nik: nikFor(3) }) })).toMatchObject({ ok: true })
    expect(((await keyring.call('diagnostics.get')) as { ok: true; value: Diagnostics }).value.keyProtection).toEqual({ kind: 'keyring', registering: true })
    for (const k of [blocked, allowed, keyring]) k.close()
  })
})
