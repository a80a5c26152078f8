import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Logger } from '../platform/logger'
import { PostId, KeyId } from '../platform/identity'
import { postNikHasher } from '../security/post-nik'
import type { Vault } from '../security/vault'
import type { PostLogEvent, PostLogRepository, PostLogState } from '../store/post-log'
import { OWN_LOG } from '../store/post-log'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'
import type { PeerConnection } from './channel'
import { PeerRequestError } from './channel'
import type { PeerList } from './peers'
import type { PostTrust } from './trust'

/**
 * Replicating the post log (DESIGN §11, issue 21.3): a desk serves its own log in pages of at most 500 events
 * (`log.page`), and pulls every connected desk's log from where it stopped, page after page, until it has caught up.
 * A desk serves only its own log, never one it pulled: events are not signed, so a relayed event would be as good as
 * the relay's word, while the TLS channel proves who is answering. A page is checked whole before anything of it is
 * stored: its shape (strict: no field that could carry a name, a NIK or a photo), that it is this post's and the
 * answering desk's own log, and that its sequence numbers continue exactly where this desk's copy stops. A page that
 * fails is refused, logged, shown on the peer list (`bad_page`) and changes nothing.
 */
export const PAGE_LIMIT = 500
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

const Base64Hmac = z.string().regex(/^[A-Za-z0-9+/]{43}=$/)
const RecordId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
const WireEvent = z.strictObject({
  seq: z.number().int().positive(),
  kind: z.enum(['registered', 'nik', 'state', 'resolved', 'desk', 'relayed']),
  // Null for a 'desk' event only (checked below).
  recordId: RecordId.nullable(),
  receiptNo: z.string().regex(/^[A-Z0-9-]{1,48}$/).nullable(),
  nikHmac: Base64Hmac.nullable(),
  state: z.enum(['accepted', 'duplicate', 'rejected', 'purged']).nullable(),
  operatorId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).nullable(),
  selfService: z.boolean(),
  at: z.iso.datetime({ offset: true }),
  // 'resolved' only (the anomaly screen's mark), and left out otherwise: a page without marks still reads at a desk
  // that does not know the field yet.
  keptId: RecordId.optional(),
  // 'desk' only (a desk's status: its upload queue depth), left out otherwise, likewise.
  queueDepth: z.number().int().nonnegative().max(10_000_000).optional(),
  // 'relayed' only (issue 22.2: this desk posted another desk's record to central), likewise: that desk's id.
  origin: KeyId.optional(),
})
type WireEvent = z.infer<typeof WireEvent>
const Page = z.strictObject({ postId: PostId, kioskId: KeyId, events: z.array(WireEvent).max(PAGE_LIMIT) })
const PageRequest = z.strictObject({ after: z.number().int().nonnegative(), limit: z.number().int().positive().max(PAGE_LIMIT) })

export type PageFault = 'bad_page' | 'other_post' | 'wrong_kiosk' | 'wrong_sequence' | 'too_many'

export class PageError extends Error {
  constructor(
    readonly fault: PageFault,
    message: string,
  ) {
    super(message)
    this.name = 'PageError'
  }
}

const toWire = ({ keptId, queueDepth, originKioskId, ...e }: PostLogEvent): WireEvent => ({
  ...e,
  nikHmac: e.nikHmac ? e.nikHmac.toString('base64') : null,
  ...(keptId ? { keptId } : {}),
  ...(queueDepth !== null ? { queueDepth } : {}),
  ...(originKioskId ? { origin: originKioskId } : {}),
})
// Times are stored in UTC (own events are written so): the home screen's "today" is then a string range.
const fromWire = ({ origin, ...e }: WireEvent): PostLogEvent => ({
  ...e,
  nikHmac: e.nikHmac ? Buffer.from(e.nikHmac, 'base64') : null,
  at: new Date(e.at).toISOString(),
  keptId: e.keptId ?? null,
  queueDepth: e.queueDepth ?? null,
  originKioskId: origin ?? null,
})

/** Whether an event's fields fit its kind (a 'state' has a state and no HMAC; a mark names two records, nothing else). */
function consistent(e: WireEvent): boolean {
  // A desk status names no record and carries nothing but its queue depth; a record event carries no queue depth.
  if (e.kind === 'desk') {
    return e.recordId === null && e.queueDepth !== undefined && e.receiptNo === null && e.nikHmac === null && e.state === null && e.operatorId === null && e.keptId === undefined && e.origin === undefined
  }
  if (e.recordId === null || e.queueDepth !== undefined) return false
  // A relay's outcome names the record, the desk it belongs to and central's answer; nothing else.
  if (e.kind === 'relayed') {
    return e.origin !== undefined && e.state !== null && e.state !== 'purged' && e.nikHmac === null && e.receiptNo === null && e.operatorId === null && e.keptId === undefined
  }
  if (e.origin !== undefined) return false
  switch (e.kind) {
    case 'state':
      return e.state !== null && e.nikHmac === null && e.keptId === undefined
    case 'resolved':
      return e.keptId !== undefined && e.keptId !== e.recordId && e.state === null && e.nikHmac === null && e.receiptNo === null
    case 'nik':
      return e.state === null && e.nikHmac !== null && e.keptId === undefined
    case 'registered':
      return e.state === null && e.keptId === undefined
  }
}

/** Checks a pulled page against what was asked; throws PageError, never stores. */
export function checkPage(raw: unknown, expected: { postId: string; kioskId: string; after: number }): PostLogEvent[] {
  const page = Page.safeParse(raw)
  if (!page.success) {
    const tooMany = page.error.issues.some((i) => i.code === 'too_big' && i.path.length === 1 && i.path[0] === 'events')
    throw new PageError(tooMany ? 'too_many' : 'bad_page', `page: ${page.error.issues[0]?.message ?? 'invalid'}`)
  }
  if (page.data.postId !== expected.postId) throw new PageError('other_post', `page of post ${page.data.postId}, not ${expected.postId}`)
  if (page.data.kioskId !== expected.kioskId) throw new PageError('wrong_kiosk', 'page of another kiosk\'s log than the one answering')
  page.data.events.forEach((e, i) => {
    if (e.seq !== expected.after + i + 1) throw new PageError('wrong_sequence', `event ${e.seq} where ${expected.after + i + 1} was due`)
    if (!consistent(e)) throw new PageError('bad_page', `event ${e.seq}: fields do not match its kind`)
  })
  return page.data.events.map(fromWire)
}

export interface PostLogSync {
  /** The `log.page` method other desks call. */
  serve(params: unknown): unknown
  /** Pulls a connected desk's log until caught up (or PAGES_PER_VISIT pages). Returns the events stored. */
  pull(connection: PeerConnection): Promise<number>
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
  /** Where the rekey remembers which key the records were hashed under and how far it got (none: no rekey). */
  settings?: SettingsRepository
}): PostLogSync {
  const { repo, logger } = deps
  let hasher: { key: Buffer; hash: (nik: string) => Buffer } | null = null

  function postNikHash(nik: string): Buffer | null {
    const key = deps.trust.postKey()
    if (!key) return null
    if (!hasher || !hasher.key.equals(key)) hasher = { key, hash: postNikHasher(key) }
    return hasher.hash(nik)
  }

  return {
    serve(params) {
      const request = PageRequest.safeParse(params)
      const kioskId = deps.kioskId()
      if (!request.success) throw new PeerRequestError('bad_request')
      if (!kioskId) throw new PeerRequestError('not_enrolled')
      return { postId: deps.postId, kioskId, events: repo.ownPage(request.data.after, request.data.limit).map(toWire) }
    },
    async pull(connection) {
      const kioskId = connection.peer.kioskId
      let stored = 0
      for (let i = 0; i < PAGES_PER_VISIT; i++) {
        const after = repo.highWater(kioskId)
        const raw = await connection.request('log.page', { after, limit: PULL_LIMIT })
        let events: PostLogEvent[]
        try {
          events = checkPage(raw, { postId: deps.postId, kioskId, after })
        } catch (error) {
          if (error instanceof PageError) {
            logger.warn('network: refused a page of the post log', { kioskId, fault: error.fault, error: error.message })
            deps.peers.refused({ certSha256: connection.peer.certSha256, address: kioskId, reason: 'bad_page', claimedName: connection.peer.name, source: 'inbound' })
            connection.close()
          }
          throw error
        }
        stored += repo.storePage(kioskId, events)
        if (events.length < PULL_LIMIT) break
      }
      return stored
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
