import { Bonjour } from 'bonjour-service'
import type { Logger } from '../platform/logger'

/**
 * Finding the post's other desks (DESIGN §11): DNS-SD over mDNS, `_posko._tcp`, TXT `post` and `kiosk` (ids only,
 * nothing personal: anyone on the LAN can read them), through bonjour-service. Chosen over @homebridge/ciao, which
 * only advertises (we must browse too), and over bare multicast-dns, whose packets we would then assemble and parse
 * ourselves; bonjour-service is multicast-dns with service records, TXT and browsing done, in TypeScript. A TXT claim
 * only says where to try: who a peer is, the TLS channel decides against the roster.
 *
 * Multicast is often blocked (managed Wi-Fi, client isolation), so addresses IT typed into config.json count as
 * found too, always. Found is not connected: the mesh (mesh.ts) connects, and forgets what stops answering.
 */
export const SERVICE_TYPE = 'posko'

export interface Candidate {
  host: string
  port: number
  source: 'mdns' | 'config'
  /** What the advertisement claimed (never trusted); null for configured addresses. */
  claimed: { postId: string; kioskId: string } | null
}

export interface Discovery {
  candidates(): Candidate[]
  /** Asks the LAN again (new desks answer at once instead of at their next announcement). */
  refresh(): void
  stop(): Promise<void>
}

export interface DiscoveryOptions {
  postId: string
  kioskId: string
  port: number
  /** IT's addresses, "host:port". */
  configured: readonly string[]
  /** mDNS on/off (config); off: configured addresses only. */
  mdns: boolean
  /** The interface address to multicast on (tests in a namespace); default: the OS's choice. */
  mdnsInterface?: string
  logger: Logger
}

export function parseAddress(text: string, defaultPort: number): { host: string; port: number } | null {
  const match = /^\[?([0-9A-Za-z.:-]+?)\]?(?::(\d{1,5}))?$/.exec(text.trim())
  if (!match) return null
  const port = match[2] === undefined ? defaultPort : Number(match[2])
  return port > 0 && port < 65536 ? { host: match[1]!, port } : null
}

export function startDiscovery(options: DiscoveryOptions): Discovery {
  const configured: Candidate[] = options.configured.flatMap((text) => {
    const address = parseAddress(text, options.port)
    if (!address) options.logger.warn('network: a configured peer address is not host:port; ignored', { address: text.slice(0, 80) })
    return address ? [{ ...address, source: 'config' as const, claimed: null }] : []
  })
  if (!options.mdns) {
    return { candidates: () => configured, refresh: () => undefined, stop: async () => undefined }
  }
  const bonjour = new Bonjour(
    { ...(options.mdnsInterface ? { interface: options.mdnsInterface } : {}) } as never,
    (error: Error) => options.logger.warn('network: mDNS unavailable; configured addresses only', { error: error.message }),
  )
  // The name must be unique on the LAN; the kiosk id is (and says nothing about anyone).
  bonjour.publish({ name: `posko-${options.kioskId.slice(0, 16)}`, type: SERVICE_TYPE, port: options.port, txt: { post: options.postId, kiosk: options.kioskId, v: '1' }, disableIPv6: true })
  const browser = bonjour.find({ type: SERVICE_TYPE })

  function found(): Candidate[] {
    return browser.services.flatMap((service) => {
      const txt = (service.txt ?? {}) as Record<string, unknown>
      const kioskId = typeof txt.kiosk === 'string' ? txt.kiosk.slice(0, 64) : ''
      if (kioskId === options.kioskId) return []
      const postId = typeof txt.post === 'string' ? txt.post.slice(0, 40) : ''
      // The sender's address is the one that reached us; the A records list every interface it has.
      const host = service.referer?.address ?? service.addresses?.find((a) => a.includes('.'))
      if (!host || !service.port) return []
      return [{ host, port: service.port, source: 'mdns' as const, claimed: { postId, kioskId } }]
    })
  }

  return {
    candidates: () => [...configured, ...found()],
    refresh: () => browser.update(),
    stop: () =>
      new Promise<void>((resolve) => {
        browser.stop()
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()))
      }),
  }
}
