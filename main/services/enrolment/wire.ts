import { z } from 'zod'

/**
 * POST /v1/enrol, as the kiosk sends it and central checks it (test/central imports these schemas, so the two can't
 * drift). No bearer token: the one-time code is the credential.
 */
export const ENROL_PATH = '/v1/enrol'

export const PostId = z.string().regex(/^[A-Z0-9-]{2,20}$/)
export const BearerToken = z.string().regex(/^[A-Za-z0-9._~+/=-]{16,200}$/)
export const KeyId = z.string().regex(/^[0-9a-f]{32}$/)

export const EnrolRequest = z.strictObject({
  postId: PostId,
  code: z.string().min(1).max(40),
  /** Ed25519, base64 of SPKI DER or of the raw 32 bytes. */
  kioskPublicKey: z.string().min(40).max(200),
  kioskVersion: z.string().min(1).max(40),
})
export type EnrolRequest = z.infer<typeof EnrolRequest>

export const EnrolAnswer = z.object({
  postId: PostId,
  postName: z.string().min(1).max(120),
  token: BearerToken,
  /** X25519, base64 of SPKI DER: bundles are encrypted to it. */
  centralPublicKey: z.string().min(40).max(200),
  kioskKeyId: KeyId,
})
export type EnrolAnswer = z.infer<typeof EnrolAnswer>
