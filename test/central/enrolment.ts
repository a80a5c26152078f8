import { randomBytes } from 'node:crypto'
import { generateEnrolmentCode, normaliseEnrolmentCode } from '../../main/services/enrolment/code'
import { keyId, parsePublicKey, publicKeyToBase64, rawPublicKey } from '../../main/services/security/public-keys'
import type { EnrolAnswer, EnrolRequest } from '../../main/services/enrolment/wire'
import { sha256Hex } from './batch'
import { HttpError } from './http'
import type { CentralKeys } from './keys'
import type { Post } from './posts'
import type { CentralStore } from './store'
import { parseTrust, rosterFor } from './roster'

/**
 * Enrolment at central: IT issues a one-time code for a post (`npm run central -- enrol <postId>`); a kiosk redeems
 * it with its Ed25519 public key and gets a bearer token of its own plus central's X25519 bundle key.
 *
 * Each kiosk gets its own token (stored as SHA-256) that authenticates as its post, rather than the post's single
 * token being rotated: a post may run two kiosks, and enrolling the second must not log the first out. posts.json
 * tokens keep working (demo kiosks and tests use them).
 */
export const CODE_TTL_MS = 7 * 24 * 3600 * 1000

export const codeDigest = (postId: string, normalisedCode: string) => sha256Hex(`${postId}:${normalisedCode}`)
export const tokenDigest = (token: string) => sha256Hex(token)

export interface IssuedCode {
  postId: string
  /** As IT reads it out: "ABCD-EFGH-JKMN". Shown once; central keeps only its hash. */
  code: string
  expiresAt: string
}

export function issueEnrolmentCode(store: CentralStore, post: Post, options: { now?: Date; ttlMs?: number } = {}): IssuedCode {
  const now = options.now ?? new Date()
  const code = generateEnrolmentCode()
  const expiresAt = new Date(now.getTime() + (options.ttlMs ?? CODE_TTL_MS)).toISOString()
  store.putEnrolmentCode({ codeSha256: codeDigest(post.postId, normaliseEnrolmentCode(code)!), postId: post.postId, now: now.toISOString(), expiresAt })
  return { postId: post.postId, code, expiresAt }
}

/** One answer for a wrong, used, expired or other post's code, and for an unknown post: nothing to probe with. */
const refused = () => new HttpError(403, 'enrolment_refused', 'enrolment code refused: wrong, already used or expired')

export function enrolKiosk(store: CentralStore, keys: CentralKeys, post: Post | undefined, request: EnrolRequest, now: string): EnrolAnswer {
  const code = normaliseEnrolmentCode(request.code)
  if (code === null) throw new HttpError(400, 'invalid_code', 'enrolment codes are 12 characters from the code alphabet')
  const publicKey = parsePublicKey(request.kioskPublicKey, 'ed25519')
  if (!publicKey) throw new HttpError(400, 'invalid_key', 'kioskPublicKey must be an Ed25519 public key, base64 of SPKI DER or of the raw 32 bytes')
  if (!post) throw refused()
  const trust = parseTrust(request, now)
  const id = keyId(publicKey)
  const digest = codeDigest(post.postId, code)
  const token = randomBytes(32).toString('base64url')

  store.transaction(() => {
    const stored = store.enrolmentCode(digest)
    if (!stored || stored.postId !== post.postId || Date.parse(stored.expiresAt) <= Date.parse(now)) throw refused()
    if (stored.usedAt !== null) {
      // The same kiosk key coming back with its code: its first answer was lost on the way. A fresh token, the
      // one it never received retired, instead of stranding the kiosk with a spent code.
      if (stored.usedBy !== id) throw refused()
      // A revoked kiosk must not get a working token back by replaying its code.
      const kiosk = store.kiosk(id)
      if (kiosk && kiosk.revokedAt !== null) throw refused()
      store.rotateKioskToken(id, tokenDigest(token), now)
      return
    }
    if (store.kiosk(id)) throw new HttpError(409, 'key_already_enrolled', 'this kiosk key is already enrolled; make a new key pair to enrol again')
    if (!store.useEnrolmentCode(digest, id, now)) throw refused()
    store.putKiosk({ keyId: id, postId: post.postId, publicKey: rawPublicKey(publicKey), tokenSha256: tokenDigest(token), kioskVersion: request.kioskVersion, codeSha256: digest, now })
    // A retried enrolment (its answer lost) carries the same identity; one already registered is kept.
    if (trust) store.setKioskTrust(id, trust.certSha256, trust.boxPublicKey)
  })
  const roster = rosterFor(store, post.postId, id, now)
  return { postId: post.postId, postName: post.name, token, centralPublicKey: publicKeyToBase64(keys.bundlePublicKey), kioskKeyId: id, ...(roster ? { roster } : {}) }
}
