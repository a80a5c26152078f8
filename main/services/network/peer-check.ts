import { certificateSha256, checkTlsCertificate } from '../security/tls-identity'
import type { KnownRoster } from './trust'
import type { RosterKiosk } from '../platform/post-roster'

/**
 * Whether a peer may talk to this kiosk: exactly the roster's fingerprints, like Syncthing's device ids (DESIGN §11).
 * The TLS handshake has already proved the peer holds the private key of the certificate it presented (TLS 1.3's
 * CertificateVerify), so a copied certificate without its key never gets here; what is checked is the certificate
 * itself. The peer's claimed post only names the refusal ("Perangkat dari posko lain"); it never admits anyone.
 */
export type RefusalReason = 'no_certificate' | 'bad_certificate' | 'unknown' | 'revoked' | 'other_post' | 'no_roster' | 'self'

export type PeerVerdict = { ok: true; kiosk: RosterKiosk; certSha256: string } | { ok: false; reason: RefusalReason; certSha256: string | null }

export function checkPeer(input: {
  certificate: Uint8Array | null
  claimedPostId: string | null
  roster: KnownRoster | null
  ownPostId: string
  ownCertSha256: string
  now: Date
}): PeerVerdict {
  if (!input.certificate || input.certificate.length === 0) return { ok: false, reason: 'no_certificate', certSha256: null }
  const certSha256 = certificateSha256(input.certificate)
  if (!checkTlsCertificate(input.certificate, input.now).ok) return { ok: false, reason: 'bad_certificate', certSha256 }
  if (certSha256 === input.ownCertSha256) return { ok: false, reason: 'self', certSha256 }
  if (input.claimedPostId !== null && input.claimedPostId !== input.ownPostId) return { ok: false, reason: 'other_post', certSha256 }
  if (!input.roster || input.roster.postId !== input.ownPostId) return { ok: false, reason: 'no_roster', certSha256 }
  const kiosk = input.roster.kiosks.find((k) => k.certSha256 === certSha256)
  if (!kiosk) return { ok: false, reason: 'unknown', certSha256 }
  if (kiosk.revoked) return { ok: false, reason: 'revoked', certSha256 }
  return { ok: true, kiosk, certSha256 }
}
