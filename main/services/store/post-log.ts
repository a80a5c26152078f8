import type { Db } from './db'

/**
 * The post log's rows (migration 013): this kiosk's own events, written by triggers on `registrations`, served to
 * the post's other desks in pages; and theirs, stored as pulled. Storing is idempotent by (kiosk, sequence): a page
 * pulled twice (a kill mid-transfer, a retry) changes nothing the second time.
 */
export type PostLogKind = 'registered' | 'nik' | 'state' | 'resolved' | 'desk' | 'relayed'
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
  /** 'resolved' only (migration 014): the record kept; `recordId` is the one marked as its duplicate. */
  keptId: string | null
  /** 'desk' events only (migration 015): the desk's upload queue depth when it wrote the event. */
  queueDepth: number | null
  /** 'relayed' only (migration 017): the desk whose record this desk posted to central; `state` is central's answer. */
  originKioskId?: string | null
}

/** One record of a NIK held more than once post-wide (the anomaly screen), with the marks naming it a duplicate. */
export interface AnomalyRow {
  nikHmac: Buffer
  kioskId: string
  recordId: string
  receiptNo: string | null
  at: string
  state: PostLogState | null
}

export interface ResolvedMark {
  /** The desk whose log holds the mark ('self': this one). */
  kioskId: string
  seq: number
  recordId: string
  keptId: string
  operatorId: string | null
  at: string
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
  /** Records holding a post NIK HMAC after `rowid`, in rowid order: rehashed when the post key changes. */
  withPostNikAfter(rowid: number, limit: number): Array<{ rowid: number; id: string; sealed: Buffer }>
  /**
   * Files a peer's log under another kiosk id (a paired desk that enrolled: its fingerprint id becomes central's),
   * in one transaction. If the new id already holds events, the old copy is dropped instead: the pull under the new
   * id brings the whole log again, and one record under two ids would read as a NIK registered twice.
   */
  renameLog(from: string, to: string): 'renamed' | 'dropped' | 'none'
  /** Every record whose post NIK HMAC another record of the post also holds, grouped by HMAC, oldest first. */
  anomalies(): AnomalyRow[]
  /** The marks (any desk's) naming one of these records the duplicate. */
  marksOn(recordIds: readonly string[]): ResolvedMark[]
  /** Appends this desk's mark to its own log; returns its sequence. */
  appendResolved(mark: { recordId: string; keptId: string; operatorId: string | null; at: string }): number
  /** This desk's own marks after `after` (the ones central has not acknowledged). */
  ownMarksAfter(after: number): ResolvedMark[]
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
  kept_id: string | null
  queue_depth: number | null
  origin_kiosk_id: string | null
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
  keptId: r.kept_id,
  queueDepth: r.queue_depth,
  originKioskId: r.origin_kiosk_id,
})

export function createPostLogRepository(db: Db): PostLogRepository {
  const page = db.prepare<[string, number, number], Row>(
    'SELECT seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id, queue_depth, origin_kiosk_id FROM post_log WHERE kiosk_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  )
  const high = db.prepare<[string], { s: number | null }>('SELECT max(seq) AS s FROM post_log WHERE kiosk_id = ?')
  const insert = db.prepare(
    `INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id, queue_depth, origin_kiosk_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, seq) DO NOTHING`,
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
  const latestState = `(SELECT l.state FROM post_log l WHERE l.kiosk_id = n.kiosk_id AND l.record_id = n.record_id AND l.kind = 'state' ORDER BY l.seq DESC LIMIT 1)`
  const anomalies = db.prepare<[], { nik_hmac: Buffer; kiosk_id: string; record_id: string; receipt_no: string | null; at: string; state: PostLogState | null }>(
    `SELECT n.nik_hmac, n.kiosk_id, n.record_id, n.receipt_no, n.at, ${latestState} AS state
     FROM post_nik n WHERE n.nik_hmac IN (SELECT nik_hmac FROM post_nik GROUP BY nik_hmac HAVING count(*) > 1)
     ORDER BY n.nik_hmac, n.at, n.record_id`,
  )
  const markSql = 'SELECT kiosk_id, seq, record_id, kept_id, operator_id, at FROM post_log'
  const toMark = (r: { kiosk_id: string; seq: number; record_id: string; kept_id: string; operator_id: string | null; at: string }): ResolvedMark => ({
    kioskId: r.kiosk_id,
    seq: r.seq,
    recordId: r.record_id,
    keptId: r.kept_id,
    operatorId: r.operator_id,
    at: r.at,
  })
  const marksOn = db.prepare<[string], Parameters<typeof toMark>[0]>(`${markSql} WHERE kind = 'resolved' AND record_id = ? ORDER BY at, kiosk_id, seq`)
  const ownMarks = db.prepare<[number], Parameters<typeof toMark>[0]>(`${markSql} WHERE kind = 'resolved' AND kiosk_id = '${OWN_LOG}' AND seq > ? ORDER BY seq`)
  const appendResolved = db.prepare<[string, string, string | null, string], { seq: number }>(
    `INSERT INTO post_log (kiosk_id, seq, kind, record_id, kept_id, operator_id, at)
     VALUES ('${OWN_LOG}', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = '${OWN_LOG}'), 0) + 1, 'resolved', ?, ?, ?, ?)
     RETURNING seq`,
  )
  const withNikAfter = db.prepare<[number, number], { rowid: number; id: string; sealed: Buffer }>(
    'SELECT rowid, id, sealed FROM registrations WHERE rowid > ? AND sealed IS NOT NULL AND post_nik_hmac IS NOT NULL ORDER BY rowid LIMIT ?',
  )
  const renameTx = db.transaction((from: string, to: string): 'renamed' | 'dropped' | 'none' => {
    if (from === OWN_LOG || to === OWN_LOG) throw new Error('this kiosk\'s own log is not renamed')
    if (high.get(from)?.s == null) return 'none'
    if (high.get(to)?.s != null) {
      db.prepare('DELETE FROM post_nik WHERE kiosk_id = ?').run(from)
      db.prepare('DELETE FROM post_log WHERE kiosk_id = ?').run(from)
      return 'dropped'
    }
    db.prepare('UPDATE post_nik SET kiosk_id = ? WHERE kiosk_id = ?').run(to, from)
    db.prepare('UPDATE post_log SET kiosk_id = ? WHERE kiosk_id = ?').run(to, from)
    return 'renamed'
  })
  const storeTx = db.transaction((kioskId: string, events: readonly PostLogEvent[]) => {
    let stored = 0
    for (const e of events) {
      stored += insert.run(kioskId, e.seq, e.kind, e.recordId, e.receiptNo, e.nikHmac, e.state, e.operatorId, e.selfService ? 1 : 0, e.at, e.keptId, e.queueDepth, e.originKioskId ?? null).changes
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
    withPostNikAfter: (rowid, limit) => withNikAfter.all(rowid, limit),
    renameLog: (from, to) => renameTx(from, to),
    anomalies: () =>
      anomalies.all().map((r) => ({ nikHmac: r.nik_hmac, kioskId: r.kiosk_id, recordId: r.record_id, receiptNo: r.receipt_no, at: r.at, state: r.state })),
    marksOn: (recordIds) => recordIds.flatMap((id) => marksOn.all(id).map(toMark)),
    appendResolved: (mark) => appendResolved.get(mark.recordId, mark.keptId, mark.operatorId, mark.at)!.seq,
    ownMarksAfter: (after) => ownMarks.all(after).map(toMark),
    counts: () => counts.all().map((r) => ({ kioskId: r.kiosk_id, events: r.n, lastSeq: r.s })),
  }
}
