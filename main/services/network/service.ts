import type { Logger } from '../platform/logger'
import type { ChannelDeps, ChannelLimits, PeerConnection, PeerServer, StrangerHandler } from './channel'
import { PeerRequestError, startPeerServer } from './channel'
import type { Candidate, Discovery } from './discovery'
import { startDiscovery } from './discovery'
import type { Mesh } from './mesh'
import { createMesh } from './mesh'
import type { PeerEntry, PeerList } from './peers'
import { createPeerList } from './peers'
import type { RosterKiosk } from '../platform/post-roster'
import type { PostTrust } from './trust'

/**
 * The post network as the kiosk runs it: the TLS server other desks connect to, discovery (mDNS and IT's addresses)
 * and the mesh that keeps a connection to every desk found. It starts once the kiosk is enrolled and holds a roster
 * (a kiosk that never reached central has nobody to trust yet), and starts by itself when the first roster arrives.
 */
export type PeerMethod = (params: unknown, peer: RosterKiosk) => Promise<unknown> | unknown

export interface NetworkSettings {
  port: number
  /** Where to listen: all interfaces in production, 127.0.0.1 in tests. */
  host: string
  /** IT's addresses ("host:port") where multicast does not reach. */
  peers: readonly string[]
  mdns: boolean
  mdnsInterface?: string
}

export interface NetworkServiceOptions {
  trust: PostTrust
  postId: string
  kioskId: () => string | null
  settings: NetworkSettings
  logger: Logger
  now: () => Date
  /** What other desks may ask this one (the log pull registers here). */
  methods?: Record<string, PeerMethod>
  /** One exchange per connected desk per round (default: `status`). */
  visit?: (connection: PeerConnection) => Promise<void>
  limits?: Partial<ChannelLimits>
  roundMs?: number
  goneAfterMs?: number
  /** The peer list (kiosk.ts makes it, so the log sync can list a desk that sent a bad page). */
  peers?: PeerList
  /**
   * Pairing by code (pairing.ts): while this is true (never reached central) the network runs without a roster, so
   * this desk is seen as waiting to pair, and devices the roster does not list may call `pair.*` (`strangers`).
   */
  pairable?: () => boolean
  strangers?: StrangerHandler
}

export interface NetworkService {
  /** Starts if it can (enrolled, with a roster); resolves with the listening port, or null when it cannot yet. */
  start(): Promise<number | null>
  stop(): Promise<void>
  peers(): PeerEntry[]
  /** Tests run rounds by hand. */
  mesh(): Mesh | null
  /** What the channel needs (pairing connects with it); null while stopped. */
  channel(): ChannelDeps | null
  /** Desks found (mDNS, IT's addresses), trusted or not. */
  candidates(): Candidate[]
}

export function createNetworkService(options: NetworkServiceOptions): NetworkService {
  const { trust, logger, now } = options
  const peers: PeerList = options.peers ?? createPeerList({ logger, now })
  let server: PeerServer | null = null
  let discovery: Discovery | null = null
  let mesh: Mesh | null = null
  let starting: Promise<number | null> | null = null
  let wanted = false

  const methods: Record<string, PeerMethod> = {
    status: () => ({ kioskId: options.kioskId(), at: now().toISOString() }),
    ...options.methods,
  }

  let channel: ChannelDeps | null = null

  async function doStart(): Promise<number | null> {
    if (server) return server.port
    const pairable = options.pairable?.() ?? false
    // A desk that may pair is known by its certificate, made here if it is not yet.
    if (pairable) await trust.identity()
    const kioskId = options.kioskId()
    if (!kioskId || (!trust.roster() && !pairable)) {
      logger.info('network: not started: the kiosk has no roster from central yet')
      return null
    }
    channel = {
      identity: () => trust.identity(),
      roster: () => trust.roster(),
      postId: options.postId,
      kioskId: options.kioskId,
      peers,
      logger,
      now,
      limits: options.limits,
      strangers: () => options.pairable?.() ?? false,
    }
    server = await startPeerServer(
      channel,
      async (method, params, peer) => {
        const run = Object.hasOwn(methods, method) ? methods[method] : undefined
        if (!run) throw new PeerRequestError('unknown_method')
        return run(params, peer)
      },
      { host: options.settings.host, port: options.settings.port },
      options.strangers,
    )
    discovery = startDiscovery({
      postId: options.postId,
      kioskId,
      port: server.port,
      configured: options.settings.peers,
      mdns: options.settings.mdns,
      mdnsInterface: options.settings.mdnsInterface,
      logger,
    })
    mesh = createMesh({
      channel,
      discovery,
      visit: options.visit ?? (async (connection) => void (await connection.request('status', null))),
      logger,
      roundMs: options.roundMs,
      goneAfterMs: options.goneAfterMs,
    })
    mesh.start()
    logger.info('network: listening for the post\'s desks', { port: server.port, mdns: options.settings.mdns, configured: options.settings.peers.length })
    return server.port
  }

  trust.onRosterChange(() => {
    if (wanted && !server) void start()
  })

  function start(): Promise<number | null> {
    wanted = true
    starting ??= doStart()
      .catch((error: unknown) => {
        logger.error('network: could not start', { error: (error as Error).message })
        return null
      })
      .finally(() => {
        starting = null
      })
    return starting
  }

  return {
    start,
    async stop() {
      wanted = false
      // At once, not after a start in progress: the kiosk closes its database right after calling this.
      mesh?.stop()
      await starting
      mesh?.stop()
      mesh = null
      await discovery?.stop()
      discovery = null
      await server?.close()
      server = null
      channel = null
    },
    peers: () => peers.list(),
    mesh: () => mesh,
    channel: () => channel,
    candidates: () => discovery?.candidates() ?? [],
  }
}
