import type { KeyObject } from 'node:crypto'
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto'

/**
 * The kiosk's long-lived TLS identity for the post network (DESIGN §11): an ECDSA P-256 key and a self-signed
 * certificate over it. Peers pin the certificate's SHA-256 as central's roster lists it (Syncthing's device ids),
 * so there is no CA and nothing in the certificate but its key matters; it is valid for 20 years, like Syncthing's,
 * because renewing it would mean a new fingerprint on every peer's roster.
 *
 * P-256 rather than Ed25519: every TLS 1.3 stack (OpenSSL in Node and Electron alike) signs handshakes with it.
 * node:crypto reads certificates but cannot make one; @peculiar/x509 writes the DER (it needs the Reflect metadata
 * polyfill, loaded here lazily with it: a kiosk makes its certificate once, not at every start).
 */
export interface TlsIdentity {
  /** DER of the self-signed certificate. */
  certificate: Buffer
  privateKey: KeyObject
}

const VALID_YEARS = 20
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

export async function createTlsIdentity(commonName: string, now: Date): Promise<TlsIdentity> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(webcrypto as never)
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
  const notAfter = new Date(now)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '7'),
    name: `CN=${commonName.replace(/[^A-Za-z0-9-]/g, '')}`,
    // An hour's slack: a peer whose clock is a little behind must not find the certificate not yet valid.
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  try {
    return { certificate: Buffer.from(certificate.rawData), privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) }
  } finally {
    pkcs8.fill(0)
  }
}

/** Lower-case hex SHA-256 of the certificate's DER: what the roster lists and peers pin. */
export function certificateSha256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

export type CertificateFault = 'not_a_certificate' | 'wrong_key_type' | 'not_self_signed' | 'expired'

/**
 * Checks a certificate as a post-network identity: DER X.509, an EC P-256 key, signed by that key, valid now.
 * Central checks it at registration, peers at every handshake.
 */
export function checkTlsCertificate(der: Uint8Array, now: Date): { ok: true; certificate: X509Certificate } | { ok: false; fault: CertificateFault } {
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(der)
  } catch {
    return { ok: false, fault: 'not_a_certificate' }
  }
  const key = certificate.publicKey
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return { ok: false, fault: 'wrong_key_type' }
  if (!certificate.verify(key)) return { ok: false, fault: 'not_self_signed' }
  const t = now.getTime()
  if (t < Date.parse(certificate.validFrom) || t > Date.parse(certificate.validTo)) return { ok: false, fault: 'expired' }
  return { ok: true, certificate }
}
