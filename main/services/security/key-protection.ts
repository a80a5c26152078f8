import { createHmac, timingSafeEqual } from 'node:crypto'
import type { KeyProtection, KeyProvider } from './keys'
import { createVault } from './vault'

/** What the OS offers for sealing the vault key, as main finds it at start. */
export interface SealingOffer {
  /** Electron safeStorage: a real backend, `basic_text` (a hard-coded password: no protection), or none. */
  keyring: 'available' | 'basic_text' | 'unavailable'
  /** systemd-creds can seal to this machine's TPM2 chip. */
  tpm: boolean
}

/** Which key files are on disk already. */
export interface KeyFilesPresent {
  keyring: boolean
  tpm: boolean
  none: boolean
}

export type KeyProtectionChoice = { use: KeyProtection } | { refuse: 'keyring_gone' | 'tpm_gone' }

/**
 * The protection this kiosk uses. A key already on disk decides: the kiosk never makes a second key beside it, so
 * records sealed under the first stay readable (the audit's "boot without a keyring, then with one" made a new key
 * and orphaned every record). When the way a key was sealed is gone (the keyring locked, the TPM cleared) the kiosk
 * stops instead. Only a kiosk with no key yet chooses: the keyring, else the TPM, else none. `basic_text` is
 * refused as protection: it seals with a fixed password.
 */
export function chooseKeyProtection(present: KeyFilesPresent, offer: SealingOffer): KeyProtectionChoice {
  if (present.keyring) return offer.keyring === 'available' ? { use: 'keyring' } : { refuse: 'keyring_gone' }
  if (present.tpm) return offer.tpm ? { use: 'tpm' } : { refuse: 'tpm_gone' }
  if (present.none) return { use: 'none' }
  if (offer.keyring === 'available') return { use: 'keyring' }
  if (offer.tpm) return { use: 'tpm' }
  return { use: 'none' }
}

/**
 * A key check value: proves a key is the one this kiosk's data was sealed with, without revealing the key (an HMAC
 * of a fixed label). Stored beside the data at first start; a key that does not match it is refused before a single
 * record is written under it.
 */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update('posko vault key check v1').digest().subarray(0, 16).toString('hex')
}

export function matchesKeyCheck(key: Buffer, stored: string): boolean {
  const expected = Buffer.from(keyCheckValue(key), 'hex')
  const actual = Buffer.from(stored, 'hex')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Why the kiosk cannot open its own data; main shows `message` in one dialog and stops. */
export class VaultKeyError extends Error {
  readonly reason: 'missing' | 'wrong' | 'keyring_gone' | 'tpm_gone'
  constructor(reason: VaultKeyError['reason']) {
    super(VAULT_KEY_MESSAGES[reason])
    this.name = 'VaultKeyError'
    this.reason = reason
  }
}

const RECOVERY =
  'IT: pulihkan berkas kunci (vault.key*) dari cadangan ke folder data, atau pindahkan posko.db ke tempat lain dan daftarkan ulang perangkat. ' +
  'Bundel USB yang sudah diekspor tetap dapat dibuka pusat. / IT: restore the key file (vault.key*) from backup into the data folder, or move ' +
  'posko.db aside and enrol the kiosk again. USB bundles already exported can still be opened by central.'

const VAULT_KEY_MESSAGES: Record<VaultKeyError['reason'], string> = {
  missing: `Kunci brankas data hilang; data di perangkat ini tidak dapat dibuka. / The vault key is missing; this kiosk's data cannot be opened. ${RECOVERY}`,
  wrong: `Kunci brankas tidak cocok dengan data di perangkat ini. / The vault key does not match this kiosk's data. ${RECOVERY}`,
  keyring_gone: `Kunci brankas disegel oleh keyring sistem, yang kini tidak tersedia (sesi terkunci atau profil lain?). / The vault key is sealed by the OS keyring, which is not available now (locked session or another profile?). ${RECOVERY}`,
  tpm_gone: `Kunci brankas disegel oleh TPM, yang kini tidak dapat membukanya. / The vault key is sealed by the TPM, which cannot open it now. ${RECOVERY}`,
}

/**
 * The vault key this kiosk's data was sealed with, or a VaultKeyError: never a new key beside sealed data. A kiosk
 * from before key checks (no stored check) proves the key on one sealed record before the check is stored.
 */
export function openVaultKey(deps: {
  provider: KeyProvider
  /** The stored key check value, if the kiosk has one. */
  storedCheck: string | undefined
  /** One sealed record (its id is the associated data), if any exists. */
  sample: { id: string; sealed: Buffer } | undefined
  saveCheck: (value: string) => void
}): Buffer {
  const { provider } = deps
  const holdsData = deps.storedCheck !== undefined || deps.sample !== undefined
  if (holdsData && !provider.exists()) throw new VaultKeyError('missing')
  let key: Buffer
  try {
    key = provider.loadOrCreate()
  } catch {
    throw new VaultKeyError(provider.kind === 'keyring' ? 'keyring_gone' : provider.kind === 'tpm' ? 'tpm_gone' : 'wrong')
  }
  if (deps.storedCheck !== undefined) {
    if (!matchesKeyCheck(key, deps.storedCheck)) throw new VaultKeyError('wrong')
    return key
  }
  if (deps.sample) {
    try {
      createVault(key).open(deps.sample.sealed, deps.sample.id)
    } catch {
      throw new VaultKeyError('wrong')
    }
  }
  deps.saveCheck(keyCheckValue(key))
  return key
}
