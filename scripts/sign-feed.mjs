// Signs the update feed's channel files (release/*.yml) for the pinned key in main/services/updates/update-key.ts:
// `<file>.sig` is the base64 Ed25519 signature of the file's exact bytes. `npm run dist` calls it; kiosks refuse a
// feed without a valid signature (docs/updates.md).
import { createPrivateKey, createPublicKey, sign } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SIGNING_KEY_ENV = 'POSKO_UPDATE_SIGNING_KEY'

/** The private key from the environment: a PEM, or a path to one. Null with the line to print when it is missing. */
export function signingKeyFrom(env) {
  const value = env[SIGNING_KEY_ENV]
  if (!value) {
    return {
      key: null,
      problem: `Posko: ${SIGNING_KEY_ENV} is not set, so the update feed in release/ is NOT signed and every kiosk will refuse it. Set it to the private key (PEM, or a file holding it) that matches main/services/updates/update-key.ts.`,
    }
  }
  const pem = value.includes('BEGIN') ? value : readFileSync(value, 'utf8')
  const key = createPrivateKey(pem)
  if (key.asymmetricKeyType !== 'ed25519') return { key: null, problem: `Posko: ${SIGNING_KEY_ENV} is not an Ed25519 private key.` }
  return { key, problem: null }
}

/** Signs every channel file in `dir`; returns the files signed. */
export function signFeed(dir, privateKey) {
  const signed = []
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const file = join(dir, name)
    writeFileSync(`${file}.sig`, `${sign(null, readFileSync(file), privateKey).toString('base64')}\n`)
    signed.push(name)
  }
  return signed
}

/** The public half, as update-key.ts pins it. */
export function publicPem(privateKey) {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })
}
