import type { Db } from './db'

export interface PurgeCounts {
  records: number
  photos: number
}

export interface RetentionRepository {
  /**
   * Records whose personal data has outlived its use since before `beforeIso`: those central holds (accepted or
   * duplicate, counted from acceptance), and those that never got there: rejected and never fixed, or held for a
   * staff review that never came (counted from their last change).
   */
  purgeable(beforeIso: string): string[]
  /** Erases personal fields and photos of these records; the non-personal row stays for reports. One transaction. */
  purge(recordIds: readonly string[], nowIso: string): PurgeCounts
  /** Pushes erased bytes out of the WAL and rebuilds the file so no freed page still holds them. */
  compact(): void
}

export function createRetentionRepository(db: Db): RetentionRepository {
  const due = db.prepare<[string, string, string], string>(
    `SELECT id FROM registrations WHERE state IN ('accepted', 'duplicate') AND accepted_at IS NOT NULL AND accepted_at < ?
     UNION ALL
     SELECT id FROM registrations WHERE state = 'rejected' AND updated_at < ?
     UNION ALL
     SELECT r.id FROM registrations r JOIN outbox o ON o.record_id = r.id WHERE r.state = 'queued' AND o.held = 1 AND r.updated_at < ?`,
  ).pluck()
  const eraseRecord = db.prepare<[string, string, string]>(
    `UPDATE registrations SET sealed = NULL, nik_hmac = NULL, state = 'purged', purged_at = ?, updated_at = ?
      WHERE id = ? AND (state IN ('accepted', 'duplicate', 'rejected') OR (state = 'queued' AND id IN (SELECT record_id FROM outbox WHERE held = 1)))`,
  )
  // A held record's outbox row goes with its data: nothing is left to upload.
  const dropOutbox = db.prepare<[string]>('DELETE FROM outbox WHERE record_id = ?')
  const erasePhotos = db.prepare<[string, string]>('UPDATE photos SET sealed = NULL, purged_at = ? WHERE record_id = ? AND sealed IS NOT NULL')
  const purge = db.transaction((ids: readonly string[], nowIso: string): PurgeCounts => {
    let records = 0
    let photos = 0
    for (const id of ids) {
      const erased = eraseRecord.run(nowIso, nowIso, id).changes
      if (erased === 0) continue
      records += erased
      dropOutbox.run(id)
      photos += erasePhotos.run(nowIso, id).changes
    }
    return { records, photos }
  })
  return {
    purgeable: (before) => due.all(before, before, before),
    purge: (ids, nowIso) => purge(ids, nowIso),
    compact() {
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.exec('VACUUM')
      db.pragma('wal_checkpoint(TRUNCATE)')
    },
  }
}
