import type { KeyObject } from 'node:crypto'
import { z } from 'zod'

/**
 * Who this kiosk is to central: the post it belongs to, the key id central knows it by, and the bearer token it
 * was issued. Every feature that talks to central or signs for the kiosk takes these from here, so a post id means
 * one thing everywhere (test/central checks the wire with the same schemas).
 */
export const PostId = z.string().regex(/^[A-Z0-9-]{2,20}$/)
export const BearerToken = z.string().regex(/^[A-Za-z0-9._~+/=-]{16,200}$/)
export const KeyId = z.string().regex(/^[0-9a-f]{32}$/)

/** What the uploader and the bundle service need. Keys are KeyObjects in memory only (JSON.stringify shows `{}`). */
export interface KioskCredentials {
  token: string
  centralUrl: string
  postId: string
  centralPublicKey: KeyObject
  kioskSigningKey: KeyObject
  kioskKeyId: string
}
