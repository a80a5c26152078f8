import type { Db } from './db'

/**
 * The peer backup's tables (migration 016): bundles this desk holds for others, and which of its own records other
 * desks hold. SQL only; the rules live in network/backup.ts.
 */
export interface HeldBundle {
  originKioskId: string
  recordId: string
  bundleId: string
  bundle: Buffer
}

/** Record states central has not answered for: what "not yet safe" counts. */
export const UNSETTLED_STATES = ['queued', 'uploading', 'exported'] as const

export interface PeerBackupRepository {
  /** Bytes held for every desk together (the quota's measure). */
  heldBytes(): number
  heldCount(): number
  /** The size held for one origin's record now (a replacement frees it). */
  heldSize(originKioskId: string, recordId: string): number
  /** Whether the post log already says central answered (or it was purged): nothing to hold then. */
  settled(originKioskId: string, recordId: string): boolean
  /** Holds several in one transaction (one fsync for a page of bundles). */
  hold(entries: readonly HeldBundle[], receivedAt: string): void
  held(originKioskId?: string): HeldBundle[]
  /** Drops what was received before `before` (retention days); returns how many. */
  dropOlderThan(before: string): number
  /** Own records not held by the desk `kioskId` (oldest first), at most `limit`. */
  notGivenTo(kioskId: string, limit: number): string[]
  given(recordIds: readonly string[], kioskId: string, storeId: string, at: string): void
  /** Forgets what `kioskId` held if its store is not `storeId` any more (a replaced desk); returns rows forgotten. */
  forgetIfReplaced(kioskId: string, storeId: string): number
  /** Own records central has not answered whose backup no other desk holds. */
  notSafe(): number
  /** Own records central has not answered. */
  unsettled(): number
}

export function createPeerBackupRepository(db: Db): PeerBackupRepository {
  const states = UNSETTLED_STATES.map((s) => `'${s}'`).join(', ')
  const heldBytes = db.prepare('SELECT coalesce(sum(size), 0) AS n FROM backup_held')
  const heldCount = db.prepare('SELECT count(*) AS n FROM backup_held')
  const heldSize = db.prepare('SELECT size FROM backup_held WHERE origin_kiosk_id = ? AND record_id = ?')
  const settled = db.prepare(
    "SELECT 1 FROM post_log WHERE kiosk_id = ? AND record_id = ? AND kind = 'state' AND state IN ('accepted', 'duplicate', 'purged') LIMIT 1",
  )
  const hold = db.prepare(
    `INSERT INTO backup_held (origin_kiosk_id, record_id, bundle_id, bundle, size, received_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (origin_kiosk_id, record_id) DO UPDATE SET bundle_id = excluded.bundle_id, bundle = excluded.bundle, size = excluded.size, received_at = excluded.received_at`,
  )
  const heldAll = db.prepare('SELECT origin_kiosk_id, record_id, bundle_id, bundle FROM backup_held ORDER BY received_at')
  const heldBy = db.prepare('SELECT origin_kiosk_id, record_id, bundle_id, bundle FROM backup_held WHERE origin_kiosk_id = ? ORDER BY received_at')
  const dropOld = db.prepare('DELETE FROM backup_held WHERE received_at < ?')
  const notGiven = db.prepare(
    `SELECT r.id FROM registrations r WHERE r.state IN (${states})
     AND NOT EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id AND g.kiosk_id = ?) ORDER BY r.created_at LIMIT ?`,
  )
  const given = db.prepare(
    'INSERT INTO backup_given (record_id, kiosk_id, store_id, given_at) VALUES (?, ?, ?, ?) ON CONFLICT (record_id, kiosk_id) DO UPDATE SET store_id = excluded.store_id, given_at = excluded.given_at',
  )
  const forget = db.prepare('DELETE FROM backup_given WHERE kiosk_id = ? AND store_id != ?')
  const notSafe = db.prepare(`SELECT count(*) AS n FROM registrations r WHERE r.state IN (${states}) AND NOT EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id)`)
  const unsettled = db.prepare(`SELECT count(*) AS n FROM registrations WHERE state IN (${states})`)
  type Row = { origin_kiosk_id: string; record_id: string; bundle_id: string; bundle: Buffer }
  const toHeld = (r: Row): HeldBundle => ({ originKioskId: r.origin_kiosk_id, recordId: r.record_id, bundleId: r.bundle_id, bundle: r.bundle })
  return {
    heldBytes: () => (heldBytes.get() as { n: number }).n,
    heldCount: () => (heldCount.get() as { n: number }).n,
    heldSize: (origin, record) => (heldSize.get(origin, record) as { size: number } | undefined)?.size ?? 0,
    settled: (origin, record) => settled.get(origin, record) !== undefined,
    hold: (entries, at) => db.transaction(() => entries.forEach((e) => hold.run(e.originKioskId, e.recordId, e.bundleId, e.bundle, e.bundle.length, at)))(),
    held: (origin) => ((origin === undefined ? heldAll.all() : heldBy.all(origin)) as Row[]).map(toHeld),
    dropOlderThan: (before) => dropOld.run(before).changes,
    notGivenTo: (kioskId, limit) => (notGiven.all(kioskId, limit) as Array<{ id: string }>).map((r) => r.id),
    given: (recordIds, kioskId, storeId, at) => db.transaction(() => recordIds.forEach((id) => given.run(id, kioskId, storeId, at)))(),
    forgetIfReplaced: (kioskId, storeId) => forget.run(kioskId, storeId).changes,
    notSafe: () => (notSafe.get() as { n: number }).n,
    unsettled: () => (unsettled.get() as { n: number }).n,
  }
}
