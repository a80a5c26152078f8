import { z } from 'zod'
import { KeyId, PostId } from './identity'

/**
 * The post's roster (DESIGN §11 "who may talk"): which kiosks of a post exist, the SHA-256 of each one's TLS
 * certificate, and whether central revoked it. Central hands it out in the enrolment answer and in every heartbeat
 * answer; peers accept exactly these fingerprints. With it comes the post key (the post-wide NIK HMAC's key),
 * sealed to this kiosk's X25519 box key (security/sealed-box.ts), so only the kiosk it was made for can open it.
 * Enrolment and the fleet heartbeat carry it on their wires; the network feature keeps and uses it; kiosk.ts joins
 * them through `PostTrustLink`.
 */
export const CertSha256 = z.string().regex(/^[0-9a-f]{64}$/)
const Base64 = (min: number, max: number) => z.string().min(min).max(max).regex(/^[A-Za-z0-9+/]+={0,2}$/)

/** base64 of the certificate's DER: a P-256 self-signed certificate is ~300 bytes, a few KB is room enough. */
export const TlsCertificateWire = Base64(100, 4096)
/** X25519, base64 of SPKI DER or of the raw 32 bytes (as the bundle key). */
export const BoxPublicKeyWire = Base64(40, 200)
/** The sealed 32-byte post key: version, ephemeral key, nonce, tag, 32 bytes. */
export const SealedPostKeyWire = Base64(100, 200)

export const RosterKiosk = z.strictObject({
  kioskId: KeyId,
  /** How staff and IT name the desk ("Meja 2"): central numbers a post's kiosks in enrolment order. */
  name: z.string().min(1).max(40),
  certSha256: CertSha256,
  revoked: z.boolean(),
})
export type RosterKiosk = z.infer<typeof RosterKiosk>

export const PostRoster = z.strictObject({
  postId: PostId,
  issuedAt: z.iso.datetime({ offset: true }),
  kiosks: z.array(RosterKiosk).max(256),
  /** Null while this kiosk has no box key registered (an older kiosk before its next heartbeat). */
  sealedPostKey: SealedPostKeyWire.nullable(),
})
export type PostRoster = z.infer<typeof PostRoster>

/** What a kiosk registers with central: its TLS certificate and the X25519 key the post key is sealed to. */
export interface TrustRegistration {
  tlsCertificate: string
  boxPublicKey: string
}

/**
 * Declared here, implemented by the network feature, passed by kiosk.ts to enrolment and the heartbeat: they send
 * `registration()` to central and hand whatever roster central answers to `accept`.
 */
export interface PostTrustLink {
  /** Makes the kiosk's identity on first use (async: key generation), then returns the same one every time. */
  registration(): Promise<TrustRegistration>
  /** True once central's roster lists this kiosk's certificate: the heartbeat stops sending it then. */
  registered(): boolean
  /** A roster from central; refused (logged) if it is not for `postId`. Never throws. */
  accept(postId: string, roster: PostRoster): void
}

/** The context labels of the post key's sealed box (central seals, the kiosk opens). */
export const POST_KEY_BOX_CONTEXT = 'post-key'
