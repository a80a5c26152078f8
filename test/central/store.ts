import Database from 'better-sqlite3'
import { join } from 'node:path'

export type CentralDb = Database.Database

export type ResultStatus = 'accepted' | 'duplicate' | 'rejected'
export interface FieldError {
  path: Array<string | number>
  message: string
}

/** A record id's outcome as central holds it. */
export interface StoredResult {
  recordId: string
  postId: string
  status: ResultStatus
  centralId: string | null
  errors: FieldError[] | null
}

export interface StoredBatch {
  bodySha256: string
  answer: Buffer
}

export interface CentralStats {
  /** Record ids central holds an outcome for (accepted + duplicate + rejected). */
  records: number
  accepted: number
  duplicate: number
  rejected: number
  photos: number
  batches: number
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS photos (
    sha256      TEXT PRIMARY KEY,
    bytes       BLOB NOT NULL,
    size        INTEGER NOT NULL,
    post_id     TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  -- One row per accepted person: the NIK is unique here, which is what makes "duplicate" a database fact.
  CREATE TABLE IF NOT EXISTS registrations (
    seq         INTEGER PRIMARY KEY,
    central_id  TEXT NOT NULL UNIQUE,
    record_id   TEXT NOT NULL UNIQUE,
    post_id     TEXT NOT NULL,
    nik         TEXT NOT NULL UNIQUE,
    record      TEXT NOT NULL,
    batch_id    TEXT NOT NULL,
    accepted_at TEXT NOT NULL
  );
  -- The latest outcome per record id: replayed for accepted/duplicate, overwritten when a rejected record returns.
  CREATE TABLE IF NOT EXISTS results (
    record_id  TEXT PRIMARY KEY,
    post_id    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('accepted', 'duplicate', 'rejected')),
    central_id TEXT,
    errors     TEXT,
    batch_id   TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  -- Idempotency: the exact bytes answered for a batch, keyed per post so one post can't replay another's.
  CREATE TABLE IF NOT EXISTS batches (
    post_id      TEXT NOT NULL,
    batch_id     TEXT NOT NULL,
    body_sha256  TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    answer       BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (post_id, batch_id)
  );
`

export interface CentralStore {
  readonly db: CentralDb
  /** Runs fn in one SQLite transaction: any throw rolls back everything fn wrote. */
  transaction<T>(fn: () => T): T
  photoExists(sha256: string): boolean
  /** 'created' or 'exists'; a photo is stored once by its content hash, whoever sends it. */
  putPhoto(sha256: string, bytes: Buffer, postId: string, now: string): 'created' | 'exists'
  result(recordId: string): StoredResult | undefined
  centralIdForNik(nik: string): string | undefined
  /** Inserts an accepted registration and returns its new central id. */
  insertRegistration(input: { recordId: string; postId: string; nik: string; record: string; batchId: string; now: string }): string
  putResult(result: StoredResult, batchId: string, now: string): void
  batch(postId: string, batchId: string): StoredBatch | undefined
  putBatch(input: { postId: string; batchId: string; bodySha256: string; recordCount: number; answer: Buffer; now: string }): void
  stats(): CentralStats
  close(): void
}

interface ResultRow {
  record_id: string
  post_id: string
  status: ResultStatus
  central_id: string | null
  errors: string | null
}

/** Central ids are sequential and readable in logs: C-000000001. */
export const formatCentralId = (seq: number) => `C-${String(seq).padStart(9, '0')}`

export function openCentralStore(dataDir: string): CentralStore {
  const db = new Database(join(dataDir, 'central.sqlite'))
  try {
    db.pragma('journal_mode = WAL')
    // Central is the truth the kiosks trust once they hear "accepted": a committed batch must survive a crash.
    db.pragma('synchronous = FULL')
    db.pragma('busy_timeout = 5000')
    db.exec(SCHEMA)
    db.pragma('user_version = 1')
  } catch (error) {
    db.close()
    throw error
  }

  const q = {
    photoExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM photos WHERE sha256 = ?'),
    putPhoto: db.prepare('INSERT OR IGNORE INTO photos (sha256, bytes, size, post_id, received_at) VALUES (?, ?, ?, ?, ?)'),
    result: db.prepare<[string], ResultRow>('SELECT record_id, post_id, status, central_id, errors FROM results WHERE record_id = ?'),
    byNik: db.prepare<[string], { central_id: string }>('SELECT central_id FROM registrations WHERE nik = ?'),
    maxSeq: db.prepare<[], { n: number }>('SELECT COALESCE(MAX(seq), 0) AS n FROM registrations'),
    insertRegistration: db.prepare(
      'INSERT INTO registrations (seq, central_id, record_id, post_id, nik, record, batch_id, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    putResult: db.prepare(
      `INSERT INTO results (record_id, post_id, status, central_id, errors, batch_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (record_id) DO UPDATE SET status = excluded.status, central_id = excluded.central_id, errors = excluded.errors,
         batch_id = excluded.batch_id, updated_at = excluded.updated_at`,
    ),
    batch: db.prepare<[string, string], { body_sha256: string; answer: Buffer }>('SELECT body_sha256, answer FROM batches WHERE post_id = ? AND batch_id = ?'),
    putBatch: db.prepare('INSERT INTO batches (post_id, batch_id, body_sha256, record_count, answer, received_at) VALUES (?, ?, ?, ?, ?, ?)'),
    stats: db.prepare<[], Omit<CentralStats, 'records'>>(
      `SELECT (SELECT COUNT(*) FROM results WHERE status = 'accepted') AS accepted,
              (SELECT COUNT(*) FROM results WHERE status = 'duplicate') AS duplicate,
              (SELECT COUNT(*) FROM results WHERE status = 'rejected') AS rejected,
              (SELECT COUNT(*) FROM photos) AS photos,
              (SELECT COUNT(*) FROM batches) AS batches`,
    ),
  }

  return {
    db,
    transaction: (fn) => db.transaction(fn)(),
    photoExists: (sha256) => q.photoExists.get(sha256) !== undefined,
    putPhoto: (sha256, bytes, postId, now) => (q.putPhoto.run(sha256, bytes, bytes.length, postId, now).changes === 1 ? 'created' : 'exists'),
    result(recordId) {
      const row = q.result.get(recordId)
      if (!row) return undefined
      return {
        recordId: row.record_id,
        postId: row.post_id,
        status: row.status,
        centralId: row.central_id,
        errors: row.errors === null ? null : (JSON.parse(row.errors) as FieldError[]),
      }
    },
    centralIdForNik: (nik) => q.byNik.get(nik)?.central_id,
    insertRegistration({ recordId, postId, nik, record, batchId, now }) {
      // Read inside the caller's transaction, so the next number can't be taken by anyone in between.
      const seq = q.maxSeq.get()!.n + 1
      const centralId = formatCentralId(seq)
      q.insertRegistration.run(seq, centralId, recordId, postId, nik, record, batchId, now)
      return centralId
    },
    putResult(r, batchId, now) {
      q.putResult.run(r.recordId, r.postId, r.status, r.centralId, r.errors === null ? null : JSON.stringify(r.errors), batchId, now)
    },
    batch(postId, batchId) {
      const row = q.batch.get(postId, batchId)
      return row ? { bodySha256: row.body_sha256, answer: row.answer } : undefined
    },
    putBatch({ postId, batchId, bodySha256, recordCount, answer, now }) {
      q.putBatch.run(postId, batchId, bodySha256, recordCount, answer, now)
    },
    stats() {
      const s = q.stats.get()!
      return { records: s.accepted + s.duplicate + s.rejected, ...s }
    },
    close: () => db.close(),
  }
}
