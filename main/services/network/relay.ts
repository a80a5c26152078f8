import { z } from 'zod'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import type { RelayOutcomeEvent, RelayRepository, RelayState } from '../store/relay'
import type { PeerConnection } from './channel'
import { ChannelError, PeerRequestError } from './channel'

/**
 * Relay through a neighbour's uplink (issue 22.2). A desk whose own uploader cannot reach central asks a connected
 * desk to post its records for it; that desk already holds each of them as a sealed bundle (peer backup, 22.1), so
 * a relay is: post the held bundle to central's bundle import, and write central's answer into its own post log as a
 * `relayed` event naming the origin. The origin pulls that log as it pulls every desk's, and applies the outcome to
 * its own record as its uploader applies central's answers (the record's state, out of the outbox), which writes the
 * origin's own `state` event (so the other desks drop their copies, as after an upload of its own).
 *
 * Exactly once at central, whichever runs first or both at once: central keys records by id (a second post of the
 * same record, as a bundle or a batch, is answered with its first answer and stores nothing), and the bundle's
 * bytes are the ones the origin asked for: it asks only for records the desk holds in their current version and
 * marks them in doubt before it asks (the outbox's flag for "central may already hold this record": staff cannot
 * edit it until central answered, so what the other desk posts stays what this desk holds).
 *
 * How a desk learns who can relay: by asking. `relay.ask` goes to each connected desk on the mesh's visit while
 * this desk's uploader says central is unreachable; a desk whose own uplink is down answers `no_uplink` (and is left
 * alone for a while). Trust: an outcome is applied only for a record this desk asked that very desk to relay; an
 * outcome for a record it never asked that desk about (forged, or a stray) is refused, logged, and changes nothing.
 */
export const RELAY_ASK = 'relay.ask'
/** Records asked of one desk per visit, and at most outstanding at one desk (taken, outcome not in yet). */
export const ASKS_PER_VISIT = 64
export const MAX_OUTSTANDING = 256
/**
 * A record whose outcome is not in is asked again: of the same desk after 10 s (taking is idempotent there, and the
 * first ask may never have arrived), of another desk after 60 s (the first died or is stuck; both posting it is
 * harmless, central keeps one, but it is work twice).
 */
export const ASK_SAME_AGAIN_MS = 10_000
export const ASK_AGAIN_MS = 60_000
/** How long a desk that said it has no uplink, or whose relay post failed, is left alone. */
const NO_UPLINK_MS = 15_000
/** Bundles posted to central at once: a round trip per record, so several in flight keep a slow link busy (4 gave 55 %
 * of the own upload's rate over a 4 Mbit/s, 150 ms link, 8 gave 67 %: BENCHMARKS.md, relay). */
const LANES = 8

const RecordId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
/** Fields this version does not know are dropped by the parse, in a request and in an answer (as backup.ts's). */
const AskRequest = z.object({ recordIds: z.array(RecordId).min(1).max(ASKS_PER_VISIT) })
const AskAnswer = z.object({ taken: z.array(RecordId).max(ASKS_PER_VISIT) })

/** Why a relay request, answer or outcome was refused: logged with the desk, and nothing changed. */
export type RelayRefusal = 'bad_request' | 'no_uplink' | 'bad_answer' | 'not_relayed' | 'unknown_record'

export class RelayError extends Error {
  constructor(
    readonly code: RelayRefusal,
    message: string,
  ) {
    super(message)
    this.name = 'RelayError'
  }
}

/** Central's answer to a bundle of one record (bundle/wire.ts's summary). */
export interface PostedBundle {
  records: number
  accepted: number
  duplicate: number
  rejected: number
}

/** What posting a bundle can fail with: `unreachable` is retried later, `refused` (central will never take it) not. */
export class RelayPostError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused',
    message: string,
  ) {
    super(message)
    this.name = 'RelayPostError'
  }
}

export interface RelayDeps {
  repo: RelayRepository
  /** This desk's id on the roster (the origin named in `relayed` events); null before enrolment. */
  kioskId: () => string | null
  /** This desk's own uploader cannot reach central now: ask the others. */
  centralUnreachable: () => boolean
  /** This desk can reach central (its uploader is not failing on the network, it is enrolled). */
  uplink: () => boolean
  /** Posts a held bundle to central's bundle import (the bundle feature's, passed in by kiosk.ts). */
  post(bundle: Buffer): Promise<PostedBundle>
  logger: Logger
  now: () => Date
  /** Outcomes were applied to this desk's records (the home screen's counts). */
  onApplied?(): void
}

export interface Relay {
  /** The `relay.ask` method other desks call. */
  serve(params: unknown, peer: RosterKiosk): { taken: string[] }
  /** On the mesh's visit: asks the connected desk to relay what it holds of this desk's, if this desk needs it. */
  ask(connection: PeerConnection): Promise<number>
  /** Applies the `relayed` outcomes other desks' logs carry for this desk's records; returns the records changed. */
  applyOutcomes(): number
  /** Posts the records other desks asked this one to relay, until none is left or central cannot be reached. */
  run(): Promise<number>
  start(): void
  stop(): void
}

export function createRelay(deps: RelayDeps): Relay {
  const { repo, logger } = deps
  /** Desks that said they have no uplink, until when. */
  const quiet = new Map<string, number>()
  let postFailedAt = 0
  let running: Promise<number> | null = null
  let timer: NodeJS.Timeout | null = null
  let stopped = false

  const refuse = (code: RelayRefusal, kioskId: string, message: string, fields: Record<string, string> = {}): RelayError => {
    logger.warn('relay: refused', { kioskId, reason: code, message, ...fields })
    return new RelayError(code, message)
  }

  const uplinkUp = () => deps.uplink() && Date.now() - postFailedAt > NO_UPLINK_MS

  async function postOne(job: { originKioskId: string; recordId: string }): Promise<'done' | 'stop'> {
    const bundle = repo.heldBundle(job.originKioskId, job.recordId)
    // The origin's own answer arrived meanwhile (its copy dropped with it), or the copy aged out: nothing to post.
    if (!bundle) {
      repo.drop(job)
      return 'done'
    }
    let answer: PostedBundle
    try {
      answer = await deps.post(bundle)
    } catch (error) {
      if (error instanceof RelayPostError && error.kind === 'refused') {
        // Central will not take these bytes (a revoked desk's key, a damaged copy): the origin keeps the record.
        logger.error('relay: central refused a relayed bundle', { origin: job.originKioskId, recordId: job.recordId, error: error.message })
        if (!stopped) repo.drop(job)
        return 'done'
      }
      postFailedAt = Date.now()
      logger.warn('relay: posting a relayed bundle failed; trying again later', { origin: job.originKioskId, error: (error as Error).message })
      return 'stop'
    }
    if (answer.records !== 1 || answer.accepted + answer.duplicate + answer.rejected !== 1) {
      postFailedAt = Date.now()
      logger.warn('relay: central\'s answer to a relayed bundle is not about one record', { origin: job.originKioskId })
      return 'stop'
    }
    const state: RelayState = answer.accepted === 1 ? 'accepted' : answer.duplicate === 1 ? 'duplicate' : 'rejected'
    // The kiosk may be closing: nothing more is written once stopped (the job stays and is posted again, which
    // central answers with its first answer).
    if (stopped) return 'stop'
    repo.finish(job, state, deps.now().toISOString())
    return 'done'
  }

  async function doRun(): Promise<number> {
    let posted = 0
    while (!stopped && uplinkUp()) {
      const jobs = repo.jobs(LANES * 4)
      if (jobs.length === 0) break
      let halted = false
      // LANES posts in flight, in order; a failure lets the ones in flight end and stops the run.
      let next = 0
      const lane = async () => {
        while (!halted && !stopped && next < jobs.length) {
          const job = jobs[next++]!
          if ((await postOne(job)) === 'stop') halted = true
          else posted++
        }
      }
      await Promise.all(Array.from({ length: LANES }, lane))
      if (halted) break
    }
    if (posted > 0) logger.info('relay: posted other desks\' records to central', { posted })
    return posted
  }

  function run(): Promise<number> {
    running ??= doRun().finally(() => {
      running = null
    })
    return running
  }

  return {
    serve(params, peer) {
      const request = AskRequest.safeParse(params)
      if (!request.success || new Set(request.data.recordIds).size !== request.data.recordIds.length) {
        throw new PeerRequestError(refuse('bad_request', peer.kioskId, 'not a relay request').code)
      }
      if (!uplinkUp()) throw new PeerRequestError('no_uplink')
      // Only the asking desk's own records, and only those held here (TLS proved who asks; a bundle is held under
      // the desk that gave it).
      const taken = request.data.recordIds.filter((id) => repo.holds(peer.kioskId, id))
      repo.take(peer.kioskId, taken, deps.now().toISOString())
      if (taken.length > 0) setImmediate(() => void run().catch(() => undefined))
      return { taken }
    },

    async ask(connection) {
      const peer = connection.peer.kioskId
      if (!deps.centralUnreachable()) return 0
      if ((quiet.get(peer) ?? 0) > Date.now()) return 0
      const now = deps.now()
      const same = new Date(now.getTime() - ASK_SAME_AGAIN_MS).toISOString()
      const room = Math.min(ASKS_PER_VISIT, MAX_OUTSTANDING - repo.outstanding(peer, same))
      if (room <= 0) return 0
      const ids = repo.relayable(peer, { same, other: new Date(now.getTime() - ASK_AGAIN_MS).toISOString() }, room)
      if (ids.length === 0) return 0
      // Remembered (and frozen) before the request: an answer lost on the way must not make the outcome a stranger.
      const turned = repo.ask(ids, peer, now.toISOString())
      let raw: unknown
      try {
        raw = await connection.request(RELAY_ASK, { recordIds: ids })
      } catch (error) {
        if (error instanceof ChannelError && error.code === 'remote_error') {
          // The desk answered, and took nothing.
          repo.unask(ids, peer, turned)
          // Left alone for a while either way (a desk of an older version answers `unknown_method` every visit).
          quiet.set(peer, Date.now() + NO_UPLINK_MS)
          if (error.reason !== 'no_uplink') logger.warn('relay: a desk refused to relay', { kioskId: peer, reason: error.reason ?? null })
          return 0
        }
        // The ask may have landed: the asks stay, so its outcomes are recognised; unanswered, they are asked again.
        throw error
      }
      const answer = AskAnswer.safeParse(raw)
      const asked = new Set(ids)
      if (!answer.success || answer.data.taken.some((id) => !asked.has(id))) {
        repo.unask(ids, peer, turned)
        quiet.set(peer, Date.now() + NO_UPLINK_MS)
        refuse('bad_answer', peer, 'the answer to a relay request is not one')
        return 0
      }
      const taken = new Set(answer.data.taken)
      const left = ids.filter((id) => !taken.has(id))
      if (left.length > 0) repo.unask(left, peer, turned.filter((id) => !taken.has(id)))
      return taken.size
    },

    applyOutcomes() {
      const me = deps.kioskId()
      if (!me) return 0
      let changed = 0
      for (;;) {
        const events = repo.outcomesAfterSeen(me, 500)
        if (events.length === 0) break
        const good: RelayOutcomeEvent[] = []
        const seen = new Map<string, number>()
        for (const e of events) {
          seen.set(e.kioskId, Math.max(seen.get(e.kioskId) ?? 0, e.seq))
          const state = repo.stateOf(e.recordId)
          if (state === null) {
            refuse('unknown_record', e.kioskId, 'an outcome for a record this desk does not have', { recordId: e.recordId })
            continue
          }
          if (!repo.asked(e.recordId, e.kioskId)) {
            // Answered already (by this desk's own upload, or another desk's relay): nothing to do.
            if (!['queued', 'uploading', 'exported'].includes(state)) continue
            refuse('not_relayed', e.kioskId, 'an outcome for a record this desk never asked that desk to relay', { recordId: e.recordId })
            continue
          }
          good.push(e)
        }
        changed += repo.apply(good, [...seen].map(([kioskId, seq]) => ({ kioskId, seq })), deps.now().toISOString())
        if (events.length < 500) break
      }
      if (changed > 0) {
        logger.info('relay: other desks\' outcomes applied', { records: changed })
        deps.onApplied?.()
      }
      return changed
    },

    run,
    start() {
      stopped = false
      // Jobs left from before a restart, and retries after a failed post.
      timer ??= setInterval(() => {
        if (repo.jobCount() > 0) void run().catch((error: unknown) => logger.warn('relay: run failed', { error: (error as Error).message }))
      }, 2_000)
      timer.unref()
    },
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
