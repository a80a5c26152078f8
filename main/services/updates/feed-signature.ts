import type { KeyObject } from 'node:crypto'
import { createPublicKey, verify } from 'node:crypto'
import { readCapped, readCappedBytes, ResponseTooLargeError } from '../central/read-capped'

/**
 * Signed update feeds. electron-updater trusts the channel file (latest.yml, latest-linux.yml) it downloads and
 * checks the installer only against the sha512 written in that same file; on Linux nothing else is checked. So the
 * release step signs each channel file (`<file>.sig`, Ed25519 over its exact bytes, scripts/sign-feed.mjs) and the
 * kiosk checks it against the pinned key before it downloads anything, then checks that what electron-updater is
 * about to fetch is what the signed file names.
 */

/** The channel file electron-updater reads for this platform (its providers' naming). */
export function channelFile(channel: string, platform: NodeJS.Platform, arch: string): string {
  if (platform === 'darwin') return `${channel}-mac.yml`
  if (platform === 'linux') return arch === 'x64' ? `${channel}-linux.yml` : `${channel}-linux-${arch}.yml`
  return `${channel}.yml`
}

export interface SignedFeed {
  version: string
  /** Every sha512 the signed file names (installers, blockmaps). */
  sha512: ReadonlySet<string>
}

export type FeedVerdict = { ok: true; feed: SignedFeed } | { ok: false; reason: 'unsigned' | 'bad_signature' | 'unreadable' | 'unreachable' }

/** Checks `text` against its detached signature; reads the version and hashes only from a text that verified. */
export function verifyFeedText(text: Buffer, signatureBase64: string, publicKey: KeyObject | string): FeedVerdict {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  const signature = Buffer.from(signatureBase64.trim(), 'base64')
  if (signature.length !== 64 || !verify(null, text, key, signature)) return { ok: false, reason: 'bad_signature' }
  const yml = text.toString('utf8')
  const version = /^version:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(yml)?.[1]
  const sha512 = new Set([...yml.matchAll(/sha512:\s*['"]?([A-Za-z0-9+/=]{80,100})['"]?/g)].map((m) => m[1]!))
  if (!version || sha512.size === 0) return { ok: false, reason: 'unreadable' }
  return { ok: true, feed: { version, sha512 } }
}

/** Fetches the channel file and its signature from the feed and verifies them. */
export async function fetchSignedFeed(options: {
  fetch: typeof fetch
  feedUrl: string
  file: string
  publicKey: KeyObject | string
  timeoutMs?: number
}): Promise<FeedVerdict> {
  const base = options.feedUrl.endsWith('/') ? options.feedUrl : `${options.feedUrl}/`
  const get = async (name: string): Promise<Response | null> => {
    try {
      return await options.fetch(new URL(name, base), { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000), redirect: 'error' })
    } catch {
      return null
    }
  }
  const [file, signature] = await Promise.all([get(options.file), get(`${options.file}.sig`)])
  if (!file || !signature) return { ok: false, reason: 'unreachable' }
  if (signature.status === 404) return { ok: false, reason: 'unsigned' }
  if (!file.ok || !signature.ok) return { ok: false, reason: 'unreachable' }
  // Both are small; a feed answering megabytes here is not a feed, and is not read past the cap.
  try {
    const text = await readCappedBytes(file, 64 * 1024)
    const sig = await readCapped(signature, 1024)
    return verifyFeedText(text, sig, options.publicKey)
  } catch (error) {
    if (error instanceof ResponseTooLargeError) return { ok: false, reason: 'unreadable' }
    return { ok: false, reason: 'unreachable' }
  }
}

/** What electron-updater found is what the signed file says: the same version, and only hashes the file names. */
export function matchesSignedFeed(info: { version: string; files: ReadonlyArray<{ sha512?: string }> }, feed: SignedFeed): boolean {
  if (info.version !== feed.version || info.files.length === 0) return false
  return info.files.every((f) => typeof f.sha512 === 'string' && feed.sha512.has(f.sha512))
}
