import { parsePublicKey, rawPublicKey } from '../../main/services/security/public-keys'
import { sealToX25519 } from '../../main/services/security/sealed-box'
import { certificateSha256, checkTlsCertificate } from '../../main/services/security/tls-identity'
import type { PostRoster } from '../../main/services/platform/post-roster'
import { POST_KEY_BOX_CONTEXT } from '../../main/services/platform/post-roster'
import { HttpError } from './http'
import type { CentralStore } from './store'

/**
 * The post network's trust at central (DESIGN §11): a kiosk registers its TLS certificate (central keeps only the
 * SHA-256, after checking it is a self-signed P-256 certificate) and its X25519 box key; central answers the post's
 * roster, every kiosk of the post with a certificate and whether it is revoked, and the post key sealed to the
 * asking kiosk's box key. A revoked kiosk's token no longer authenticates, so it never hears a roster again; the
 * others hear of the revocation at their next heartbeat.
 */
export interface TrustInput {
  tlsCertificate?: string
  boxPublicKey?: string
}

/** Checked before anything is stored: a bad certificate refuses the whole request (400), as a bad key does. */
export function parseTrust(input: TrustInput, now: string): { certSha256: string; boxPublicKey: Buffer } | null {
  if (input.tlsCertificate === undefined && input.boxPublicKey === undefined) return null
  if (input.tlsCertificate === undefined || input.boxPublicKey === undefined) {
    throw new HttpError(400, 'invalid_certificate', 'tlsCertificate and boxPublicKey come together')
  }
  const der = Buffer.from(input.tlsCertificate, 'base64')
  const checked = checkTlsCertificate(der, new Date(now))
  if (!checked.ok) throw new HttpError(400, 'invalid_certificate', `tlsCertificate: ${checked.fault} (a self-signed ECDSA P-256 certificate, base64 DER)`)
  const box = parsePublicKey(input.boxPublicKey, 'x25519')
  if (!box) throw new HttpError(400, 'invalid_key', 'boxPublicKey must be an X25519 public key, base64 of SPKI DER or of the raw 32 bytes')
  return { certSha256: certificateSha256(der), boxPublicKey: rawPublicKey(box) }
}

/** The roster as `keyId` (a kiosk of `postId`) receives it: desks numbered in enrolment order. */
export function rosterFor(store: CentralStore, postId: string, keyId: string, now: string): PostRoster | undefined {
  const rows = store.postTrust(postId)
  const self = rows.find((r) => r.keyId === keyId)
  if (!self?.tlsCertSha256 || !self.boxPublicKey) return undefined
  const kiosks = rows.flatMap((r, i) =>
    r.tlsCertSha256 ? [{ kioskId: r.keyId, name: `Meja ${i + 1}`, certSha256: r.tlsCertSha256, revoked: r.revokedAt !== null }] : [],
  )
  const box = parsePublicKey(self.boxPublicKey.toString('base64'), 'x25519')!
  const sealedPostKey = self.revokedAt === null ? sealToX25519(box, store.postKey(postId, now), POST_KEY_BOX_CONTEXT).toString('base64') : null
  return { postId, issuedAt: now, kiosks, sealedPostKey }
}
