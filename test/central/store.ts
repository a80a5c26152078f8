import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
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

export interface StoredEnrolmentCode {
  postId: string
  expiresAt: string
  usedAt: string | null
  /** Key id of the kiosk that redeemed it. */
  usedBy: string | null
}

export interface StoredKiosk {
  keyId: string
  postId: string
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer
  revokedAt: string | null
}

/** An enrolled kiosk as IT's fleet view lists it. */
export interface KioskSummary {
  keyId: string
  postId: string
  kioskVersion: string
  enrolledAt: string
  revokedAt: string | null
}

/** Who holds a NIK at central: its central id and the post that registered it. */
export interface NikHolder {
  centralId: string
  postId: string
  /** The holder's receipt and when central accepted it: told to the holder's own post only (nik-lookup.ts). */
  receiptNo: string
  acceptedAt: string
}

export interface StoredBundle {
  postId: string
  bodySha256: string
  answer: Buffer
}

export interface StoredHeartbeat {
  receivedAt: string
  /** The heartbeat's JSON as received (already validated). */
  body: string
}

export interface AuditHeadRow {
  seq: number
  hash: string
}

export interface StoredAuditAlert {
  actor: string
  postId: string
  at: string
  previous: AuditHeadRow
  reported: AuditHeadRow
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

/**
 * Photos live in their own file, attached as `photo_store`, with 64 KiB pages: a 30 KB JPEG is then one page instead
 * of a chain of eight, and storing photo packs ran at ~450 MB/s instead of ~270 MB/s here. The records keep 4 KiB
 * pages (their indexes take random keys, and a bigger page would multiply what each batch writes). The photo file
 * keeps a rollback journal, not a WAL: its writes are new pages at the end of the file, which a rollback journal
 * does not copy, while a WAL writes every photo twice (once to the log, again at the checkpoint); with it the bulk
 * upload bench ran ~10 % faster. A transaction spans both files; after a crash mid-commit a photo may be stored without its batch, which is harmless: photos
 * are content-addressed and a record that names a missing one is rejected.
 */
const PHOTO_SCHEMA = `
  CREATE TABLE IF NOT EXISTS photo_store.photos (
    sha256      TEXT PRIMARY KEY,
    bytes       BLOB NOT NULL,
    size        INTEGER NOT NULL,
    post_id     TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
`

const SCHEMA = `
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
  -- One-time enrolment codes, by SHA-256 of "<postId>:<code>": the code itself is a credential and is never stored.
  CREATE TABLE IF NOT EXISTS enrolment_codes (
    code_sha256 TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     TEXT
  );
  -- Enrolled kiosks: the Ed25519 key that signs their bundles, and the SHA-256 of their bearer token.
  CREATE TABLE IF NOT EXISTS kiosks (
    key_id        TEXT PRIMARY KEY,
    post_id       TEXT NOT NULL,
    public_key    BLOB NOT NULL,
    token_sha256  TEXT NOT NULL UNIQUE,
    kiosk_version TEXT NOT NULL,
    code_sha256   TEXT NOT NULL,
    enrolled_at   TEXT NOT NULL,
    token_at      TEXT NOT NULL
  );
  -- Imported offline bundles: the exact answer, replayed when the same file comes again.
  CREATE TABLE IF NOT EXISTS bundles (
    bundle_id    TEXT PRIMARY KEY,
    post_id      TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    body_sha256  TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    answer       BLOB NOT NULL,
    imported_by  TEXT NOT NULL,
    received_at  TEXT NOT NULL
  );
  -- Cross-post duplicate answers, per credential ("actor": a kiosk key id, or post:<postId> for a posts.json token):
  -- each one told a kiosk that a NIK is held elsewhere, which is what probing looks like, so they are counted and
  -- rate-limited (batch.ts, routes.ts) and shown to IT. The holder's post is kept for IT; the kiosk never hears it.
  CREATE TABLE IF NOT EXISTS duplicate_hits (
    seq            INTEGER PRIMARY KEY,
    actor          TEXT NOT NULL,
    post_id        TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    holder_post_id TEXT NOT NULL,
    at             TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS duplicate_hits_actor_at ON duplicate_hits (actor, at);
  -- The latest audit-chain head each credential reported (fleet/wire.ts AuditHead), per credential because a post
  -- may run two kiosks with a chain each; and every head that did not continue the one before (fleet.ts).
  CREATE TABLE IF NOT EXISTS audit_heads (
    actor       TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  -- Issue 22: each enrolled desk's latest "not yet safe" count (records no other desk nor its stick holds), per
  -- desk because the post's heartbeat row keeps only the latest desk's.
  CREATE TABLE IF NOT EXISTS kiosk_not_safe (
    key_id      TEXT PRIMARY KEY,
    not_safe    INTEGER,
    received_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS audit_alerts (
    seq       INTEGER PRIMARY KEY,
    actor     TEXT NOT NULL,
    post_id   TEXT NOT NULL,
    at        TEXT NOT NULL,
    prev_seq  INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    new_seq   INTEGER NOT NULL,
    new_hash  TEXT NOT NULL
  );
  -- The post network (DESIGN §11): each post's key for the post-wide NIK HMAC, made on first use and handed only to
  -- the post's own kiosks, sealed to each one's box key (roster.ts).
  CREATE TABLE IF NOT EXISTS post_keys (
    post_id    TEXT PRIMARY KEY,
    key        BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  -- The post network's anomaly screen (issue 21.4): the post's staff marked one of two records of one NIK (both
  -- registered during a split) as the duplicate of the other. Kept as the post said it, once per duplicate.
  CREATE TABLE IF NOT EXISTS duplicate_marks (
    duplicate_id TEXT PRIMARY KEY,
    kept_id      TEXT NOT NULL,
    post_id      TEXT NOT NULL,
    actor        TEXT NOT NULL,
    operator_id  TEXT,
    marked_at    TEXT NOT NULL,
    received_at  TEXT NOT NULL
  );
  -- The latest heartbeat per post, for IT's fleet view: counts and codes only (main/services/fleet/wire.ts).
  CREATE TABLE IF NOT EXISTS heartbeats (
    post_id     TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    body        TEXT NOT NULL
  );
  -- What IT did to the fleet (issue 21.1: revoking a kiosk from the fleet page or the CLI), append-only.
  CREATE TABLE IF NOT EXISTS admin_audit (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    key_id  TEXT NOT NULL,
    post_id TEXT NOT NULL
  );
`

export interface StoredDuplicateMark {
  duplicateId: string
  keptId: string
  postId: string
  actor: string
  operatorId: string | null
  markedAt: string
  receivedAt: string
}

export interface CentralStore {
  readonly db: CentralDb
  /** Runs fn in one SQLite transaction: any throw rolls back everything fn wrote. */
  transaction<T>(fn: () => T): T
  photoExists(sha256: string): boolean
  /** 'created' or 'exists'; a photo is stored once by its content hash, whoever sends it. */
  putPhoto(sha256: string, bytes: Buffer, postId: string, now: string): 'created' | 'exists'
  /** A pack's photos in one transaction (one fsync); per photo, whether it was new. */
  putPhotos(photos: ReadonlyArray<{ sha256: string; bytes: Buffer }>, postId: string, now: string): boolean[]
  result(recordId: string): StoredResult | undefined
  /** The accepted registration holding this NIK, if any. */
  holderForNik(nik: string): NikHolder | undefined
  /** Records one cross-post duplicate answer given to `actor`. */
  putDuplicateHit(input: { actor: string; postId: string; recordId: string; holderPostId: string; now: string }): void
  /** Times (ISO, oldest first) of `actor`'s cross-post duplicate answers at or after `since`. */
  duplicateHitTimes(actor: string, since: string): string[]
  /** The post's mark naming this record a duplicate (POST /v1/duplicates). */
  duplicateMark(duplicateId: string): StoredDuplicateMark | undefined
  putDuplicateMark(mark: StoredDuplicateMark): void
  /** Per actor: cross-post duplicate answers at or after `since`, and in all. */
  duplicateHitCounts(since: string): Map<string, { recent: number; total: number }>
  /** Inserts an accepted registration and returns its new central id. */
  insertRegistration(input: { recordId: string; postId: string; nik: string; record: string; batchId: string; now: string }): string
  putResult(result: StoredResult, batchId: string, now: string): void
  batch(postId: string, batchId: string): StoredBatch | undefined
  putBatch(input: { postId: string; batchId: string; bodySha256: string; recordCount: number; answer: Buffer; now: string }): void
  stats(): CentralStats
  putEnrolmentCode(input: { codeSha256: string; postId: string; now: string; expiresAt: string }): void
  enrolmentCode(codeSha256: string): StoredEnrolmentCode | undefined
  /** Marks the code used by this kiosk key; false if it was used meanwhile. */
  useEnrolmentCode(codeSha256: string, keyId: string, now: string): boolean
  kiosk(keyId: string): StoredKiosk | undefined
  putKiosk(input: { keyId: string; postId: string; publicKey: Buffer; tokenSha256: string; kioskVersion: string; codeSha256: string; now: string }): void
  /** A new token for an enrolled kiosk; the old one stops working at once. */
  rotateKioskToken(keyId: string, tokenSha256: string, now: string): void
  /** The kiosk an enrolment-issued token belongs to (revoked ones too: the caller refuses them). */
  kioskForToken(tokenSha256: string): { keyId: string; postId: string; revokedAt: string | null } | undefined
  /** Revokes a kiosk: its token stops authenticating and its key stops verifying bundles. False if no such kiosk. */
  revokeKiosk(keyId: string, now: string): boolean
  /** Revokes a kiosk not revoked yet and writes who did it to the admin audit, in one transaction; false if nothing changed. */
  revokeKioskAudited(keyId: string, now: string, actor: string): boolean
  /** The admin audit, oldest first. */
  adminAudit(): Array<{ seq: number; at: string; actor: string; action: string; keyId: string; postId: string }>
  kiosks(): KioskSummary[]
  /** Registers a kiosk's post-network identity once; false if it has one already (a different one is not taken). */
  setKioskTrust(keyId: string, tlsCertSha256: string, boxPublicKey: Buffer): boolean
  /** The post's kiosks with a registered certificate, in enrolment order (their desk numbers), revoked ones too. */
  postTrust(postId: string): Array<{ keyId: string; tlsCertSha256: string | null; boxPublicKey: Buffer | null; revokedAt: string | null }>
  /** The post's NIK HMAC key, made on first use. */
  postKey(postId: string, now: string): Buffer
  bundle(bundleId: string): StoredBundle | undefined
  putBundle(input: { bundleId: string; postId: string; keyId: string; bodySha256: string; recordCount: number; answer: Buffer; importedBy: string; now: string }): void
  /** Keeps only the latest heartbeat of each post. */
  putHeartbeat(postId: string, body: string, now: string): void
  heartbeats(): Map<string, StoredHeartbeat>
  /** Registrations accepted at or after `since` (ISO), per post. */
  acceptedSince(since: string): Map<string, number>
  auditHead(actor: string): AuditHeadRow | undefined
  /** Issue 22: an enrolled desk's latest "not yet safe" count (null: it has no post network). */
  putNotSafe(keyId: string, notSafe: number | null, now: string): void
  notSafe(): Map<string, { count: number | null; at: string }>
  putAuditHead(actor: string, postId: string, head: AuditHeadRow, now: string): void
  putAuditAlert(alert: StoredAuditAlert): void
  /** The latest audit alert of each post. */
  auditAlerts(): Map<string, StoredAuditAlert>
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
    db.prepare('ATTACH DATABASE ? AS photo_store').run(join(dataDir, 'photos.sqlite'))
    // Only takes effect before the file's first table, i.e. on a new data dir.
    db.pragma('photo_store.page_size = 65536')
    db.pragma('photo_store.journal_mode = PERSIST')
    db.pragma('photo_store.synchronous = FULL')
    db.exec(PHOTO_SCHEMA)
    db.exec(SCHEMA)
    // A data dir from before the photo store (user_version 1) had its photos in central.sqlite: move them.
    if (db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'photos'").get()) {
      db.transaction(() => db.exec('INSERT OR IGNORE INTO photo_store.photos SELECT * FROM main.photos; DROP TABLE main.photos;'))()
    }
    // user_version 3: kiosks can be revoked (a data dir from before has no such column yet).
    const kioskColumns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('kiosks')").all()
    if (!kioskColumns.some((c) => c.name === 'revoked_at')) db.exec('ALTER TABLE kiosks ADD COLUMN revoked_at TEXT')
    // user_version 4: the post network's trust: each kiosk's TLS certificate fingerprint and X25519 box key.
    if (!kioskColumns.some((c) => c.name === 'tls_cert_sha256')) db.exec('ALTER TABLE kiosks ADD COLUMN tls_cert_sha256 TEXT; ALTER TABLE kiosks ADD COLUMN box_public_key BLOB')
    db.pragma('user_version = 4')
  } catch (error) {
    db.close()
    throw error
  }

  const q = {
    photoExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM photo_store.photos WHERE sha256 = ?'),
    putPhoto: db.prepare('INSERT OR IGNORE INTO photo_store.photos (sha256, bytes, size, post_id, received_at) VALUES (?, ?, ?, ?, ?)'),
    result: db.prepare<[string], ResultRow>('SELECT record_id, post_id, status, central_id, errors FROM results WHERE record_id = ?'),
    byNik: db.prepare<[string], { central_id: string; post_id: string; receipt_no: string; accepted_at: string }>(
      "SELECT central_id, post_id, json_extract(record, '$.receiptNo') AS receipt_no, accepted_at FROM registrations WHERE nik = ?",
    ),
    mark: db.prepare<[string], { duplicate_id: string; kept_id: string; post_id: string; actor: string; operator_id: string | null; marked_at: string; received_at: string }>(
      'SELECT duplicate_id, kept_id, post_id, actor, operator_id, marked_at, received_at FROM duplicate_marks WHERE duplicate_id = ?',
    ),
    putMark: db.prepare('INSERT INTO duplicate_marks (duplicate_id, kept_id, post_id, actor, operator_id, marked_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    putHit: db.prepare('INSERT INTO duplicate_hits (actor, post_id, record_id, holder_post_id, at) VALUES (?, ?, ?, ?, ?)'),
    hitTimes: db.prepare<[string, string], { at: string }>('SELECT at FROM duplicate_hits WHERE actor = ? AND at >= ? ORDER BY at'),
    hitCounts: db.prepare<[string], { actor: string; recent: number; total: number }>(
      'SELECT actor, SUM(at >= ?) AS recent, COUNT(*) AS total FROM duplicate_hits GROUP BY actor',
    ),
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
              (SELECT COUNT(*) FROM photo_store.photos) AS photos,
              (SELECT COUNT(*) FROM batches) AS batches`,
    ),
    putCode: db.prepare('INSERT INTO enrolment_codes (code_sha256, post_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    code: db.prepare<[string], { post_id: string; expires_at: string; used_at: string | null; used_by: string | null }>(
      'SELECT post_id, expires_at, used_at, used_by FROM enrolment_codes WHERE code_sha256 = ?',
    ),
    useCode: db.prepare('UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_sha256 = ? AND used_at IS NULL'),
    kiosk: db.prepare<[string], { key_id: string; post_id: string; public_key: Buffer; revoked_at: string | null }>(
      'SELECT key_id, post_id, public_key, revoked_at FROM kiosks WHERE key_id = ?',
    ),
    kiosks: db.prepare<[], { key_id: string; post_id: string; kiosk_version: string; enrolled_at: string; revoked_at: string | null }>(
      'SELECT key_id, post_id, kiosk_version, enrolled_at, revoked_at FROM kiosks ORDER BY post_id, enrolled_at',
    ),
    revoke: db.prepare('UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?'),
    putAdminAudit: db.prepare('INSERT INTO admin_audit (at, actor, action, key_id, post_id) VALUES (?, ?, ?, ?, ?)'),
    adminAudit: db.prepare<[], { seq: number; at: string; actor: string; action: string; key_id: string; post_id: string }>(
      'SELECT seq, at, actor, action, key_id, post_id FROM admin_audit ORDER BY seq',
    ),
    setTrust: db.prepare('UPDATE kiosks SET tls_cert_sha256 = ?, box_public_key = ? WHERE key_id = ? AND tls_cert_sha256 IS NULL'),
    postTrust: db.prepare<[string], { key_id: string; tls_cert_sha256: string | null; box_public_key: Buffer | null; revoked_at: string | null }>(
      'SELECT key_id, tls_cert_sha256, box_public_key, revoked_at FROM kiosks WHERE post_id = ? ORDER BY enrolled_at, key_id',
    ),
    postKey: db.prepare<[string], { key: Buffer }>('SELECT key FROM post_keys WHERE post_id = ?'),
    putPostKey: db.prepare('INSERT OR IGNORE INTO post_keys (post_id, key, created_at) VALUES (?, ?, ?)'),
    putKiosk: db.prepare(
      'INSERT INTO kiosks (key_id, post_id, public_key, token_sha256, kiosk_version, code_sha256, enrolled_at, token_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    rotateToken: db.prepare('UPDATE kiosks SET token_sha256 = ?, token_at = ? WHERE key_id = ?'),
    tokenKiosk: db.prepare<[string], { key_id: string; post_id: string; revoked_at: string | null }>(
      'SELECT key_id, post_id, revoked_at FROM kiosks WHERE token_sha256 = ?',
    ),
    bundle: db.prepare<[string], { post_id: string; body_sha256: string; answer: Buffer }>('SELECT post_id, body_sha256, answer FROM bundles WHERE bundle_id = ?'),
    putBundle: db.prepare(
      'INSERT INTO bundles (bundle_id, post_id, key_id, body_sha256, record_count, answer, imported_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    putHeartbeat: db.prepare(
      `INSERT INTO heartbeats (post_id, received_at, body) VALUES (?, ?, ?)
       ON CONFLICT (post_id) DO UPDATE SET received_at = excluded.received_at, body = excluded.body`,
    ),
    heartbeats: db.prepare<[], { post_id: string; received_at: string; body: string }>('SELECT post_id, received_at, body FROM heartbeats'),
    acceptedSince: db.prepare<[string], { post_id: string; n: number }>('SELECT post_id, count(*) AS n FROM registrations WHERE accepted_at >= ? GROUP BY post_id'),
    auditHead: db.prepare<[string], AuditHeadRow>('SELECT seq, hash FROM audit_heads WHERE actor = ?'),
    putNotSafe: db.prepare(
      `INSERT INTO kiosk_not_safe (key_id, not_safe, received_at) VALUES (?, ?, ?)
       ON CONFLICT (key_id) DO UPDATE SET not_safe = excluded.not_safe, received_at = excluded.received_at`,
    ),
    notSafe: db.prepare<[], { key_id: string; not_safe: number | null; received_at: string }>('SELECT key_id, not_safe, received_at FROM kiosk_not_safe'),
    putAuditHead: db.prepare(
      `INSERT INTO audit_heads (actor, post_id, seq, hash, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (actor) DO UPDATE SET post_id = excluded.post_id, seq = excluded.seq, hash = excluded.hash, received_at = excluded.received_at`,
    ),
    putAuditAlert: db.prepare('INSERT INTO audit_alerts (actor, post_id, at, prev_seq, prev_hash, new_seq, new_hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    auditAlerts: db.prepare<
      [],
      { actor: string; post_id: string; at: string; prev_seq: number; prev_hash: string; new_seq: number; new_hash: string }
    >('SELECT actor, post_id, at, prev_seq, prev_hash, new_seq, new_hash FROM audit_alerts ORDER BY seq'),
  }

  return {
    db,
    transaction: (fn) => db.transaction(fn)(),
    photoExists: (sha256) => q.photoExists.get(sha256) !== undefined,
    putPhoto: (sha256, bytes, postId, now) => (q.putPhoto.run(sha256, bytes, bytes.length, postId, now).changes === 1 ? 'created' : 'exists'),
    putPhotos: db.transaction((photos: ReadonlyArray<{ sha256: string; bytes: Buffer }>, postId: string, now: string) =>
      photos.map((p) => q.putPhoto.run(p.sha256, p.bytes, p.bytes.length, postId, now).changes === 1),
    ),
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
    holderForNik(nik) {
      const row = q.byNik.get(nik)
      return row && { centralId: row.central_id, postId: row.post_id, receiptNo: row.receipt_no, acceptedAt: row.accepted_at }
    },
    putDuplicateHit: ({ actor, postId, recordId, holderPostId, now }) => void q.putHit.run(actor, postId, recordId, holderPostId, now),
    duplicateHitTimes: (actor, since) => q.hitTimes.all(actor, since).map((r) => r.at),
    duplicateMark(duplicateId) {
      const r = q.mark.get(duplicateId)
      return r && { duplicateId: r.duplicate_id, keptId: r.kept_id, postId: r.post_id, actor: r.actor, operatorId: r.operator_id, markedAt: r.marked_at, receivedAt: r.received_at }
    },
    putDuplicateMark: (m) => void q.putMark.run(m.duplicateId, m.keptId, m.postId, m.actor, m.operatorId, m.markedAt, m.receivedAt),
    duplicateHitCounts: (since) => new Map(q.hitCounts.all(since).map((r) => [r.actor, { recent: r.recent, total: r.total }])),
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
    putEnrolmentCode: ({ codeSha256, postId, now, expiresAt }) => void q.putCode.run(codeSha256, postId, now, expiresAt),
    enrolmentCode(codeSha256) {
      const row = q.code.get(codeSha256)
      return row && { postId: row.post_id, expiresAt: row.expires_at, usedAt: row.used_at, usedBy: row.used_by }
    },
    useEnrolmentCode: (codeSha256, keyId, now) => q.useCode.run(now, keyId, codeSha256).changes === 1,
    kiosk(keyId) {
      const row = q.kiosk.get(keyId)
      return row && { keyId: row.key_id, postId: row.post_id, publicKey: row.public_key, revokedAt: row.revoked_at }
    },
    putKiosk: ({ keyId, postId, publicKey, tokenSha256, kioskVersion, codeSha256, now }) =>
      void q.putKiosk.run(keyId, postId, publicKey, tokenSha256, kioskVersion, codeSha256, now, now),
    rotateKioskToken: (keyId, tokenSha256, now) => void q.rotateToken.run(tokenSha256, now, keyId),
    kioskForToken(tokenSha256) {
      const row = q.tokenKiosk.get(tokenSha256)
      return row && { keyId: row.key_id, postId: row.post_id, revokedAt: row.revoked_at }
    },
    revokeKiosk: (keyId, now) => q.revoke.run(now, keyId).changes === 1,
    revokeKioskAudited: db.transaction((keyId: string, now: string, actor: string) => {
      const kiosk = q.kiosk.get(keyId)
      if (!kiosk || kiosk.revoked_at !== null) return false
      q.revoke.run(now, keyId)
      q.putAdminAudit.run(now, actor, 'revoke_kiosk', keyId, kiosk.post_id)
      return true
    }),
    adminAudit: () =>
      q.adminAudit.all().map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, keyId: r.key_id, postId: r.post_id })),
    setKioskTrust: (keyId, sha, box) => q.setTrust.run(sha, box, keyId).changes === 1,
    postTrust: (postId) =>
      q.postTrust.all(postId).map((r) => ({ keyId: r.key_id, tlsCertSha256: r.tls_cert_sha256, boxPublicKey: r.box_public_key, revokedAt: r.revoked_at })),
    postKey(postId, now) {
      const existing = q.postKey.get(postId)
      if (existing) return existing.key
      q.putPostKey.run(postId, randomBytes(32), now)
      return q.postKey.get(postId)!.key
    },
    kiosks: () =>
      q.kiosks.all().map((r) => ({ keyId: r.key_id, postId: r.post_id, kioskVersion: r.kiosk_version, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at })),
    bundle(bundleId) {
      const row = q.bundle.get(bundleId)
      return row && { postId: row.post_id, bodySha256: row.body_sha256, answer: row.answer }
    },
    putBundle: ({ bundleId, postId, keyId, bodySha256, recordCount, answer, importedBy, now }) =>
      void q.putBundle.run(bundleId, postId, keyId, bodySha256, recordCount, answer, importedBy, now),
    putHeartbeat: (postId, body, now) => void q.putHeartbeat.run(postId, now, body),
    heartbeats: () => new Map(q.heartbeats.all().map((r) => [r.post_id, { receivedAt: r.received_at, body: r.body }])),
    acceptedSince: (since) => new Map(q.acceptedSince.all(since).map((r) => [r.post_id, r.n])),
    auditHead: (actor) => q.auditHead.get(actor),
    putNotSafe: (keyId, notSafe, now) => void q.putNotSafe.run(keyId, notSafe, now),
    notSafe: () => new Map(q.notSafe.all().map((r) => [r.key_id, { count: r.not_safe, at: r.received_at }])),
    putAuditHead: (actor, postId, head, now) => void q.putAuditHead.run(actor, postId, head.seq, head.hash, now),
    putAuditAlert: (a) => void q.putAuditAlert.run(a.actor, a.postId, a.at, a.previous.seq, a.previous.hash, a.reported.seq, a.reported.hash),
    auditAlerts() {
      // Ordered by seq, so the last one written for a post wins.
      const latest = new Map<string, StoredAuditAlert>()
      for (const r of q.auditAlerts.all()) {
        latest.set(r.post_id, { actor: r.actor, postId: r.post_id, at: r.at, previous: { seq: r.prev_seq, hash: r.prev_hash }, reported: { seq: r.new_seq, hash: r.new_hash } })
      }
      return latest
    },
    close: () => db.close(),
  }
}
