import type { Db } from './db'

/** Associated data a draft is sealed under: a sealed draft moved to another row fails to open. */
export const draftAad = (id: string) => `draft:${id}`

export interface DraftRow {
  id: string
  number: number
  sealed: Buffer
  step: string
  operator_id: string | null
  parked_at: string
  expires_at: string
  photos: number
}

export interface NewDraft {
  id: string
  sealed: Buffer
  step: string
  operatorId: string | null
  parkedAt: string
  expiresAt: string
  photos: readonly string[]
}

export interface DraftsRepository {
  /** Stores a parked draft with the next free number and holds its photos; one transaction. Returns its number. */
  park(draft: NewDraft): number
  /** Parked drafts not expired at `nowIso`, oldest first. */
  list(nowIso: string): DraftRow[]
  get(id: string): DraftRow | undefined
  /** Of these hashes, those of stored photos no record has claimed (a draft may hold only those). */
  unclaimedPhotos(sha256s: readonly string[]): string[]
  /**
   * Takes a draft out of the store to be worked on again: its row and its hold on its photos go, and its photos are
   * dated now, so the day an abandoned photo is kept starts again from the resume. One transaction.
   */
  take(id: string, nowIso: string): DraftRow | undefined
  /** Erases drafts expired at `nowIso` and the photos only they held. */
  deleteExpired(nowIso: string): { drafts: number; photos: number }
}

export function createDraftsRepository(db: Db): DraftsRepository {
  const nextNumber = db.prepare<[], number>('SELECT COALESCE(MAX(number), 0) + 1 FROM drafts').pluck()
  const insert = db.prepare<[string, number, Buffer, string, string | null, string, string]>(
    'INSERT INTO drafts (id, number, sealed, step, operator_id, parked_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const hold = db.prepare<[string, string]>('INSERT INTO draft_photos (draft_id, sha256) VALUES (?, ?)')
  const columns = 'd.*, (SELECT COUNT(*) FROM draft_photos p WHERE p.draft_id = d.id) AS photos'
  const live = db.prepare<[string], DraftRow>(`SELECT ${columns} FROM drafts d WHERE d.expires_at > ? ORDER BY d.parked_at, d.number`)
  const byId = db.prepare<[string], DraftRow>(`SELECT ${columns} FROM drafts d WHERE d.id = ?`)
  const unclaimed = db.prepare<[string], string>('SELECT sha256 FROM photos WHERE sha256 = ? AND record_id IS NULL AND sealed IS NOT NULL').pluck()
  const heldPhotos = db.prepare<[string], string>('SELECT sha256 FROM draft_photos WHERE draft_id = ?').pluck()
  const redate = db.prepare<[string, string]>('UPDATE photos SET created_at = ? WHERE sha256 = ? AND record_id IS NULL')
  const remove = db.prepare<[string]>('DELETE FROM drafts WHERE id = ?')
  const expired = db.prepare<[string], string>('SELECT id FROM drafts WHERE expires_at <= ?').pluck()
  // Only a photo nothing else wants: no record claimed it and no other draft holds it.
  const erasePhoto = db.prepare<[string]>(
    'DELETE FROM photos WHERE sha256 = ? AND record_id IS NULL AND NOT EXISTS (SELECT 1 FROM draft_photos d WHERE d.sha256 = photos.sha256)',
  )

  return {
    park: db.transaction((d: NewDraft) => {
      const number = nextNumber.get() as number
      insert.run(d.id, number, d.sealed, d.step, d.operatorId, d.parkedAt, d.expiresAt)
      for (const sha of new Set(d.photos)) hold.run(d.id, sha)
      return number
    }),
    list: (nowIso) => live.all(nowIso),
    get: (id) => byId.get(id),
    unclaimedPhotos: db.transaction((sha256s: readonly string[]) => sha256s.filter((sha) => unclaimed.get(sha) !== undefined)),
    take: db.transaction((id: string, nowIso: string) => {
      const row = byId.get(id)
      if (!row) return undefined
      const photos = heldPhotos.all(id)
      remove.run(id)
      for (const sha of photos) redate.run(nowIso, sha)
      return row
    }),
    deleteExpired: db.transaction((nowIso: string) => {
      let drafts = 0
      let photos = 0
      for (const id of expired.all(nowIso)) {
        const held = heldPhotos.all(id)
        drafts += remove.run(id).changes
        for (const sha of held) photos += erasePhoto.run(sha).changes
      }
      return { drafts, photos }
    }),
  }
}
