import { createHash } from 'node:crypto'
import { z } from 'zod'
import { RegistrationRecord } from '../../common/registration'
import { DUPLICATE_ELSEWHERE } from '../../main/services/central/wire'
import type { CentralStore, FieldError, StoredResult } from './store'

/**
 * The batch upload's semantics, apart from HTTP: validate each record with the kiosk's own zod schema, dedupe by
 * record id and by NIK, and write everything (registrations, per-record results, the idempotent answer) in one
 * SQLite transaction.
 */

/** The envelope only; records are checked one by one so a bad record is a result, not a failed batch. */
export const BatchEnvelope = z.strictObject({
  postId: z.string().min(1).max(20),
  batchId: z.uuid(),
  records: z
    .array(
      // An id is needed to answer for a record at all; everything else is the record schema's business.
      z.looseObject({ id: z.string().min(1).max(64) }),
    )
    .min(1),
})
export type BatchEnvelope = z.infer<typeof BatchEnvelope>

export type RecordResult =
  | { id: string; status: 'accepted'; centralId: string }
  | { id: string; status: 'duplicate'; centralId: string }
  | { id: string; status: 'rejected'; errors: FieldError[] }

export interface BatchAnswer {
  batchId: string
  results: RecordResult[]
}

/** The message given to records a `partial` fault rejects: a real rejection, fixed and resubmitted by staff. */
export const REJECTED_BY_CENTRAL = 'validation.rejected_by_central'

/**
 * JSON with object keys sorted at every level: the same batch hashes the same whether it came gzipped or not,
 * pretty-printed or not, with keys in another order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const src = v as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(src).sort()) out[k] = src[k]
    return out
  })
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }))
}

function fromStored(id: string, stored: StoredResult): RecordResult {
  if (stored.status === 'rejected') return { id, status: 'rejected', errors: stored.errors ?? [] }
  return { id, status: stored.status, centralId: stored.centralId ?? '' }
}

export interface ApplyBatchInput {
  postId: string
  batchId: string
  bodySha256: string
  records: BatchEnvelope['records']
  /** Who sent it, for the cross-post duplicate count: a kiosk key id, `post:<postId>` (posts.json token) or `cli`. */
  actor: string
  /**
   * Called before the batch's first new cross-post duplicate answer; throwing refuses the whole batch (nothing is
   * written: it runs inside the transaction). So a credential over the duplicate limit (duplicates.ts) still gets
   * its other batches and the stored answers of earlier ones, but no further answer about another post's people.
   */
  beforeCrossPostDuplicate?: () => void
  /** A `partial` fault: records at even positions are rejected with REJECTED_BY_CENTRAL. */
  partial: boolean
  now: string
}

/** Applies a batch in one transaction and returns the exact answer bytes, which are stored for idempotent replay. */
export function applyBatch(store: CentralStore, input: ApplyBatchInput): Buffer {
  const { postId, batchId, now } = input
  // Parsing is pure, so it happens before the transaction opens and the write lock is held only for writes.
  const parsed = input.records.map((r) => RegistrationRecord.safeParse(r))

  return store.transaction(() => {
    const results: RecordResult[] = []
    let gated = false
    const reject = (id: string, errors: FieldError[], keep = true) => {
      if (keep) store.putResult({ recordId: id, postId, status: 'rejected', centralId: null, errors }, batchId, now)
      results.push({ id, status: 'rejected', errors })
    }

    input.records.forEach((raw, i) => {
      const id = raw.id
      const existing = store.result(id)
      if (existing && existing.postId !== postId) {
        // Another post's record id: answer without touching, or revealing, what that post has.
        reject(id, [{ path: ['id'], message: 'validation.id_conflict' }], false)
        return
      }
      // Accepted and duplicate are final: the same id always gets the same answer, which makes retries safe.
      // A rejection is not: nothing was stored for it, and staff may fix the record and send it again.
      if (existing && existing.status !== 'rejected') {
        results.push(fromStored(id, existing))
        return
      }
      if (input.partial && i % 2 === 0) {
        reject(id, [{ path: [], message: REJECTED_BY_CENTRAL }])
        return
      }
      const outcome = parsed[i]!
      if (!outcome.success) {
        reject(id, toFieldErrors(outcome.error))
        return
      }
      const record = outcome.data
      const errors: FieldError[] = []
      if (record.postId !== postId) errors.push({ path: ['postId'], message: 'validation.post_mismatch' })
      for (const slot of ['face', 'card'] as const) {
        const ref = record.photos[slot]
        if (ref && !store.photoExists(ref.sha256)) errors.push({ path: ['photos', slot, 'sha256'], message: 'validation.photo_missing' })
      }
      if (errors.length > 0) {
        reject(id, errors)
        return
      }
      const holder = store.holderForNik(record.nik)
      if (holder !== undefined) {
        // Another post's person: the kiosk learns that the NIK is taken (it must, to tell the person), but not
        // which record holds it, and the answer is counted against the sender, since a stream of these is what
        // probing NIKs looks like. The marker is stored, so replays and GET /v1/registrations/{id} say no more.
        const ownPost = holder.postId === postId
        const centralId = ownPost ? holder.centralId : DUPLICATE_ELSEWHERE
        if (!ownPost && !gated) {
          input.beforeCrossPostDuplicate?.()
          gated = true
        }
        if (!ownPost) store.putDuplicateHit({ actor: input.actor, postId, recordId: id, holderPostId: holder.postId, now })
        store.putResult({ recordId: id, postId, status: 'duplicate', centralId, errors: null }, batchId, now)
        results.push({ id, status: 'duplicate', centralId })
        return
      }
      const centralId = store.insertRegistration({ recordId: id, postId, nik: record.nik, record: JSON.stringify(record), batchId, now })
      store.putResult({ recordId: id, postId, status: 'accepted', centralId, errors: null }, batchId, now)
      results.push({ id, status: 'accepted', centralId })
    })

    const answer: BatchAnswer = { batchId, results }
    const bytes = Buffer.from(JSON.stringify(answer))
    store.putBatch({ postId, batchId, bodySha256: input.bodySha256, recordCount: input.records.length, answer: bytes, now })
    return bytes
  })
}
