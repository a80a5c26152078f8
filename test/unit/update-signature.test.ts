import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { channelFile, fetchSignedFeed, matchesSignedFeed, UPDATE_SIGNING_PUBLIC_KEY, verifyFeedText } from '../../main/services/updates'
import { publicPem, signFeed, signingKeyFrom } from '../../scripts/sign-feed.mjs'
import { tempDir } from './helpers'

const SHA_APP = 'a'.repeat(86) + '=='
const SHA_OTHER = 'b'.repeat(86) + '=='
const yml = (version: string, sha: string) =>
  `version: ${version}\nfiles:\n  - url: posko_${version}_amd64.deb\n    sha512: ${sha}\n    size: 90000000\npath: posko_${version}_amd64.deb\nsha512: ${sha}\nreleaseDate: '2026-12-01T00:00:00.000Z'\n`

/** A release folder as `npm run dist` leaves it, signed with a fresh key. */
function signedRelease() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const dir = tempDir('posko-feed-')
  writeFileSync(join(dir, 'latest-linux.yml'), yml('1.5.0', SHA_APP))
  writeFileSync(join(dir, 'latest.yml'), yml('1.5.0', SHA_APP))
  expect(signFeed(dir, privateKey).sort()).toEqual(['latest-linux.yml', 'latest.yml'])
  return { dir, publicKey, privateKey }
}

const servers: Array<() => Promise<void>> = []
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!()
})

/** A local update server over a folder (the generic provider's layout). */
async function feedServer(dir: string): Promise<string> {
  const server = createServer((req, res) => {
    try {
      const body = readFileSync(join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname).slice(1)))
      res.writeHead(200).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`
}

describe('signed update feeds', () => {
  it('a signed feed verifies and names its version and hashes; electron-updater may then fetch exactly that', async () => {
    const { dir, publicKey } = signedRelease()
    mkdirSync(join(dir, 'feed'))
    for (const f of ['latest-linux.yml', 'latest-linux.yml.sig']) writeFileSync(join(dir, 'feed', f), readFileSync(join(dir, f)))
    const verdict = await fetchSignedFeed({ fetch, feedUrl: await feedServer(dir), file: 'latest-linux.yml', publicKey })
    expect(verdict).toEqual({ ok: true, feed: { version: '1.5.0', sha512: new Set([SHA_APP]) } })
    if (!verdict.ok) return
    expect(matchesSignedFeed({ version: '1.5.0', files: [{ sha512: SHA_APP }] }, verdict.feed)).toBe(true)
    // A tampered artifact (another hash), another version, or nothing named: refused.
    expect(matchesSignedFeed({ version: '1.5.0', files: [{ sha512: SHA_OTHER }] }, verdict.feed)).toBe(false)
    expect(matchesSignedFeed({ version: '1.6.0', files: [{ sha512: SHA_APP }] }, verdict.feed)).toBe(false)
    expect(matchesSignedFeed({ version: '1.5.0', files: [] }, verdict.feed)).toBe(false)
  })

  it('a tampered feed, a missing signature, another key or a giant file are refused', async () => {
    const { dir, publicKey } = signedRelease()
    mkdirSync(join(dir, 'feed'))
    const feedUrl = await feedServer(dir)
    const check = () => fetchSignedFeed({ fetch, feedUrl, file: 'latest-linux.yml', publicKey })

    writeFileSync(join(dir, 'feed', 'latest-linux.yml'), yml('1.5.0', SHA_OTHER))
    writeFileSync(join(dir, 'feed', 'latest-linux.yml.sig'), readFileSync(join(dir, 'latest-linux.yml.sig')))
    expect(await check()).toEqual({ ok: false, reason: 'bad_signature' })

    writeFileSync(join(dir, 'feed', 'latest-linux.yml'), readFileSync(join(dir, 'latest-linux.yml')))
    expect(await check()).toMatchObject({ ok: true })
    expect(await fetchSignedFeed({ fetch, feedUrl, file: 'latest-linux.yml', publicKey: generateKeyPairSync('ed25519').publicKey })).toEqual({ ok: false, reason: 'bad_signature' })

    writeFileSync(join(dir, 'feed', 'latest-linux.yml.sig'), 'not base64 at all')
    expect(await check()).toEqual({ ok: false, reason: 'bad_signature' })

    writeFileSync(join(dir, 'feed', 'other.yml'), yml('1.5.0', SHA_APP))
    expect(await fetchSignedFeed({ fetch, feedUrl, file: 'other.yml', publicKey })).toEqual({ ok: false, reason: 'unsigned' })

    writeFileSync(join(dir, 'feed', 'latest-linux.yml'), Buffer.alloc(200_000, 0x61))
    expect(await check()).toEqual({ ok: false, reason: 'unreadable' })
    expect(await fetchSignedFeed({ fetch, feedUrl: 'http://127.0.0.1:9/', file: 'latest-linux.yml', publicKey })).toEqual({ ok: false, reason: 'unreachable' })
  })

  it('only a verified text is read: a signature over other bytes does not vouch for these', () => {
    const { dir, publicKey } = signedRelease()
    const signature = readFileSync(join(dir, 'latest.yml.sig'), 'utf8')
    expect(verifyFeedText(readFileSync(join(dir, 'latest.yml')), signature, publicKey)).toMatchObject({ ok: true })
    expect(verifyFeedText(Buffer.from(yml('9.9.9', SHA_OTHER)), signature, publicKey)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('npm run dist refuses to build without the signing key, in one line, and reads a PEM or a file', () => {
    const missing = signingKeyFrom({})
    expect(missing.key).toBeNull()
    expect(missing.problem).toMatch(/^Posko: POSKO_UPDATE_SIGNING_KEY is not set, so the update feed in release\/ is NOT signed/)
    const { privateKey } = generateKeyPairSync('ed25519')
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const file = join(tempDir(), 'signing.pem')
    writeFileSync(file, pem)
    for (const value of [pem, file]) {
      const found = signingKeyFrom({ POSKO_UPDATE_SIGNING_KEY: value })
      expect(found.problem).toBeNull()
      expect(publicPem(found.key!)).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }))
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    expect(signingKeyFrom({ POSKO_UPDATE_SIGNING_KEY: rsa }).problem).toMatch(/not an Ed25519 private key/)
  })

  it('the pinned key is an Ed25519 public key, and channel files are named as electron-updater names them', () => {
    expect(createPublicKey(UPDATE_SIGNING_PUBLIC_KEY).asymmetricKeyType).toBe('ed25519')
    expect(channelFile('latest', 'linux', 'x64')).toBe('latest-linux.yml')
    expect(channelFile('pilot', 'linux', 'arm64')).toBe('pilot-linux-arm64.yml')
    expect(channelFile('latest', 'win32', 'x64')).toBe('latest.yml')
    expect(channelFile('latest', 'darwin', 'arm64')).toBe('latest-mac.yml')
  })
})
