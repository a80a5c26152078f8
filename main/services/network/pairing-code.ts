import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * The short code two supervisors compare when pairing desks of a post that never reached central (issue 21.1):
 * Bluetooth Secure Simple Pairing's numeric comparison, with the two TLS certificates' SHA-256 fingerprints in the
 * place of the two public keys and SHA-256 in the place of AES-CMAC (f4 → `commitment`, g2 → `pairingCode`).
 *
 * Why nonces and a commitment, not just a hash of the two fingerprints: a 6-digit code over fingerprints alone can be
 * ground offline — a man in the middle makes certificates until code(A, M1) = code(M2, B), about a million key
 * pairs, minutes of work — and fingerprints are public (any TLS handshake shows them). Here the responder commits to
 * its nonce before it sees the initiator's, and the initiator's nonce is fresh, so whoever sits in the middle gets one
 * guess per attempt at a one-in-a-million code, and each failed attempt is two supervisors saying "not the same".
 * The channel itself stays mutual TLS 1.3 with the desks' own certificates: the code only decides whether each
 * supervisor's desk is talking to the certificate the other desk holds.
 */
export const PAIRING_CODE_DIGITS = 6
const LABEL = 'posko-pairing-v1'

function digest(parts: readonly (string | Buffer)[]): Buffer {
  const h = createHash('sha256')
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part
    // Length-prefixed: no two different part lists hash the same bytes.
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    h.update(length).update(bytes)
  }
  return h.digest()
}

/** The responder's commitment to its nonce (sent before it sees the initiator's). */
export function commitment(responderSha256: string, initiatorSha256: string, responderNonce: Buffer): Buffer {
  return digest([LABEL, 'commit', responderSha256, initiatorSha256, responderNonce])
}

export function commitmentHolds(expected: Buffer, responderSha256: string, initiatorSha256: string, responderNonce: Buffer): boolean {
  const actual = commitment(responderSha256, initiatorSha256, responderNonce)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** The code both screens show: both fingerprints (initiator first) and both nonces, reduced to 6 digits. */
export function pairingCode(initiatorSha256: string, responderSha256: string, initiatorNonce: Buffer, responderNonce: Buffer): string {
  const h = digest([LABEL, 'code', initiatorSha256, responderSha256, initiatorNonce, responderNonce])
  // 64 bits mod 10^6: the bias (2^64 is not a multiple of 10^6) is below 10^-13.
  return (h.readBigUInt64BE(0) % 10n ** BigInt(PAIRING_CODE_DIGITS)).toString().padStart(PAIRING_CODE_DIGITS, '0')
}
