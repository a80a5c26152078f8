import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import { postNikHasher } from '../security/post-nik'
import type { Vault } from '../security/vault'
import type { PostLogRepository, PostLogState } from '../store/post-log'
import { OWN_LOG } from '../store/post-log'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'
import type { PeerConnection } from './channel'
import { ChannelError, PeerRequestError } from './channel'
import type { SkippedEvents } from './log-skipped'
import { createSkippedEvents } from './log-skipped'
import type { PeerList } from './peers'
import type { PostTrust } from './trust'
import type { LogDialect, Placeholder, ReadPage, WireEvent } from './log-wire'
import { DIALECT, disguise, FIELD_DIALECT, PAGE_LIMIT, PageError, parseRequest, readerOf, readPage, reads, toWire } from './log-wire'

export { checkPage, PAGE_LIMIT, PageError } from './log-wire'
export type { PageFault } from './log-wire'

/**
 * Replicating the post log (DESIGN §11, issue 21.3): a desk serves its own log in pages of at most 500 events
 * (`log.page`), and pulls every connected desk's log from where it stopped, page after page, until it has caught up.
 * A desk serves only its own log, never one it pulled: events are not signed, so a relayed event would be as good as
 * the relay's word, while the TLS channel proves who is answering. A page is checked whole before anything of it is
 * stored (log-wire.ts): its shape (strict: no field that could carry a name, a NIK or a photo), that it is this post's
 * and the answering desk's own log, and that its sequence numbers continue exactly where this desk's copy stops. A
 * page that fails is refused, logged, shown on the peer list (`bad_page`) and changes nothing.
 *
 * Desks of two versions (design notes, "Mixed versions at a post"): the request says what this desk reads, events it
 * does not read come as placeholders (kept in log-skipped.ts, asked again after an update), an older desk is asked
 * and served in the old shape, and a page refused because it holds a kind this desk does not read is listed as
 * `newer_log` ("update this desk") without closing the connection, so backup and relay with that desk go on.
 */
/**
 * What a desk asks for at a time (it serves up to PAGE_LIMIT): checking and storing a page blocks main, ~5 ms per
 * 100 events here, ~30 ms per 500 with the commit's fsync, and the event loop must stay under 20 ms at p99 while
 * syncing (BENCHMARKS.md, network). Smaller pages cost round trips only, a few ms each on a LAN.
 */
export const PULL_LIMIT = 100
/** Pages per visit: a desk catching up on a long split yields to the others between visits. */
export const PAGES_PER_VISIT = 40
const REKEY_SETTING = 'post-nik-key'
const RekeyState = z.strictObject({ keyId: z.string(), after: z.number().int().nonnegative().nullable() })

export interface PostLogSync {
  /** The `log.page` method other desks call (`peer`: who asks, for the log when it runs an older version). */
  serve(params: unknown, peer?: Pick<RosterKiosk, 'kioskId' | 'name'>): unknown
  /** Pulls a connected desk's log until caught up (or PAGES_PER_VISIT pages). Returns the events stored. */
  pull(connection: PeerConnection): Promise<number>
  /** The first event of a desk's log this desk was sent as a placeholder and has not read since (null: none). */
  firstSkipped(kioskId: string): number | null
  /**
   * Files a desk's log under another id (a paired desk's fingerprint id became central's; store/post-log.ts
   * `renameLog`) with what was skipped of it, in one transaction: without its record of skipped events, what that
   * desk's log sent as placeholders under the old id would never be asked again after an update.
   */
  renameLog(from: string, to: string): 'renamed' | 'dropped' | 'none'
  /** Desks of the post (not this one) holding this NIK: the NIK step's cross-desk check. Empty without a post key. */
  otherDesks(normalisedNik: string): Array<{ kioskId: string; desk: string | null; receiptNo: string | null; at: string; state: PostLogState | null }>
  /** The NIK's post HMAC for a new record, or null while the kiosk holds no post key. */
  postNikHash(normalisedNik: string): Buffer | null
  /**
   * Gives records made before the post key their post HMAC (their 'nik' events follow by trigger), and, when the
   * post key changed (a paired post's own key replaced by central's), hashes every record again under the new one.
   * Returns how many records it went through: call again while it is above 0.
   */
  fillPostNik(batch?: number): number
}

export function createPostLogSync(deps: {
  repo: PostLogRepository
  trust: Pick<PostTrust, 'postKey' | 'roster'>
  vault: Vault
  postId: string
  kioskId: () => string | null
  peers: Pick<PeerList, 'refused'>
  logger: Logger
  now: () => Date
  /**
   * Where the rekey remembers which key the records were hashed under and how far it got (none: no rekey), and where
   * the events other desks left out for this one are remembered (none: in memory only).
   */
  settings?: SettingsRepository
  /** What this desk reads and how it asks (default: this version's; tests run older versions' with it). */
  dialect?: LogDialect
  /** What a request of the old shape is read as coming from (default: the versions in the field before this one). */
  oldAsker?: Pick<LogDialect, 'kinds' | 'fields'>
  /** Runs `fn` in one database transaction (renameLog moves events and the skipped record together). */
  transaction?: <T>(fn: () => T) => T
}): PostLogSync {
  const { repo, logger } = deps
  const dialect = deps.dialect ?? DIALECT
  const oldAsker = deps.oldAsker ?? FIELD_DIALECT
  const skippedEvents: SkippedEvents = createSkippedEvents({ settings: deps.settings, dialect, now: deps.now })
  /** Connections to desks of an older version (they refused the request saying what this desk reads). */
  const olderServers = new WeakSet<PeerConnection>()
  /** Connections whose desk sent a kind this desk does not read (logged once per connection). */
  const newerServers = new WeakSet<PeerConnection>()
  /** Desks that asked in the old shape, and where one was stuck (logged once per desk and run). */
  const olderAskers = new Set<string>()
  const ask = (after: number, limit: number, older: boolean) =>
    older || !dialect.says ? { after, limit } : { after, limit, kinds: dialect.kinds, fields: dialect.fields }
  let hasher: { key: Buffer; hash: (nik: string) => Buffer } | null = null

  function postNikHash(nik: string): Buffer | null {
    const key = deps.trust.postKey()
    if (!key) return null
    if (!hasher || !hasher.key.equals(key)) hasher = { key, hash: postNikHasher(key) }
    return hasher.hash(nik)
  }

  /** The queue depth of this desk's latest status before `seq` (a disguised event keeps the figure as it was). */
  function depthBefore(seq: number): number {
    const from = Math.max(0, seq - 1 - PAGE_LIMIT)
    const before = repo.ownPage(from, seq - 1 - from).filter((e) => e.kind === 'desk')
    return before.at(-1)?.queueDepth ?? 0
  }

  /**
   * Asks a desk for a page after `after` and checks it; null when it was refused because it holds a kind this desk
   * does not read (listed `newer_log`, the connection kept). Any other fault is refused, listed `bad_page`, the
   * connection closed, and thrown.
   */
  async function fetchPage(connection: PeerConnection, after: number, limit: number): Promise<ReadPage | null> {
    const kioskId = connection.peer.kioskId
    let raw: unknown
    try {
      raw = await connection.request('log.page', ask(after, limit, olderServers.has(connection)))
    } catch (error) {
      // A desk of the versions before this one refuses a request field it does not know: ask it the old way.
      const older = error instanceof ChannelError && error.code === 'remote_error' && error.reason === 'bad_request'
      if (!older || olderServers.has(connection) || !dialect.says) throw error
      olderServers.add(connection)
      logger.warn('network: a desk runs an older version of the post log (it refused the request saying what this desk reads): asking it the old way; update it', { kioskId, desk: connection.peer.name })
      raw = await connection.request('log.page', ask(after, limit, true))
    }
    try {
      return readPage(raw, { postId: deps.postId, kioskId, after }, dialect)
    } catch (error) {
      if (!(error instanceof PageError)) throw error
      const listed = { certSha256: connection.peer.certSha256, address: kioskId, claimedName: connection.peer.name, source: 'inbound' as const }
      if (error.fault === 'newer_log') {
        // The other desk is newer and sent what this version cannot read: this desk needs updating. Nothing is
        // stored and the pull stays where it is; backup and relay with that desk need no log and go on.
        if (!newerServers.has(connection)) logger.warn('network: a desk sent post log events this version does not read: update this desk', { kioskId, error: error.message })
        newerServers.add(connection)
        deps.peers.refused({ ...listed, reason: 'newer_log' })
        return null
      }
      logger.warn('network: refused a page of the post log', { kioskId, fault: error.fault, error: error.message })
      deps.peers.refused({ ...listed, reason: 'bad_page' })
      connection.close()
      throw error
    }
  }

  return {
    serve(params, peer) {
      const request = parseRequest(params, dialect)
      const kioskId = deps.kioskId()
      if (!request) throw new PeerRequestError('bad_request')
      if (!kioskId) throw new PeerRequestError('not_enrolled')
      const own = repo.ownPage(request.after, request.limit)
      // The versions before this one (modelled by a dialect that does not say what it reads) served every event.
      if (!dialect.says) return { postId: deps.postId, kioskId, events: own.map(toWire) }
      const reader = readerOf(request, oldAsker)
      if (!reader.says && peer && !olderAskers.has(peer.kioskId)) {
        olderAskers.add(peer.kioskId)
        logger.warn('network: a desk runs an older version of the post log (it asks in the old shape): update it', { kioskId: peer.kioskId, desk: peer.name })
      }
      const events: Array<WireEvent | Placeholder> = []
      let depth: number | null = null
      for (const e of own) {
        const wire = toWire(e)
        if (e.kind === 'desk') depth = e.queueDepth
        if (reads(reader, wire)) events.push(wire)
        else if (reader.says) events.push({ seq: e.seq, skipped: e.kind })
        else {
          const disguised = disguise(reader, wire, (depth ??= depthBefore(e.seq)))
          if (!disguised) {
            // A version that reads no desk status either (before migration 015, never at a post): it can only be
            // served up to this event, and stays there until it is updated.
            const stuck = `${peer?.kioskId ?? '?'}:${e.seq}`
            if (!olderAskers.has(stuck)) logger.warn('network: a desk of a much older version cannot be served past an event it does not read', { kioskId: peer?.kioskId ?? null, seq: e.seq, kind: e.kind })
            olderAskers.add(stuck)
            break
          }
          events.push(disguised)
        }
      }
      return { postId: deps.postId, kioskId, events }
    },
    async pull(connection) {
      const kioskId = connection.peer.kioskId
      const high = () => Math.max(repo.highWater(kioskId), skippedEvents.through(kioskId))
      let stored = 0
      let pages = 0
      while (pages < PAGES_PER_VISIT) {
        const after = high()
        const page = await fetchPage(connection, after, PULL_LIMIT)
        pages++
        if (!page) return stored
        stored += repo.storePage(kioskId, page.events)
        skippedEvents.skipped(kioskId, page.skipped.map((p) => p.seq))
        if (page.length < PULL_LIMIT) break
      }
      // After an update: what was skipped under what this desk read before is asked again, with the pages left.
      for (let at = skippedEvents.refillAt(kioskId); at !== null && pages < PAGES_PER_VISIT; at = skippedEvents.refillAt(kioskId)) {
        const top = high()
        const limit = Math.min(PULL_LIMIT, top - at)
        if (limit <= 0) {
          skippedEvents.refilled(kioskId, at, [], true)
          continue
        }
        const page = await fetchPage(connection, at, limit)
        pages++
        if (!page) return stored
        // Events held already are stored once (by kiosk and sequence); the pull's place is not passed (limit).
        stored += repo.storePage(kioskId, page.events)
        skippedEvents.refilled(kioskId, page.through, page.skipped.map((p) => p.seq), page.through >= top || page.length < limit)
      }
      return stored
    },
    firstSkipped: (kioskId) => skippedEvents.firstSkipped(kioskId),
    renameLog(from, to) {
      const transaction = deps.transaction ?? (<T>(fn: () => T) => fn())
      try {
        return transaction(() => {
          const held = repo.highWater(to) > 0
          const done = repo.renameLog(from, to)
          skippedEvents.renamed(from, to, held)
          return done
        })
      } catch (error) {
        // Rolled back: the skipped record is what the row says again, not what this run wrote before the rollback.
        skippedEvents.reload()
        throw error
      }
    },
    otherDesks(nik) {
      const hash = postNikHash(nik)
      if (!hash) return []
      const names = new Map((deps.trust.roster()?.kiosks ?? []).map((k) => [k.kioskId, k.name]))
      return repo
        .holders(hash)
        .filter((h) => h.kioskId !== OWN_LOG)
        .map((h) => ({ kioskId: h.kioskId, desk: names.get(h.kioskId) ?? null, receiptNo: h.receiptNo, at: h.at, state: h.state }))
    },
    postNikHash,
    fillPostNik(batch = 200) {
      const key = deps.trust.postKey()
      if (!key) return 0
      let filled = 0
      const rehash = (row: { id: string; sealed: Buffer }) => {
        const record = JSON.parse(deps.vault.open(row.sealed, row.id).toString('utf8')) as { nik?: unknown }
        if (typeof record.nik !== 'string') return false
        // Unchanged (the record was made under this key already): no update, so no 'nik' event.
        repo.setPostNik(row.id, postNikHash(record.nik)!, deps.now().toISOString())
        return true
      }
      if (deps.settings) {
        // Which key the own records' post HMACs were made with (its SHA-256, never the key) and the rekey's place.
        const keyId = createHash('sha256').update(key).digest('hex').slice(0, 16)
        const held = readJsonSetting(deps.settings, REKEY_SETTING, RekeyState)
        let state = held
        if (!held) state = { keyId, after: null }
        else if (held.keyId !== keyId) {
          logger.info('network: the post key changed; hashing this desk\'s records again under the new one')
          state = { keyId, after: 0 }
        }
        if (state!.after !== null) {
          const rows = repo.withPostNikAfter(state!.after, batch)
          for (const row of rows) {
            try {
              if (rehash(row)) filled++
            } catch (error) {
              logger.warn('network: a record could not be hashed again under the new post key', { recordId: row.id, error: (error as Error).message })
            }
          }
          state = { keyId, after: rows.length < batch ? null : rows.at(-1)!.rowid }
          if (rows.length === batch) filled = Math.max(filled, 1)
        }
        if (JSON.stringify(state) !== JSON.stringify(held)) deps.settings.set(REKEY_SETTING, JSON.stringify(state), deps.now())
      }
      for (const row of repo.withoutPostNik(batch)) {
        try {
          if (rehash(row)) filled++
        } catch (error) {
          logger.warn('network: a record could not be given its post NIK HMAC', { recordId: row.id, error: (error as Error).message })
        }
      }
      return filled
    },
  }
}
