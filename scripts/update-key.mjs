// `npm run update-key -- <private key file>`: a new Ed25519 key pair for signing update feeds. The private key goes
// to the file named (mode 0600; keep it offline, it is what turns a feed into code on every post); the public key
// is pinned into main/services/updates/update-key.ts, so the next build trusts feeds signed with it.
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const target = process.argv[2]
if (!target) {
  console.error('usage: npm run update-key -- <file for the private key>')
  process.exit(2)
}
if (existsSync(target)) {
  console.error(`Posko: ${target} exists; a signing key is never overwritten.`)
  process.exit(1)
}
const { privateKey, publicKey } = generateKeyPairSync('ed25519')
writeFileSync(target, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
const pinned = join(dirname(fileURLToPath(import.meta.url)), '..', 'main', 'services', 'updates', 'update-key.ts')
writeFileSync(
  pinned,
  `/**
 * The public key every update feed must be signed with (Ed25519, SPKI PEM), pinned in the app: a compromised or
 * impersonated update server cannot turn its files into code on the posts without the private key, which IT keeps
 * offline. \`npm run update-key -- <private key file>\` makes a new pair and rewrites this file (docs/updates.md).
 */
export const UPDATE_SIGNING_PUBLIC_KEY = \`${publicKey.export({ type: 'spki', format: 'pem' })}\`
`,
)
console.log(`Posko: private key in ${target} (keep it offline); public key pinned in main/services/updates/update-key.ts. Rebuild and release.`)
