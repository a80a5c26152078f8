import { randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { PairingSessionView, PairingView } from '../../../common/network'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import type { AuditEntry } from '../store/audit'
import type { ChannelDeps, PeerConnection, Stranger } from './channel'
import { ChannelError, connectToPeer, PeerRequestError } from './channel'
import type { Candidate } from './discovery'
import { parseAddress } from './discovery'
import { commitment, commitmentHolds, pairingCode } from './pairing-code'
import type { PostTrust } from './trust'
import { pairedDeskName } from './trust'

/**
 * Pairing two desks by a short code (issue 21.1) for a post that never reached central: no roster, so no desk trusts
 * another. A supervisor at desk A picks desk B among the desks "waiting to pair" (found by mDNS with this post in
 * their TXT, or at IT's configured addresses). A connects over the usual mutual TLS 1.3 with its own self-signed
 * certificate; B hears a device its roster does not list only for `pair.*` (channel.ts). They run Bluetooth's numeric
 * comparison (pairing-code.ts): B commits to a nonce, A sends its nonce, B reveals its own, and both screens show a
 * 6-digit code over both fingerprints and both nonces. Each supervisor confirms on their own desk that the two codes
 * are the same. Only when both did does anything change: A learns B's answer by asking (`pair.confirm`), agrees the
 * post key with B (`pair.finish`), and each stores the other's fingerprint (trust.ts `addPairing`), audited.
 *
 * The post key: a post without central has none, but the post-wide NIK HMAC needs one that every desk holds. The
 * first pairing makes it (A, at random) and it crosses inside the TLS channel to B only after both confirmations; a
 * desk already paired brings its key to the next one. Two desks that each already hold a different key (two groups
 * paired apart) are refused (`key_conflict`): one group's records would be hashed under a key the other never sees.
 * A new desk joins a group by pairing with any one desk of it. When central's roster arrives it carries central's
 * post key, which replaces this one (post-log.ts hashes the records again, 'nik' events tell the other desks).
 *
 * One session at a time per desk, two minutes long: a second request is `busy` (as a Bluetooth device in a pairing).
 */
export const PAIRING_TIMEOUT_MS = 120_000
const POLL_MS = 300

const Nonce = z.string().regex(/^[A-Za-z0-9+/]{43}=$/)
/**
 * Fields this version does not know are dropped by the parse, in a request and in an answer (as backup.ts's): a desk
 * of a later version still pairs with this one. What is stored is only what these schemas name.
 */
const Empty = z.object({}).or(z.null())
const NonceParams = z.object({ nonce: Nonce })
const FinishParams = z.object({ postKey: Nonce })
const BeginAnswer = z.object({ commitment: Nonce })
const NonceAnswer = z.object({ nonce: Nonce })
const ConfirmAnswer = z.object({ state: z.enum(['waiting', 'confirmed', 'cancelled']), postKey: Nonce.nullable() })
const FinishAnswer = z.object({ paired: z.literal(true) })

type SessionState = PairingSessionView['state']

interface Session {
  id: string
  role: 'initiator' | 'responder'
  peerSha256: string
  startedAt: number
  state: SessionState
  reason: string | null
  code: string | null
  localConfirmed: boolean
  remoteConfirmed: boolean
  /** Responder: its nonce and commitment. */
  nonce: Buffer
  commitment: Buffer | null
  /** Initiator: the connection to the responder. */
  connection: PeerConnection | null
  operatorId: string | null
}

export interface PairingDeps {
  trust: Pick<PostTrust, 'identity' | 'fromCentral' | 'pairings' | 'pairingPostKey' | 'addPairing' | 'roster'>
  /** Enrolled kiosks never pair: central's roster is theirs (or will be at the next heartbeat). */
  enrolled: () => boolean
  channel: () => ChannelDeps | null
  candidates: () => Candidate[]
  audit: { append(entry: AuditEntry): unknown }
  logger: Logger
  now: () => Date
  clock?: () => number
}

export interface PairingService {
  pairable(): boolean
  view(): PairingView
  /** The supervisor picked a waiting desk: runs the exchange up to the code (or throws a typed error). */
  start(address: string, operatorId: string | null): Promise<PairingView>
  /** The supervisor says whether the codes match. Resolves at once; completion goes on in the background. */
  confirm(input: { sessionId: string; match: boolean }, operatorId: string | null): PairingView
  /** The `pair.*` methods a stranger may call (channel.ts). */
  handle(method: string, params: unknown, stranger: Stranger): Promise<unknown>
  /** Tests wait for a background completion. */
  settled(): Promise<void>
  stop(): void
}

const b64 = (b: Buffer) => b.toString('base64')
const unb64 = (s: string) => Buffer.from(s, 'base64')

export function createPairingService(deps: PairingDeps): PairingService {
  const clock = deps.clock ?? Date.now
  let session: Session | null = null
  let completing: Promise<void> = Promise.resolve()

  const pairable = () => !deps.enrolled() && !deps.trust.fromCentral()
  const live = (s: Session | null): s is Session => s !== null && (s.state === 'exchanging' || s.state === 'compare' || s.state === 'waiting')

  function expire(): void {
    if (live(session) && clock() - session.startedAt > PAIRING_TIMEOUT_MS) end(session, 'failed', 'timeout')
  }

  function end(s: Session, state: SessionState, reason: string | null): void {
    s.state = state
    s.reason = reason
    s.connection?.close()
    s.connection = null
    if (state === 'cancelled' || state === 'failed') {
      deps.audit.append({ actor: s.operatorId, action: 'pair_reject', details: { peer: s.peerSha256, role: s.role, reason: reason ?? state } })
      deps.logger.info('network: pairing ended without a pairing', { peer: s.peerSha256, reason })
    }
  }

  function sessionView(s: Session): PairingSessionView {
    return {
      id: s.id,
      role: s.role,
      peer: pairedDeskName(s.peerSha256),
      peerSha256: s.peerSha256,
      code: s.code,
      state: s.state,
      reason: s.reason,
      confirmed: s.localConfirmed,
    }
  }

  function waiting(): PairingView['waiting'] {
    const roster = new Set((deps.trust.roster()?.kiosks ?? []).map((k) => k.kioskId))
    const channel = deps.channel()
    const own = channel?.kioskId() ?? null
    const seen = new Set<string>()
    return deps.candidates().flatMap((c) => {
      const address = `${c.host}:${c.port}`
      if (seen.has(address)) return []
      seen.add(address)
      // A desk of this post by its own advertisement, not on the roster (paired or central's) yet.
      if (c.claimed && (c.claimed.postId !== channel?.postId || c.claimed.kioskId === own || roster.has(c.claimed.kioskId))) return []
      return [{ address, kioskId: c.claimed?.kioskId ?? null, source: c.source }]
    })
  }

  function view(): PairingView {
    expire()
    return {
      pairable: pairable(),
      waiting: pairable() ? waiting() : [],
      session: session && sessionView(session),
      paired: deps.trust.pairings().map((d) => ({ name: d.name, certSha256: d.certSha256, pairedAt: d.pairedAt })),
    }
  }

  async function ownSha(): Promise<string> {
    return (await deps.trust.identity()).certSha256
  }

  /** Stores the pairing and audits it (both sides, once both confirmed and the key is agreed). */
  function store(s: Session, postKey: Buffer): void {
    deps.trust.addPairing({ certSha256: s.peerSha256, name: pairedDeskName(s.peerSha256), pairedAt: deps.now().toISOString(), operatorId: s.operatorId }, postKey)
    deps.audit.append({ actor: s.operatorId, action: 'pair_desk', details: { peer: s.peerSha256, role: s.role } })
    s.state = 'paired'
    s.reason = null
  }

  async function complete(s: Session): Promise<void> {
    const connection = s.connection!
    try {
      for (;;) {
        if (session !== s || !live(s)) return
        if (clock() - s.startedAt > PAIRING_TIMEOUT_MS) return end(s, 'failed', 'timeout')
        const answer = ConfirmAnswer.safeParse(await connection.request('pair.confirm', {}))
        if (!answer.success) return end(s, 'failed', 'bad_answer')
        if (answer.data.state === 'cancelled') return end(s, 'cancelled', 'peer_cancelled')
        if (answer.data.state === 'confirmed') {
          const mine = deps.trust.pairingPostKey()
          const theirs = answer.data.postKey === null ? null : unb64(answer.data.postKey)
          if (mine && theirs && !mine.equals(theirs)) {
            await connection.request('pair.cancel', { reason: 'key_conflict' }).catch(() => undefined)
            return end(s, 'failed', 'key_conflict')
          }
          const key = theirs ?? mine ?? randomBytes(32)
          const finished = FinishAnswer.safeParse(await connection.request('pair.finish', { postKey: b64(key) }))
          if (!finished.success) return end(s, 'failed', 'bad_answer')
          store(s, key)
          connection.close()
          s.connection = null
          return
        }
        s.state = 'waiting'
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    } catch (error) {
      if (session === s && live(s)) end(s, 'failed', error instanceof ChannelError ? (error.reason ?? error.code) : 'internal')
    }
  }

  const busy = (peerSha256: string) => {
    expire()
    return live(session) && session.peerSha256 !== peerSha256
  }

  return {
    pairable,
    view,
    async start(address, operatorId) {
      if (!pairable()) throw new DomainError('conflict', 'This kiosk holds central\'s roster: desks are trusted by central, not paired', { reason: 'enrolled' })
      const target = waiting().find((w) => w.address === address)
      const parsed = parseAddress(address, 0)
      const channel = deps.channel()
      if (!target || !parsed || !channel) throw new DomainError('not_found', 'No desk waiting to pair at that address')
      expire()
      if (live(session)) throw new DomainError('conflict', 'A pairing is already under way at this desk', { reason: 'busy' })
      let connection: PeerConnection | null = null
      try {
        connection = await connectToPeer(channel, { host: parsed.host, port: parsed.port, source: target.source === 'inbound' ? 'config' : target.source }, 'pairing')
        const peerSha256 = connection.peer.certSha256
        const begun = BeginAnswer.safeParse(await connection.request('pair.begin', {}))
        if (!begun.success) throw new ChannelError('bad_answer', 'pair.begin answered something else')
        const nonce = randomBytes(32)
        const revealed = NonceAnswer.safeParse(await connection.request('pair.nonce', { nonce: b64(nonce) }))
        if (!revealed.success) throw new ChannelError('bad_answer', 'pair.nonce answered something else')
        const own = await ownSha()
        const theirNonce = unb64(revealed.data.nonce)
        // The responder committed before it saw our nonce: a nonce chosen after it does not match the commitment.
        if (!commitmentHolds(unb64(begun.data.commitment), peerSha256, own, theirNonce)) throw new ChannelError('bad_answer', 'the desk\'s nonce does not match its commitment', 'bad_commitment')
        session = {
          id: randomUUID(),
          role: 'initiator',
          peerSha256,
          startedAt: clock(),
          state: 'compare',
          reason: null,
          code: pairingCode(own, peerSha256, nonce, theirNonce),
          localConfirmed: false,
          remoteConfirmed: false,
          nonce,
          commitment: null,
          connection,
          operatorId,
        }
        deps.logger.info('network: pairing started; the code is on both screens', { peer: peerSha256 })
        return view()
      } catch (error) {
        connection?.close()
        if (error instanceof DomainError) throw error
        const reason = error instanceof ChannelError ? (error.reason ?? error.code) : 'internal'
        deps.logger.warn('network: pairing could not start', { address, reason, error: (error as Error).message })
        throw new DomainError('unavailable', 'The other desk did not take the pairing', { reason: reason === 'remote_error' ? 'refused' : reason })
      }
    },
    confirm({ sessionId, match }, operatorId) {
      expire()
      const s = session
      if (!s || s.id !== sessionId || !live(s)) throw new DomainError('not_found', 'No pairing under way with that id')
      if (s.state === 'exchanging') throw new DomainError('conflict', 'The code is not known yet', { reason: 'no_code' })
      s.operatorId = operatorId
      if (!match) {
        // The other desk is told (after the confirmation poll in flight, if any: one request at a time per connection).
        const connection = s.connection
        s.connection = null
        end(s, 'cancelled', 'not_same')
        if (connection) {
          void completing
            .catch(() => undefined)
            .then(() => connection.request('pair.cancel', { reason: 'not_same' }))
            .catch(() => undefined)
            .finally(() => connection.close())
        }
        return view()
      }
      if (s.localConfirmed) return view()
      s.localConfirmed = true
      s.state = 'waiting'
      deps.logger.info('network: the supervisor confirmed the pairing code', { peer: s.peerSha256, role: s.role })
      if (s.role === 'initiator') completing = complete(s)
      return view()
    },
    async handle(method, params, stranger) {
      if (!pairable()) throw new PeerRequestError('not_pairing')
      const own = await ownSha()
      expire()
      const s = session
      const ours = s !== null && live(s) && s.role === 'responder' && s.peerSha256 === stranger.certSha256 ? s : null
      switch (method) {
        case 'pair.begin': {
          if (!Empty.safeParse(params).success) throw new PeerRequestError('bad_request')
          if (busy(stranger.certSha256)) throw new PeerRequestError('busy')
          const nonce = randomBytes(32)
          const c = commitment(own, stranger.certSha256, nonce)
          session = {
            id: randomUUID(),
            role: 'responder',
            peerSha256: stranger.certSha256,
            startedAt: clock(),
            state: 'exchanging',
            reason: null,
            code: null,
            localConfirmed: false,
            remoteConfirmed: false,
            nonce,
            commitment: c,
            connection: null,
            operatorId: null,
          }
          deps.logger.info('network: a desk asks to pair', { peer: stranger.certSha256, address: stranger.address })
          return { commitment: b64(c) }
        }
        case 'pair.nonce': {
          const p = NonceParams.safeParse(params)
          if (!p.success) throw new PeerRequestError('bad_request')
          if (!ours || ours.state !== 'exchanging') throw new PeerRequestError('no_session')
          ours.code = pairingCode(stranger.certSha256, own, unb64(p.data.nonce), ours.nonce)
          ours.state = 'compare'
          return { nonce: b64(ours.nonce) }
        }
        case 'pair.confirm': {
          if (!Empty.safeParse(params).success) throw new PeerRequestError('bad_request')
          if (s && s.role === 'responder' && s.peerSha256 === stranger.certSha256 && s.state === 'cancelled') return { state: 'cancelled', postKey: null }
          if (!ours || ours.state === 'exchanging') throw new PeerRequestError('no_session')
          ours.remoteConfirmed = true
          if (!ours.localConfirmed) return { state: 'waiting', postKey: null }
          const key = deps.trust.pairingPostKey()
          return { state: 'confirmed', postKey: key ? b64(key) : null }
        }
        case 'pair.finish': {
          const p = FinishParams.safeParse(params)
          if (!p.success) throw new PeerRequestError('bad_request')
          if (!ours || !ours.localConfirmed || !ours.remoteConfirmed) throw new PeerRequestError('not_confirmed')
          const key = unb64(p.data.postKey)
          const mine = deps.trust.pairingPostKey()
          if (mine && !mine.equals(key)) {
            end(ours, 'failed', 'key_conflict')
            throw new PeerRequestError('key_conflict')
          }
          store(ours, key)
          return { paired: true }
        }
        case 'pair.cancel': {
          if (ours) end(ours, 'cancelled', 'peer_cancelled')
          return { cancelled: true }
        }
        default:
          throw new PeerRequestError('unknown_method')
      }
    },
    settled: () => completing,
    stop() {
      if (live(session)) end(session, 'failed', 'stopped')
    },
  }
}
