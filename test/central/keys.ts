import type { KeyObject } from 'node:crypto'
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Central's own X25519 key pair: kiosks encrypt offline bundles to its public half (DESIGN.md §7). */
export interface CentralKeys {
  bundlePrivateKey: KeyObject
  bundlePublicKey: KeyObject
}

export const bundleKeyPath = (dataDir: string) => join(dataDir, 'bundle-key.pem')

/**
 * Loads `<data>/bundle-key.pem` (PKCS#8 PEM, 0600), creating it on first use. Created under a temp name and
 * hard-linked into place, which fails if the file appeared meanwhile: a server and the CLI starting together can't
 * end up holding different keys (one of them would then be unable to open bundles).
 */
export function loadOrCreateCentralKeys(dataDir: string): CentralKeys {
  const file = bundleKeyPath(dataDir)
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('x25519')
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 })
    try {
      linkSync(tmp, file)
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error
    } finally {
      rmSync(tmp, { force: true })
    }
  }
  const bundlePrivateKey = createPrivateKey(readFileSync(file))
  if (bundlePrivateKey.asymmetricKeyType !== 'x25519') throw new Error(`${file} is not an X25519 private key`)
  return { bundlePrivateKey, bundlePublicKey: createPublicKey(bundlePrivateKey) }
}
