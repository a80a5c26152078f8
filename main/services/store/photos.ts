import type { Db } from './db'

/** Associated data a photo is sealed under: a sealed photo moved to another row fails to open. */
export const photoAad = (sha256: string) => `photo:${sha256}`

export interface PhotoRow {
  sha256: string
  kind: 'face' | 'card'
  verdict: 'pass' | 'fail'
  sealed: Buffer | null
  bytes: number
  record_id: string | null
  created_at: string
  purged_at: string | null
}

/** A photo to upload: its hash and the size of its JPEG. */
export interface PhotoToSend {
  sha256: string
  bytes: number
}

export interface PhotosRepository {
  /** Stores a processed photo once; the same JPEG processed twice is the same row. */
  insert(photo: { sha256: string; kind: 'face' | 'card'; verdict: 'pass' | 'fail'; sealed: Buffer; bytes: number; createdAt: string }): void
  get(sha256: string): PhotoRow | undefined
  /** Claims photos for a record (inside the submit transaction). */
  link(sha256s: readonly string[], recordId: string): void
  /** Of these hashes, the stored (not purged) photos central has not confirmed yet, in the order asked. */
  notUploaded(sha256s: readonly string[]): PhotoRow[]
  /** The same, hash and JPEG size only: the photos themselves are not read. */
  notUploadedSizes(sha256s: readonly string[]): PhotoToSend[]
  markUploaded(sha256s: readonly string[], at: string): void
  /** Erases photos no record claimed, created before `beforeIso` (retakes, abandoned drafts). */
  deleteOrphans(beforeIso: string): number
}

export function createPhotosRepository(db: Db): PhotosRepository {
  const insert = db.prepare<[string, string, string, Buffer, number, string]>(
    `INSERT INTO photos (sha256, kind, verdict, sealed, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
  )
  const get = db.prepare<[string], PhotoRow>('SELECT * FROM photos WHERE sha256 = ?')
  const link = db.prepare<[string, string]>('UPDATE photos SET record_id = ? WHERE sha256 = ?')
  const uploaded = db.prepare<[string, string]>('INSERT INTO photo_uploads (sha256, uploaded_at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING')
  // Stored (not purged) and not confirmed by central. Testing `sealed IS NOT NULL` reads the row's header only, not
  // the photo's overflow pages, so the sizes-only query reads no photo.
  const unconfirmed = 'FROM photos p WHERE p.sha256 = ? AND p.sealed IS NOT NULL AND NOT EXISTS (SELECT 1 FROM photo_uploads u WHERE u.sha256 = p.sha256)'
  const pending = db.prepare<[string], PhotoRow>(`SELECT * ${unconfirmed}`)
  const pendingSize = db.prepare<[string], PhotoToSend>(`SELECT p.sha256, p.bytes ${unconfirmed}`)
  // A parked draft's photos are not abandoned (migration 011): they go when the draft expires or is resumed.
  const orphans = db.prepare<[string]>(
    'DELETE FROM photos WHERE record_id IS NULL AND created_at < ? AND NOT EXISTS (SELECT 1 FROM draft_photos d WHERE d.sha256 = photos.sha256)',
  )
  return {
    insert: (p) => void insert.run(p.sha256, p.kind, p.verdict, p.sealed, p.bytes, p.createdAt),
    get: (sha256) => get.get(sha256),
    link: db.transaction((sha256s: readonly string[], recordId: string) => {
      for (const sha of sha256s) link.run(recordId, sha)
    }),
    // One read transaction, so the list is one consistent snapshot however long it is.
    notUploaded: db.transaction((sha256s: readonly string[]) => sha256s.flatMap((sha) => pending.get(sha) ?? [])),
    notUploadedSizes: db.transaction((sha256s: readonly string[]) => sha256s.flatMap((sha) => pendingSize.get(sha) ?? [])),
    markUploaded: db.transaction((sha256s: readonly string[], at: string) => {
      for (const sha of sha256s) uploaded.run(sha, at)
    }),
    deleteOrphans: (beforeIso) => orphans.run(beforeIso).changes,
  }
}
