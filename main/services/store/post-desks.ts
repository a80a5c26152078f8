import type { Db } from './db'
import { OWN_LOG } from './post-log'

/**
 * What the home screen's post panel reads from the post log (migration 015): each desk's status events (its upload
 * queue depth, written by the desk itself, network/desk-status.ts) and the day's registrations and central answers
 * over every desk's log, this kiosk's own ('self') included. Times in the log are UTC ISO strings (own events are
 * written so, pulled ones normalised on the way in), so a day is a string range and `post_log_day` serves it.
 */
export interface DeskStatusRow {
  at: string
  queueDepth: number
}

export interface PostDesksRepository {
  /** Appends this desk's status event, its queue depth read in the same write transaction; returns its sequence. */
  appendDeskStatus(queueDepth: () => number, at: string): number
  /** A desk's latest status event ('self' for this one), or null. */
  latestStatus(kioskId: string): DeskStatusRow | null
  /** The time of a desk's latest event of any kind, or null: when this kiosk last heard of it through its log. */
  latestEventAt(kioskId: string): string | null
  /** Post-wide: records registered in [from, to), and records central answered (accepted, duplicate, rejected) in it. */
  dayTotals(fromIso: string, toIso: string): { registered: number; uploaded: number }
}

export function createPostDesksRepository(db: Db): PostDesksRepository {
  const insertDesk = db.prepare<[string, number]>(
    `INSERT INTO post_log (kiosk_id, seq, kind, record_id, self_service, at, queue_depth)
     VALUES ('${OWN_LOG}', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = '${OWN_LOG}'), 0) + 1, 'desk', NULL, 0, ?, ?)
     RETURNING seq`,
  )
  const latestStatus = db.prepare<[string], { at: string; queue_depth: number }>(
    "SELECT at, queue_depth FROM post_log WHERE kiosk_id = ? AND kind = 'desk' ORDER BY seq DESC LIMIT 1",
  )
  const latestAt = db.prepare<[string], string>('SELECT at FROM post_log WHERE kiosk_id = ? ORDER BY seq DESC LIMIT 1').pluck()
  const registered = db.prepare<[string, string], number>("SELECT count(*) FROM post_log WHERE kind = 'registered' AND at >= ? AND at < ?").pluck()
  // A record answered twice (accepted, then marked a duplicate) counts once.
  const uploaded = db
    .prepare<[string, string], number>(
      `SELECT count(*) FROM (SELECT DISTINCT kiosk_id, record_id FROM post_log
        WHERE kind = 'state' AND state IN ('accepted', 'duplicate', 'rejected') AND at >= ? AND at < ?)`,
    )
    .pluck()
  // IMMEDIATE: the depth read and the event are one snapshot, whichever connection (the upload worker's) moves the queue.
  const append = db.transaction((depth: () => number, at: string) => (insertDesk.get(at, depth()) as { seq: number }).seq)

  return {
    appendDeskStatus: (depth, at) => append.immediate(depth, at),
    latestStatus: (kioskId) => {
      const row = latestStatus.get(kioskId)
      return row ? { at: row.at, queueDepth: row.queue_depth } : null
    },
    latestEventAt: (kioskId) => latestAt.get(kioskId) ?? null,
    dayTotals: (from, to) => ({ registered: registered.get(from, to) ?? 0, uploaded: uploaded.get(from, to) ?? 0 }),
  }
}
