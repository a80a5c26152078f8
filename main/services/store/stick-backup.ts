import { createHash } from 'node:crypto'
import type { Db } from './db'
import { UNSETTLED_STATES } from './peer-backup'

/**
 * What the USB backup (issue 22.3) reads of the store: this desk's records central has not answered, each with a
 * version tag (a hash of its sealed bytes: a new version after an edit gets a new tag), and which records are
 * settled. No table of its own: the files on the stick are the record of what the stick holds, so a stick that was
 * emptied, swapped or written elsewhere is never counted for what it does not hold.
 */
export interface StickRecord {
  recordId: string
  /** 16 hex characters of the SHA-256 of the record's sealed bytes: names the version on the stick. */
  tag: string
}

export interface StickBackupRepository {
  /** Records central has not answered (queued, uploading, exported), oldest first, with their version tags. */
  unsettled(): StickRecord[]
  /** Whether central answered the record (accepted, duplicate) or it was purged: its copy on a stick can go. */
  settled(recordId: string): boolean
  /** Records not answered that no other desk holds (peer backup's rows): the stick's copy decides whether they are safe. */
  notHeldByPeers(): string[]
}

export function createStickBackupRepository(db: Db): StickBackupRepository {
  const states = UNSETTLED_STATES.map((s) => `'${s}'`).join(', ')
  const unsettled = db.prepare<[], { id: string; updated_at: string }>(`SELECT id, updated_at FROM registrations WHERE state IN (${states}) ORDER BY created_at`)
  const sealed = db.prepare<[string], { sealed: Buffer | null }>('SELECT sealed FROM registrations WHERE id = ?')
  const state = db.prepare<[string], { state: string }>('SELECT state FROM registrations WHERE id = ?')
  const notHeld = db.prepare<[], { id: string }>(
    `SELECT r.id FROM registrations r WHERE r.state IN (${states}) AND NOT EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id)`,
  )
  // Hashing every unanswered record's sealed bytes on each pass would be wasted work: a tag changes only with the
  // row, so it is kept per (id, updated_at).
  const tags = new Map<string, { updatedAt: string; tag: string }>()
  return {
    unsettled() {
      const rows = unsettled.all()
      const live = new Set<string>()
      const out: StickRecord[] = []
      for (const row of rows) {
        live.add(row.id)
        let known = tags.get(row.id)
        if (known?.updatedAt !== row.updated_at) {
          const bytes = sealed.get(row.id)?.sealed
          if (!bytes) continue
          known = { updatedAt: row.updated_at, tag: createHash('sha256').update(bytes).digest('hex').slice(0, 16) }
          tags.set(row.id, known)
        }
        out.push({ recordId: row.id, tag: known.tag })
      }
      for (const id of tags.keys()) if (!live.has(id)) tags.delete(id)
      return out
    },
    settled: (recordId) => {
      const row = state.get(recordId)
      return row !== undefined && (row.state === 'accepted' || row.state === 'duplicate' || row.state === 'purged')
    },
    notHeldByPeers: () => notHeld.all().map((r) => r.id),
  }
}
