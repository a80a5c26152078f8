import type { KeyObject } from 'node:crypto'
import { createPrivateKey } from 'node:crypto'
import { z } from 'zod'
import type { Vault } from '../security/vault'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'
import { parsePublicKey } from '../security/public-keys'
import { KeyId, PostId } from '../platform/identity'

/**
 * What enrolment leaves on the kiosk, as ONE settings row: a crash can't leave a token without its key or a key
 * for another post. The token and the private key are sealed by the vault (AES-GCM, the key sealed by the OS in
 * production); everything else is public and stays readable for the status screen without opening anything.
 */
export const SETTINGS_KEY = 'enrolment'
export const TOKEN_AAD = 'enrolment:token'
export const KIOSK_KEY_AAD = 'enrolment:kiosk-key'

const Stored = z.strictObject({
  v: z.literal(1),
  postId: PostId,
  postName: z.string().min(1),
  centralUrl: z.string().min(1),
  enrolledAt: z.string(),
  kioskKeyId: KeyId,
  kioskPublicKey: z.string(),
  centralPublicKey: z.string(),
  sealedToken: z.string(),
  sealedKioskKey: z.string(),
})
export type StoredEnrolment = z.infer<typeof Stored>

export interface OpenedEnrolment {
  token: string
  kioskSigningKey: KeyObject
  centralPublicKey: KeyObject
}

export function readEnrolment(settings: SettingsRepository): StoredEnrolment | null {
  return readJsonSetting(settings, SETTINGS_KEY, Stored)
}

export function writeEnrolment(
  settings: SettingsRepository,
  vault: Vault,
  fields: Omit<StoredEnrolment, 'v' | 'sealedToken' | 'sealedKioskKey'>,
  secrets: { token: string; kioskPrivateKey: KeyObject },
  now: Date,
): void {
  const pkcs8 = secrets.kioskPrivateKey.export({ format: 'der', type: 'pkcs8' })
  const stored: StoredEnrolment = {
    v: 1,
    ...fields,
    sealedToken: vault.seal(Buffer.from(secrets.token, 'utf8'), TOKEN_AAD).toString('base64'),
    sealedKioskKey: vault.seal(pkcs8, KIOSK_KEY_AAD).toString('base64'),
  }
  pkcs8.fill(0)
  settings.set(SETTINGS_KEY, JSON.stringify(stored), now)
}

/** Unseals the secrets; throws (VaultError) if the vault key changed or a blob was tampered with. */
export function openEnrolment(stored: StoredEnrolment, vault: Vault): OpenedEnrolment {
  const token = vault.open(Buffer.from(stored.sealedToken, 'base64'), TOKEN_AAD).toString('utf8')
  const pkcs8 = vault.open(Buffer.from(stored.sealedKioskKey, 'base64'), KIOSK_KEY_AAD)
  try {
    const kioskSigningKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    const centralPublicKey = parsePublicKey(stored.centralPublicKey, 'x25519')
    if (!centralPublicKey) throw new Error('stored central public key is not X25519')
    return { token, kioskSigningKey, centralPublicKey }
  } finally {
    // The plaintext key bytes are not needed once they are a KeyObject; don't leave them for the GC to find.
    pkcs8.fill(0)
  }
}
