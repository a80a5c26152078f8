import type { Logger } from '../platform/logger'
import type { PeerRefusal } from '../../../common/network'

/**
 * The typed peer list IT's screen shows: every desk of the post this kiosk has seen or spoken to, and every device
 * it refused with why ("Perangkat dari posko lain": other_post). Capped: a LAN full of strangers cannot grow it
 * without bound (the oldest refused entries go first). A refusal is logged when a device is first refused or its
 * reason changes, not at every retry.
 */
export type PeerSource = 'mdns' | 'config' | 'inbound'

export interface PeerEntry {
  /** The roster's kiosk id for a desk of the post; null for a refused device. */
  kioskId: string | null
  /** The roster's desk name, or what a refused device claimed to be (never trusted). */
  name: string | null
  certSha256: string | null
  address: string
  state: 'connected' | 'refused' | 'gone'
  reason: PeerRefusal | null
  source: PeerSource
  lastSeenAt: string
}

export interface PeerList {
  accepted(input: { kioskId: string; name: string; certSha256: string; address: string; source: PeerSource }): void
  refused(input: { certSha256: string | null; address: string; reason: NonNullable<PeerEntry['reason']>; claimedName?: string | null; source: PeerSource }): void
  gone(kioskId: string): void
  /** A connected desk answered an exchange: its "last seen" moves on (no log line, no change event). */
  seen(kioskId: string): void
  /** A desk's connection to us ended: gone, unless this desk also reaches it itself (then the mesh decides). */
  inboundClosed(kioskId: string): void
  list(): PeerEntry[]
}

export const MAX_REFUSED = 64

export function createPeerList(deps: { logger: Logger; now: () => Date; onChange?: () => void }): PeerList {
  const desks = new Map<string, PeerEntry>()
  const refused = new Map<string, PeerEntry>()
  const changed = () => deps.onChange?.()

  return {
    accepted({ kioskId, name, certSha256, address, source }) {
      const before = desks.get(kioskId)
      // How this desk found the other (mDNS, IT's address) says more than that the other also dialled in.
      const found = source === 'inbound' && before?.state === 'connected' ? before : { address, source }
      desks.set(kioskId, { kioskId, name, certSha256, address: found.address, state: 'connected', reason: null, source: found.source, lastSeenAt: deps.now().toISOString() })
      refused.delete(certSha256)
      if (before?.state !== 'connected') {
        deps.logger.info('network: desk connected', { kioskId, name, address })
        changed()
      }
    },
    refused({ certSha256, address, reason, claimedName = null, source }) {
      const key = certSha256 ?? `address:${address}`
      const before = refused.get(key)
      refused.delete(key)
      refused.set(key, { kioskId: null, name: claimedName?.slice(0, 40) ?? null, certSha256, address, state: 'refused', reason, source, lastSeenAt: deps.now().toISOString() })
      while (refused.size > MAX_REFUSED) refused.delete(refused.keys().next().value!)
      // A desk of the post that turned bad (revoked) leaves the desks.
      for (const [id, desk] of desks) if (certSha256 !== null && desk.certSha256 === certSha256) desks.delete(id)
      if (before?.reason !== reason) {
        deps.logger.warn('network: refused a device', { reason, address, certSha256 })
        changed()
      }
    },
    gone(kioskId) {
      const desk = desks.get(kioskId)
      if (desk && desk.state === 'connected') {
        desks.set(kioskId, { ...desk, state: 'gone' })
        deps.logger.info('network: desk gone', { kioskId, name: desk.name })
        changed()
      }
    },
    seen(kioskId) {
      const desk = desks.get(kioskId)
      if (desk?.state === 'connected') desk.lastSeenAt = deps.now().toISOString()
    },
    inboundClosed(kioskId) {
      if (desks.get(kioskId)?.source === 'inbound') this.gone(kioskId)
    },
    list: () => [...desks.values(), ...refused.values()],
  }
}
