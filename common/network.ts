import { z } from 'zod'

/**
 * The post network as IT's screen shows it (issue 21): every desk of the post this kiosk has found, and every device
 * it refused with why: `other_post` is "Perangkat dari posko lain" (a kiosk enrolled to another post), `revoked` one
 * central revoked, `unknown` a certificate the roster does not list, `bad_certificate` / `handshake_failed` / the
 * frame and page faults a device that does not speak the post network properly. Ids and names only.
 */
export const PeerRefusal = z.enum([
  'no_certificate',
  'bad_certificate',
  'unknown',
  'revoked',
  'other_post',
  'no_roster',
  'self',
  'handshake_failed',
  'bad_frame',
  'frame_too_large',
  'frame_timeout',
  'bad_page',
])
export type PeerRefusal = z.infer<typeof PeerRefusal>

export const PeerView = z.object({
  kioskId: z.string().nullable(),
  name: z.string().nullable(),
  certSha256: z.string().nullable(),
  address: z.string(),
  state: z.enum(['connected', 'refused', 'gone']),
  reason: PeerRefusal.nullable(),
  source: z.enum(['mdns', 'config', 'inbound']),
  lastSeenAt: z.iso.datetime({ offset: true }),
})
export type PeerView = z.infer<typeof PeerView>

export const PeerListView = z.object({ peers: z.array(PeerView) })
export type PeerListView = z.infer<typeof PeerListView>
