import type { Server, TLSSocket } from 'node:tls'
import { connect, createServer } from 'node:tls'
import { X509Certificate } from 'node:crypto'
import { z } from 'zod'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import type { FrameReader } from './framing'
import { createFrameReader, encodeFrame, FrameError } from './framing'
import type { PeerVerdict, RefusalReason } from './peer-check'
import { checkPeer } from './peer-check'
import { certificateSha256 } from '../security/tls-identity'
import type { PeerList, PeerSource } from './peers'
import type { KnownRoster, NetworkIdentity } from './trust'

/**
 * The peer channel (DESIGN §11): mutual TLS 1.3 between desks of one post, each side accepting exactly the roster's
 * certificate fingerprints (peer-check.ts); node:tls does the handshake with verification of the chain switched off
 * (there is no CA) and this module does the pinning. After the handshake each side says hello (post and kiosk id),
 * then the client sends requests and the server answers, one at a time, as length-prefixed JSON frames
 * (framing.ts). Both sides re-check the peer against the current roster before every request, so a revocation
 * takes effect at the first request after the roster that carries it.
 */
export interface ChannelLimits {
  maxFrameBytes: number
  handshakeTimeoutMs: number
  /** An answer must arrive whole within this. */
  requestTimeoutMs: number
  /** A server connection with no request for this long is closed. */
  idleTimeoutMs: number
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  // A page of 500 events is ~200 KB of JSON: 4 MB is room without letting a peer make this kiosk buffer 50 MB.
  maxFrameBytes: 4 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  // Under the mesh's 10 s: a desk that stopped answering is known gone at the next round after it.
  requestTimeoutMs: 8_000,
  idleTimeoutMs: 60_000,
}

export type ChannelErrorCode = 'refused' | 'refused_by_peer' | 'handshake_failed' | 'bad_answer' | 'remote_error' | FrameError['code']

export class ChannelError extends Error {
  constructor(
    readonly code: ChannelErrorCode,
    message: string,
    readonly reason?: RefusalReason | string,
  ) {
    super(message)
    this.name = 'ChannelError'
  }
}

export interface ChannelDeps {
  identity: () => Promise<NetworkIdentity>
  roster: () => KnownRoster | null
  postId: string
  /** This kiosk's id on the roster (its enrolment key id); null before enrolment. */
  kioskId: () => string | null
  peers: PeerList
  logger: Logger
  now: () => Date
  limits?: Partial<ChannelLimits>
  /**
   * Pairing (pairing.ts): whether a device the roster does not list may be heard at all — true only while this
   * kiosk never reached central. Such a stranger, claiming this post, may call `pair.*` methods and nothing else;
   * a desk already paired may call them too (pairing again mends a pairing that ended one-sided).
   */
  strangers?: () => boolean
}

export type RequestHandler = (method: string, params: unknown, peer: RosterKiosk) => Promise<unknown>

/** A device not on the roster, as the pairing methods see it: its certificate's fingerprint, proven by TLS. */
export interface Stranger {
  certSha256: string
  /** What its hello claimed (never trusted). */
  claimedKioskId: string | null
  address: string
}
export type StrangerHandler = (method: string, params: unknown, stranger: Stranger) => Promise<unknown>
export const PAIRING_METHOD_PREFIX = 'pair.'
/** Refusals a stranger may be past for pairing: the roster does not list it (or there is no roster yet). */
const strangerReasons: ReadonlySet<RefusalReason> = new Set(['unknown', 'no_roster'])

const Hello = z.strictObject({ type: z.literal('hello'), v: z.literal(1), postId: z.string().max(40), kioskId: z.string().max(64).nullable() })
const Refused = z.strictObject({ type: z.literal('refused'), reason: z.string().max(40) })
const Request = z.strictObject({ type: z.literal('request'), id: z.number().int().nonnegative(), method: z.string().max(40), params: z.unknown() })
const Answer = z.union([
  z.strictObject({ type: z.literal('answer'), id: z.number().int().nonnegative(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ type: z.literal('answer'), id: z.number().int().nonnegative(), ok: z.literal(false), error: z.string().max(80) }),
])

/** Thrown by a request handler to answer the peer with this code (anything else answers `internal`). */
export class PeerRequestError extends Error {
  constructor(readonly code: string) {
    super(code)
    this.name = 'PeerRequestError'
  }
}

function tlsOptions(identity: NetworkIdentity) {
  return {
    cert: new X509Certificate(identity.certificate).toString(),
    key: identity.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    minVersion: 'TLSv1.3' as const,
    maxVersion: 'TLSv1.3' as const,
    // No CA: the roster's fingerprints are the trust (peer-check.ts); Node's chain check would refuse every
    // self-signed certificate before we see it.
    rejectUnauthorized: false,
  }
}

function peerCertificate(socket: TLSSocket): Buffer | null {
  const cert = socket.getPeerX509Certificate()
  return cert ? cert.raw : null
}

function remote(socket: TLSSocket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`
}

function limitsOf(deps: ChannelDeps): ChannelLimits {
  return { ...DEFAULT_CHANNEL_LIMITS, ...deps.limits }
}

function verdict(deps: ChannelDeps, identity: NetworkIdentity, certificate: Buffer | null, claimedPostId: string | null): PeerVerdict {
  return checkPeer({ certificate, claimedPostId, roster: deps.roster(), ownPostId: deps.postId, ownCertSha256: identity.certSha256, now: deps.now() })
}

function frameReason(error: unknown): 'bad_frame' | 'frame_too_large' | 'frame_timeout' | null {
  return error instanceof FrameError && error.code !== 'closed' && error.code !== 'idle_timeout' ? error.code : null
}

export interface PeerServer {
  readonly port: number
  close(): Promise<void>
}

/** Listens for desks of the post. Resolves once listening (port 0: any free port, read back from `port`). */
export async function startPeerServer(
  deps: ChannelDeps,
  handler: RequestHandler,
  listen: { host: string; port: number },
  strangerHandler?: StrangerHandler,
): Promise<PeerServer> {
  const limits = limitsOf(deps)
  const identity = await deps.identity()
  const sockets = new Set<TLSSocket>()
  const server: Server = createServer({ ...tlsOptions(identity), requestCert: true, handshakeTimeout: limits.handshakeTimeoutMs })

  server.on('tlsClientError', (error, socket) => {
    // A copied certificate without its key fails here (the client cannot sign the handshake), as does anything
    // that is not TLS 1.3 with a client certificate.
    deps.peers.refused({ certSha256: null, address: remote(socket), reason: 'handshake_failed', source: 'inbound' })
    deps.logger.debug('network: TLS handshake failed', { address: remote(socket), error: error.message })
  })

  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    void serve(socket).catch((error: unknown) => {
      socket.destroy()
      const reason = frameReason(error)
      if (reason) deps.peers.refused({ certSha256: null, address: remote(socket), reason, source: 'inbound' })
      deps.logger.debug('network: peer connection ended', { address: remote(socket), error: (error as Error).message })
    })
  })

  async function serve(socket: TLSSocket): Promise<void> {
    const reader = createFrameReader(socket, limits.maxFrameBytes)
    const certificate = peerCertificate(socket)
    const hello = Hello.safeParse(await reader.next(limits.handshakeTimeoutMs))
    if (!hello.success) throw new FrameError('bad_frame', 'the first frame is not a hello')
    const first = verdict(deps, identity, certificate, hello.data.postId)
    if (!first.ok && strangerHandler && strangerReasons.has(first.reason) && first.certSha256 && deps.strangers?.()) {
      return serveStranger(socket, reader, certificate, { certSha256: first.certSha256, claimedKioskId: hello.data.kioskId, address: remote(socket) })
    }
    if (!first.ok) return refuse(socket, first, hello.data.kioskId)
    deps.peers.accepted({ kioskId: first.kiosk.kioskId, name: first.kiosk.name, certSha256: first.certSha256, address: remote(socket), source: 'inbound' })
    // A desk known only by its calls to us has no link of ours to time out: its closed socket is its leaving.
    socket.once('close', () => deps.peers.inboundClosed(first.kiosk.kioskId))
    socket.write(encodeFrame({ type: 'hello', v: 1, postId: deps.postId, kioskId: deps.kioskId() }))
    for (;;) {
      const frame = await reader.next(limits.idleTimeoutMs).catch((error: unknown) => {
        if (error instanceof FrameError && error.code === 'idle_timeout') return null
        throw error
      })
      if (frame === null) {
        socket.end()
        return
      }
      const request = Request.safeParse(frame)
      if (!request.success) throw new FrameError('bad_frame', 'not a request')
      const now = verdict(deps, identity, certificate, hello.data.postId)
      if (!now.ok) return refuse(socket, now, hello.data.kioskId)
      // A desk this kiosk paired with may pair again, while this kiosk may pair at all: a pairing that ended
      // one-sided (this desk stored the other, whose connection dropped before it heard the answer, so it stored
      // nothing) is mended by the other desk pairing again, and it reaches this desk as a desk, not a stranger. The
      // code both supervisors compare still decides (pairing.ts); central's roster closes this as it closes strangers.
      const pairingAgain = strangerHandler !== undefined && request.data.method.startsWith(PAIRING_METHOD_PREFIX) && deps.strangers?.() === true
      let answer: unknown
      try {
        const result = pairingAgain
          ? await strangerHandler(request.data.method, request.data.params, { certSha256: now.certSha256, claimedKioskId: hello.data.kioskId, address: remote(socket) })
          : await handler(request.data.method, request.data.params, now.kiosk)
        answer = { type: 'answer', id: request.data.id, ok: true, result }
      } catch (error) {
        const code = error instanceof PeerRequestError ? error.code : 'internal'
        if (!(error instanceof PeerRequestError)) deps.logger.error('network: request handler failed', { method: request.data.method, error: (error as Error).message })
        answer = { type: 'answer', id: request.data.id, ok: false, error: code }
      }
      socket.write(encodeFrame(answer))
    }
  }

  /**
   * A device of this post (by its claim) that the roster does not list, while this kiosk may pair: it may ask the
   * pairing methods and nothing else; every request is checked again (pairing closes once central's roster is here).
   */
  async function serveStranger(socket: TLSSocket, reader: FrameReader, certificate: Buffer | null, stranger: Stranger): Promise<void> {
    socket.write(encodeFrame({ type: 'hello', v: 1, postId: deps.postId, kioskId: deps.kioskId() }))
    for (;;) {
      const frame = await reader.next(limits.idleTimeoutMs).catch((error: unknown) => {
        if (error instanceof FrameError && error.code === 'idle_timeout') return null
        throw error
      })
      if (frame === null) return void socket.end()
      const request = Request.safeParse(frame)
      if (!request.success) throw new FrameError('bad_frame', 'not a request')
      const now = verdict(deps, identity, certificate, deps.postId)
      const stillStranger = !now.ok && strangerReasons.has(now.reason) && deps.strangers?.()
      if (!stillStranger || !request.data.method.startsWith(PAIRING_METHOD_PREFIX)) {
        // Paired meanwhile: it connects again as a desk. Anything but pairing from a stranger: refused.
        if (now.ok) return void socket.end(encodeFrame({ type: 'refused', reason: 'reconnect' }))
        return refuse(socket, now.ok ? { ok: false, reason: 'unknown', certSha256: stranger.certSha256 } : now, stranger.claimedKioskId)
      }
      let answer: unknown
      try {
        answer = { type: 'answer', id: request.data.id, ok: true, result: await strangerHandler!(request.data.method, request.data.params, stranger) }
      } catch (error) {
        const code = error instanceof PeerRequestError ? error.code : 'internal'
        if (!(error instanceof PeerRequestError)) deps.logger.error('network: pairing request failed', { method: request.data.method, error: (error as Error).message })
        answer = { type: 'answer', id: request.data.id, ok: false, error: code }
      }
      socket.write(encodeFrame(answer))
    }
  }

  function refuse(socket: TLSSocket, v: Extract<PeerVerdict, { ok: false }>, claimed: string | null): void {
    if (v.reason !== 'self') deps.peers.refused({ certSha256: v.certSha256, address: remote(socket), reason: v.reason, claimedName: claimed, source: 'inbound' })
    socket.end(encodeFrame({ type: 'refused', reason: v.reason }))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : listen.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

export interface PeerConnection {
  readonly peer: RosterKiosk
  request(method: string, params: unknown): Promise<unknown>
  close(): void
  readonly closed: boolean
}

/** Connects to a desk at host:port, says hello, checks its certificate against the roster. */
export async function connectToPeer(
  deps: ChannelDeps,
  target: { host: string; port: number; source: PeerSource },
  /** Pairing: the desk at the other end is not on the roster yet (`peer` then names it by its fingerprint). */
  mode: 'desk' | 'pairing' = 'desk',
): Promise<PeerConnection> {
  const limits = limitsOf(deps)
  const identity = await deps.identity()
  const address = `${target.host}:${target.port}`
  const socket = connect({ ...tlsOptions(identity), host: target.host, port: target.port, checkServerIdentity: () => undefined })
  socket.on('error', () => undefined)
  const reader = createFrameReader(socket, limits.maxFrameBytes)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new ChannelError('handshake_failed', `no TLS handshake with ${address} within ${limits.handshakeTimeoutMs} ms`))
    }, limits.handshakeTimeoutMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(new ChannelError('handshake_failed', `TLS with ${address}: ${error.message}`))
    })
    socket.once('close', () => {
      clearTimeout(timer)
      reject(new ChannelError('handshake_failed', `${address} closed the connection during the handshake`))
    })
  })
  const certificate = peerCertificate(socket)
  socket.write(encodeFrame({ type: 'hello', v: 1, postId: deps.postId, kioskId: deps.kioskId() }))
  const first = await read(reader, limits.handshakeTimeoutMs, address, socket, deps)
  const refusedBy = Refused.safeParse(first)
  if (refusedBy.success) {
    socket.destroy()
    throw new ChannelError('refused_by_peer', `${address} refused this kiosk (${refusedBy.data.reason})`, refusedBy.data.reason)
  }
  const hello = Hello.safeParse(first)
  if (!hello.success) {
    socket.destroy()
    deps.peers.refused({ certSha256: null, address, reason: 'bad_frame', source: target.source })
    throw new ChannelError('bad_answer', `${address} did not answer hello`)
  }
  const check = (): { kiosk: RosterKiosk; certSha256: string } => {
    const v = verdict(deps, identity, certificate, hello.data.postId)
    if (mode === 'pairing' && !v.ok && strangerReasons.has(v.reason) && v.certSha256) {
      // Who it is, the code both supervisors compare decides (pairing.ts); here only that it is a valid stranger.
      return { kiosk: { kioskId: v.certSha256.slice(0, 32), name: '?', certSha256: v.certSha256, revoked: false }, certSha256: v.certSha256 }
    }
    if (!v.ok) {
      socket.destroy()
      if (v.reason !== 'self') deps.peers.refused({ certSha256: v.certSha256, address, reason: v.reason, claimedName: hello.data.kioskId, source: target.source })
      throw new ChannelError('refused', `refused ${address}: ${v.reason}`, v.reason)
    }
    return v
  }
  const accepted = check()
  const peer = accepted.kiosk
  if (mode === 'desk') deps.peers.accepted({ kioskId: peer.kioskId, name: peer.name, certSha256: accepted.certSha256, address, source: target.source })
  let nextId = 1
  let busy = false
  let closed = false
  /** close() was called (not the peer's or the socket's doing). */
  let closedHere = false
  socket.once('close', () => {
    closed = true
  })
  return {
    peer,
    get closed() {
      return closed || socket.destroyed
    },
    async request(method, params) {
      if (busy) throw new ChannelError('bad_answer', 'one request at a time on a peer connection')
      check()
      busy = true
      try {
        const id = nextId++
        socket.write(encodeFrame({ type: 'request', id, method, params }))
        const frame = await read(reader, limits.requestTimeoutMs, address, socket, deps, target.source)
        // Closed here while the answer was on its way: close() only half-closes, and whoever closed (the network
        // stopping, the database about to close) must not have an answer acted on after it.
        if (closedHere) throw new ChannelError('closed', `${address}: this desk closed the connection before the answer came`)
        const refusal = Refused.safeParse(frame)
        if (refusal.success) {
          socket.destroy()
          throw new ChannelError('refused_by_peer', `${address} refused this kiosk (${refusal.data.reason})`, refusal.data.reason)
        }
        const answer = Answer.safeParse(frame)
        if (!answer.success || answer.data.id !== id) {
          socket.destroy()
          deps.peers.refused({ certSha256: certificateOf(certificate), address, reason: 'bad_frame', source: target.source })
          throw new ChannelError('bad_answer', `${address} answered something that is not the answer`)
        }
        if (!answer.data.ok) throw new ChannelError('remote_error', `${address}: ${answer.data.error}`, answer.data.error)
        return answer.data.result
      } finally {
        busy = false
      }
    },
    close() {
      closed = true
      closedHere = true
      socket.end()
    },
  }
}

function certificateOf(certificate: Buffer | null): string | null {
  return certificate ? certificateSha256(certificate) : null
}

async function read(reader: FrameReader, timeoutMs: number, address: string, socket: TLSSocket, deps: ChannelDeps, source: PeerSource = 'config'): Promise<unknown> {
  try {
    return await reader.next(timeoutMs)
  } catch (error) {
    socket.destroy()
    const reason = frameReason(error)
    if (reason) deps.peers.refused({ certSha256: certificateOf(peerCertificate(socket)), address, reason, source })
    throw new ChannelError(error instanceof FrameError ? error.code : 'closed', `${address}: ${(error as Error).message}`)
  }
}
