import { z } from 'zod'
import { BearerToken, KeyId, PostId } from '../platform/identity'
import { BoxPublicKeyWire, PostRoster, TlsCertificateWire } from '../platform/post-roster'

/**
 * POST /v1/enrol, as the kiosk sends it and central checks it (test/central imports these schemas, so the two can't
 * drift). No bearer token: the one-time code is the credential.
 */
export const ENROL_PATH = '/v1/enrol'


export const EnrolRequest = z.strictObject({
  postId: PostId,
  code: z.string().min(1).max(40),
  /** Ed25519, base64 of SPKI DER or of the raw 32 bytes. */
  kioskPublicKey: z.string().min(40).max(200),
  kioskVersion: z.string().min(1).max(40),
  /** The post network's identity (platform/post-roster.ts); optional: kiosks from before it enrol without. */
  tlsCertificate: TlsCertificateWire.optional(),
  boxPublicKey: BoxPublicKeyWire.optional(),
})
export type EnrolRequest = z.infer<typeof EnrolRequest>

export const EnrolAnswer = z.object({
  postId: PostId,
  postName: z.string().min(1).max(120),
  token: BearerToken,
  /** X25519, base64 of SPKI DER: bundles are encrypted to it. */
  centralPublicKey: z.string().min(40).max(200),
  kioskKeyId: KeyId,
  /** The post's roster and the post key sealed to this kiosk, when it sent its TLS certificate. */
  roster: PostRoster.optional(),
})
export type EnrolAnswer = z.infer<typeof EnrolAnswer>
