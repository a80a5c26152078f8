import type { Db } from './db'

/**
 * The post log's rows (migration 013): this kiosk's own events, written by triggers on `registrations`, served to
 * the post's other desks in pages; and theirs, stored as pulled. Storing is idempotent by (kiosk, sequence): a page
 * pulled twice (a kill mid-transfer, a retry) changes nothing the second time.
 */
export type PostLogKind = 'registered' | 'nik' | 'state' | 'desk'
export type PostLogState = 'accepted' | 'duplicate' | 'rejected' | 'purged'

export interface PostLogEvent {
  seq: number
  kind: PostLogKind
  /** Null for a 'desk' event (migration 015), which is about the desk, not a record. */
  recordId: string | null
  receiptNo: string | null
  nikHmac: Buffer | null
  state: PostLogState | null
  operatorId: string | null
  selfService: boolean
  at: string
  /** 'desk' events only: the desk's upload queue depth when it wrote the event. */
  queueDepth: number | null
}

export interface PostNikHolder {
  /** 'self' for this kiosk's own records. */
  kioskId: string
  recordId: string
  receiptNo: string | null
  at: string
  /** Its latest state event's state; null: none yet (queued). */
  state: PostLogState | null
}

export const OWN_LOG = 'self'

export interface PostLogRepository {
  /** Own events after `after`, in order, at most `limit`. */
  ownPage(after: number, limit: number): PostLogEvent[]
  /** The last sequence stored of a kiosk's log (0: none). */
  highWater(kioskId: string): number
  /** Stores a pulled page in one transaction; returns how many were new. The caller checked the page. */
  storePage(kioskId: string, events: readonly PostLogEvent[]): number
  /** Who holds this post NIK HMAC, post-wide (own records included, as 'self'). */
  holders(nikHmac: Buffer): PostNikHolder[]
  /** Records still sealed but without a post NIK HMAC (made before the kiosk had the post key). */
  withoutPostNik(limit: number): Array<{ id: string; sealed: Buffer }>
  setPostNik(id: string, nikHmac: Buffer, at: string): void
  /** Events stored per kiosk log ('self' included). */
  counts(): Array<{ kioskId: string; events: number; lastSeq: number }>
}

interface Row {
  seq: number
  kind: PostLogKind
  record_id: string | null
  receipt_no: string | null
  nik_hmac: Buffer | null
  state: PostLogState | null
  operator_id: string | null
  self_service: number
  at: string
  queue_depth: number | null
}

const toEvent = (r: Row): PostLogEvent => ({
  seq: r.seq,
  kind: r.kind,
  recordId: r.record_id,
  receiptNo: r.receipt_no,
  nikHmac: r.nik_hmac,
  state: r.state,
  operatorId: r.operator_id,
  selfService: r.self_service === 1,
  at: r.at,
  queueDepth: r.queue_depth,
})

export function createPostLogRepository(db: Db): PostLogRepository {
  const page = db.prepare<[string, number, number], Row>(
    'SELECT seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, queue_depth FROM post_log WHERE kiosk_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  )
  const high = db.prepare<[string], { s: number | null }>('SELECT max(seq) AS s FROM post_log WHERE kiosk_id = ?')
  const insert = db.prepare(
    `INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, queue_depth)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, seq) DO NOTHING`,
  )
  const holders = db.prepare<[Buffer], { kiosk_id: string; record_id: string; receipt_no: string | null; at: string; state: PostLogState | null }>(
    `SELECT n.kiosk_id, n.record_id, n.receipt_no, n.at,
            (SELECT l.state FROM post_log l WHERE l.kiosk_id = n.kiosk_id AND l.record_id = n.record_id AND l.kind = 'state' ORDER BY l.seq DESC LIMIT 1) AS state
     FROM post_nik n WHERE n.nik_hmac = ? ORDER BY n.at`,
  )
  const missing = db.prepare<[number], { id: string; sealed: Buffer }>(
    'SELECT id, sealed FROM registrations WHERE post_nik_hmac IS NULL AND sealed IS NOT NULL LIMIT ?',
  )
  const setNik = db.prepare('UPDATE registrations SET post_nik_hmac = ?, updated_at = ? WHERE id = ? AND sealed IS NOT NULL')
  const counts = db.prepare<[], { kiosk_id: string; n: number; s: number }>('SELECT kiosk_id, count(*) AS n, max(seq) AS s FROM post_log GROUP BY kiosk_id')
  const storeTx = db.transaction((kioskId: string, events: readonly PostLogEvent[]) => {
    let stored = 0
    for (const e of events) {
      stored += insert.run(kioskId, e.seq, e.kind, e.recordId, e.receiptNo, e.nikHmac, e.state, e.operatorId, e.selfService ? 1 : 0, e.at, e.queueDepth).changes
    }
    return stored
  })
  return {
    ownPage: (after, limit) => page.all(OWN_LOG, after, limit).map(toEvent),
    highWater: (kioskId) => high.get(kioskId)?.s ?? 0,
    storePage: (kioskId, events) => {
      if (kioskId === OWN_LOG) throw new Error('a peer log cannot be stored as this kiosk\'s own')
      return storeTx(kioskId, events)
    },
    holders: (nikHmac) => holders.all(nikHmac).map((r) => ({ kioskId: r.kiosk_id, recordId: r.record_id, receiptNo: r.receipt_no, at: r.at, state: r.state })),
    withoutPostNik: (limit) => missing.all(limit),
    setPostNik: (id, nikHmac, at) => void setNik.run(nikHmac, at, id),
    counts: () => counts.all().map((r) => ({ kioskId: r.kiosk_id, events: r.n, lastSeq: r.s })),
  }
}
