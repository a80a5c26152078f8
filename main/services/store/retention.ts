import type { Db } from './db'

export interface PurgeCounts {
  records: number
  photos: number
}

export interface RetentionRepository {
  /** Records central holds (accepted or duplicate) since before `acceptedBeforeIso`, with their photos. */
  purgeable(acceptedBeforeIso: string): string[]
  /** Erases personal fields and photos of these records; the non-personal row stays for reports. One transaction. */
  purge(recordIds: readonly string[], nowIso: string): PurgeCounts
  /** Pushes erased bytes out of the WAL and rebuilds the file so no freed page still holds them. */
  compact(): void
}

export function createRetentionRepository(db: Db): RetentionRepository {
  const due = db.prepare<[string], string>(
    `SELECT id FROM registrations WHERE state IN ('accepted', 'duplicate') AND accepted_at IS NOT NULL AND accepted_at < ? ORDER BY accepted_at`,
  ).pluck()
  const eraseRecord = db.prepare<[string, string, string]>(
    `UPDATE registrations SET sealed = NULL, nik_hmac = NULL, state = 'purged', purged_at = ?, updated_at = ? WHERE id = ? AND state IN ('accepted', 'duplicate')`,
  )
  const erasePhotos = db.prepare<[string, string]>('UPDATE photos SET sealed = NULL, purged_at = ? WHERE record_id = ? AND sealed IS NOT NULL')
  const purge = db.transaction((ids: readonly string[], nowIso: string): PurgeCounts => {
    let records = 0
    let photos = 0
    for (const id of ids) {
      records += eraseRecord.run(nowIso, nowIso, id).changes
      photos += erasePhotos.run(nowIso, id).changes
    }
    return { records, photos }
  })
  return {
    purgeable: (before) => due.all(before),
    purge: (ids, nowIso) => purge(ids, nowIso),
    compact() {
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.exec('VACUUM')
      db.pragma('wal_checkpoint(TRUNCATE)')
    },
  }
}
