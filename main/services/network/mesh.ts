import type { Logger } from '../platform/logger'
import type { ChannelDeps, PeerConnection } from './channel'
import { ChannelError, connectToPeer } from './channel'
import type { Candidate, Discovery } from './discovery'

/**
 * Keeps this desk connected to every desk it can find, continuously (VxPollBook's behaviour): each round it connects
 * to candidates it has no connection to, and runs `visit` (a status exchange, the log pull) on each connection. A desk
 * that has not answered for `goneAfterMs` (VxPollBook: 10 s) is dropped and shown as gone; since candidates are
 * tried again every round (an address that failed waits a little longer each time, 5 s at most), it comes back by
 * itself when it answers again.
 */
export const GONE_AFTER_MS = 10_000
const MAX_RETRY_MS = 5_000

export interface MeshOptions {
  channel: ChannelDeps
  discovery: Pick<Discovery, 'candidates' | 'refresh'>
  /** One exchange with a connected desk; throwing counts as not answering. */
  visit: (connection: PeerConnection) => Promise<void>
  logger: Logger
  roundMs?: number
  goneAfterMs?: number
}

export interface Mesh {
  /** One round now (tests and the first start); rounds never overlap. */
  round(): Promise<void>
  start(): void
  stop(): void
  connected(): PeerConnection[]
}

interface Link {
  connection: PeerConnection
  address: string
  lastOk: number
}

export function createMesh(options: MeshOptions): Mesh {
  // Four times a second: a registration at one desk is known at the others within a second (BENCHMARKS.md,
  // network); an idle round is one small request per desk.
  const roundMs = options.roundMs ?? 250
  const goneAfterMs = options.goneAfterMs ?? GONE_AFTER_MS
  const links = new Map<string, Link>()
  const retry = new Map<string, { at: number; failures: number }>()
  let running: Promise<void> | null = null
  let timer: NodeJS.Timeout | null = null
  let rounds = 0

  const key = (c: Pick<Candidate, 'host' | 'port'>) => `${c.host}:${c.port}`

  function drop(kioskId: string, why: string): void {
    const link = links.get(kioskId)
    if (!link) return
    links.delete(kioskId)
    link.connection.close()
    options.channel.peers.gone(kioskId)
    options.logger.debug('network: dropped a desk', { kioskId, why })
  }

  async function connect(candidate: Candidate, now: number): Promise<void> {
    const address = key(candidate)
    const wait = retry.get(address)
    if (wait && wait.at > now) return
    try {
      const connection = await connectToPeer(options.channel, candidate)
      retry.delete(address)
      if (stopped) return connection.close()
      const existing = links.get(connection.peer.kioskId)
      if (existing && !existing.connection.closed) {
        // The same desk by another route (mDNS and config both list it): one connection is enough.
        connection.close()
        return
      }
      links.set(connection.peer.kioskId, { connection, address, lastOk: Date.now() })
    } catch (error) {
      const failures = (wait?.failures ?? 0) + 1
      retry.set(address, { at: now + Math.min(MAX_RETRY_MS, 250 * 2 ** failures), failures })
      if (!(error instanceof ChannelError)) options.logger.warn('network: connecting failed unexpectedly', { address, error: String(error) })
    }
  }

  async function visit(kioskId: string, link: Link): Promise<void> {
    if (link.connection.closed) return drop(kioskId, 'closed')
    try {
      await options.visit(link.connection)
      link.lastOk = Date.now()
      options.channel.peers.seen(kioskId)
    } catch (error) {
      options.logger.debug('network: a desk did not answer', { kioskId, error: (error as Error).message })
      if (link.connection.closed || Date.now() - link.lastOk > goneAfterMs) drop(kioskId, 'no answer')
    }
  }

  let stopped = false

  async function doRound(): Promise<void> {
    if (stopped) return
    const now = Date.now()
    for (const [kioskId, link] of links) if (now - link.lastOk > goneAfterMs) drop(kioskId, `silent for ${goneAfterMs} ms`)
    if (rounds++ % 10 === 0) options.discovery.refresh()
    const linked = new Set([...links.values()].map((l) => l.address))
    await Promise.all(options.discovery.candidates().filter((c) => !linked.has(key(c))).map((c) => connect(c, now)))
    if (stopped) return
    await Promise.all([...links].map(([kioskId, link]) => visit(kioskId, link)))
  }

  function round(): Promise<void> {
    running ??= doRound().finally(() => {
      running = null
    })
    return running
  }

  function schedule(): void {
    timer = setTimeout(() => {
      void round().finally(() => {
        if (timer !== null) schedule()
      })
    }, roundMs)
  }

  return {
    round,
    start() {
      stopped = false
      if (timer === null) schedule()
    },
    stop() {
      stopped = true
      if (timer !== null) clearTimeout(timer)
      timer = null
      for (const kioskId of [...links.keys()]) drop(kioskId, 'stopped')
    },
    connected: () => [...links.values()].map((l) => l.connection),
  }
}
