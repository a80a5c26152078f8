import type { RecordState } from '../../../common/records'
import type { Db } from './db'

export interface RegistrationRow {
  id: string
  receipt_no: string
  state: RecordState
  nik_hmac: Buffer | null
  sealed: Buffer | null
  post_id: string
  operator_id: string | null
  self_service: 0 | 1
  photo_override: 0 | 1
  created_at: string
  updated_at: string
  central_id: string | null
  rejection: string | null
  accepted_at: string | null
  purged_at: string | null
}

export interface NewRegistration {
  id: string
  receiptNo: string
  nikHmac: Buffer
  sealed: Buffer
  postId: string
  operatorId: string | null
  selfService: boolean
  photoOverride: boolean
  createdAt: string
  /** Self-service with review: committed, but not uploaded until staff approve it. */
  held: boolean
  /** The NIK's HMAC under the post key (post network), when the kiosk holds it; the post log carries it. */
  postNikHmac?: Buffer | null
}

export interface ResealedRegistration {
  id: string
  nikHmac: Buffer
  postNikHmac?: Buffer | null
  sealed: Buffer
  photoOverride: boolean
  updatedAt: string
}

/** Raised when a write would give a second non-purged record the same NIK. */
export class DuplicateNikError extends Error {
  constructor() {
    super('NIK already registered on this kiosk')
    this.name = 'DuplicateNikError'
  }
}

export interface RegistrationsRepository {
  /**
   * Allocates the day's next receipt sequence, writes the record and its outbox row: one transaction, so a record
   * acknowledged to the user is on disk with everything it needs to be uploaded, or nothing was written.
   */
  commit(day: string, build: (sequence: number) => NewRegistration): NewRegistration
  /** Replaces a queued or rejected record's sealed data and puts it back in the queue. False if not editable. */
  reseal(update: ResealedRegistration): boolean
  byId(id: string): RegistrationRow | undefined
  byNikHash(hash: Buffer): RegistrationRow | undefined
  byReceiptNo(receiptNo: string): RegistrationRow | undefined
  countByState(): Array<{ state: string; n: number }>
  /** Records central rejected, newest first: the staff's fix-and-resend list. */
  rejected(limit: number): RegistrationRow[]
  /** Any one record still sealed: proof that a vault key opens this kiosk's data. */
  anySealed(): { id: string; sealed: Buffer } | undefined
}

function isUniqueViolation(error: unknown, index: string): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes(index)
  )
}

export function createRegistrationsRepository(db: Db): RegistrationsRepository {
  const anySealed = db.prepare<[], { id: string; sealed: Buffer }>('SELECT id, sealed FROM registrations WHERE sealed IS NOT NULL LIMIT 1')
  const bumpSequence = db.prepare<[string], { last: number }>(
    `INSERT INTO receipt_sequence (day, last) VALUES (?, 1)
     ON CONFLICT (day) DO UPDATE SET last = last + 1
     RETURNING last`,
  )
  const insert = db.prepare<[string, string, Buffer, Buffer, string, string | null, number, number, string, string, Buffer | null]>(
    `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
     VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // Staff editing a held record is staff reviewing it: a re-enqueue always clears the hold.
  const enqueue = db.prepare<[string, string, number]>(
    `INSERT INTO outbox (record_id, enqueued_at, held) VALUES (?, ?, ?)
     ON CONFLICT (record_id) DO UPDATE SET enqueued_at = excluded.enqueued_at, attempts = 0, next_attempt_at = NULL, batch_id = NULL, last_error = NULL, held = 0`,
  )
  const update = db.prepare<[Buffer, Buffer | null, Buffer, number, string, string]>(
    `UPDATE registrations SET nik_hmac = ?, post_nik_hmac = ?, sealed = ?, photo_override = ?, updated_at = ?, state = 'queued', rejection = NULL
     WHERE id = ? AND state IN ('queued', 'rejected')`,
  )
  const selectById = db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE id = ?')
  const selectByNik = db.prepare<[Buffer], RegistrationRow>('SELECT * FROM registrations WHERE nik_hmac = ?')
  const selectByReceipt = db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE receipt_no = ?')
  // Kept by triggers (migration 008): constant time however many records the kiosk holds.
  const counts = db.prepare<[], { state: string; n: number }>('SELECT state, n FROM state_counts WHERE n > 0')
  const rejectedRows = db.prepare<[number], RegistrationRow>(
    "SELECT * FROM registrations WHERE state = 'rejected' ORDER BY updated_at DESC, id DESC LIMIT ?",
  )

  const commitTx = db.transaction((day: string, build: (sequence: number) => NewRegistration) => {
    const sequence = (bumpSequence.get(day) as { last: number }).last
    const r = build(sequence)
    insert.run(r.id, r.receiptNo, r.nikHmac, r.sealed, r.postId, r.operatorId, r.selfService ? 1 : 0, r.photoOverride ? 1 : 0, r.createdAt, r.createdAt, r.postNikHmac ?? null)
    enqueue.run(r.id, r.createdAt, r.held ? 1 : 0)
    return r
  })

  const resealTx = db.transaction((u: ResealedRegistration) => {
    const changed = update.run(u.nikHmac, u.postNikHmac ?? null, u.sealed, u.photoOverride ? 1 : 0, u.updatedAt, u.id).changes === 1
    if (changed) enqueue.run(u.id, u.updatedAt, 0)
    return changed
  })

  return {
    commit(day, build) {
      try {
        return commitTx.immediate(day, build)
      } catch (error) {
        if (isUniqueViolation(error, 'nik_hmac')) throw new DuplicateNikError()
        throw error
      }
    },
    reseal(u) {
      try {
        return resealTx(u)
      } catch (error) {
        if (isUniqueViolation(error, 'nik_hmac')) throw new DuplicateNikError()
        throw error
      }
    },
    byId: (id) => selectById.get(id),
    anySealed: () => anySealed.get(),
    byNikHash: (hash) => selectByNik.get(hash),
    byReceiptNo: (receiptNo) => selectByReceipt.get(receiptNo),
    countByState: () => counts.all(),
    rejected: (limit) => rejectedRows.all(limit),
  }
}
