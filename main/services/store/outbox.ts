import type { Db } from './db'

/** An outbox row with what the uploader needs of its record. */
export interface OutboxItem {
  recordId: string
  sealed: Buffer
  batchId: string | null
  attempts: number
  enqueuedAt: string
}

export type UploadResult =
  | { id: string; status: 'accepted'; centralId: string }
  | { id: string; status: 'duplicate'; centralId: string }
  | { id: string; status: 'rejected'; errors: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }> }

export interface OutboxRepository {
  /**
   * Claims the next batch to send, in one transaction: an interrupted batch that is due again, whole and under its
   * own id (if it fits under `limit`; otherwise its rows become fresh); else the oldest fresh due rows, up to
   * `limit` rows and `maxBytes` of sealed records (at least one row), under a new id from `newBatchId`. The batch id
   * is persisted and the records turn `uploading` (no longer editable) before anything is read or sent, so what
   * goes out is what was claimed, and after a crash the same rows go out under the same key.
   */
  claimBatch(nowIso: string, limit: number, maxBytes: number, newBatchId: () => string): { batchId: string; recordIds: string[] } | null
  /** Applies central's parsed answer: final states, outbox rows removed, one transaction. */
  applyResults(results: readonly UploadResult[], nowIso: string): void
  /** After a failure: back to queued, not before `nextAttemptAt`; the batch id is kept for an identical re-send. */
  /** `inDoubt`: the batch may have reached central without its answer reaching us (migration 010). */
  reschedule(recordIds: readonly string[], nextAttemptAt: string | null, error: string, inDoubt?: boolean): void
  /** Central refused the key with this body (409): the rows get a fresh batch next time. */
  forgetBatch(recordIds: readonly string[]): void
  /** Rows the uploader will send (held rows excluded). */
  pending(): number
  /** Central may hold this record already; its answer is not known yet. */
  inDoubt(recordId: string): boolean
  /** Self-service records waiting for staff review. */
  held(): number
  heldIds(limit: number): string[]
  /** Staff approved a held record: it joins the queue. False if it was not held. */
  release(recordId: string, nowIso: string): boolean
  /** Rows left in `uploading` by a crash go back to `queued` at start-up (their batch id is kept). */
  recoverInterrupted(): number
  /**
   * For an offline bundle: every row still to upload, and its `queued` records marked `exported`, in one
   * transaction. The mark also stops edits (only queued and rejected records are editable), so the bundle holds
   * what central will get. Rows stay in the outbox: the uploader still sends them and central dedups by id.
   * `marked` lists the ids this call changed, for `releaseExport` if the file can't be written.
   */
  claimForExport(nowIso: string): { items: OutboxItem[]; marked: string[] }
  /** Undoes a failed export's marks: those records are `queued` again. */
  releaseExport(recordIds: readonly string[]): void
}

interface Row {
  record_id: string
  sealed: Buffer | null
  batch_id: string | null
  attempts: number
  enqueued_at: string
}

const toItem = (r: Row): OutboxItem => ({
  recordId: r.record_id,
  sealed: r.sealed as Buffer,
  batchId: r.batch_id,
  attempts: r.attempts,
  enqueuedAt: r.enqueued_at,
})

export function createOutboxRepository(db: Db): OutboxRepository {
  // Two narrow queries instead of one ORDER BY over everything: an interrupted batch first, else the oldest fresh
  // rows through the outbox_fresh index. Sizes come from length(), which does not read the sealed bytes. A batch
  // still `uploading` is on the wire (the uploader claims the next batch while one is sent), not interrupted:
  // whatever a crash or a dead worker left `uploading` is put back by recoverInterrupted before a run claims.
  const dueInterrupted = db.prepare<[string], string>(
    `SELECT o.batch_id
       FROM outbox o JOIN registrations r ON r.id = o.record_id
      WHERE o.batch_id IS NOT NULL AND o.held = 0 AND r.sealed IS NOT NULL AND r.state != 'uploading'
        AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
      ORDER BY o.batch_id
      LIMIT 1`,
  ).pluck()
  const dueFresh = db.prepare<[string, number], { record_id: string; size: number }>(
    `SELECT o.record_id, length(r.sealed) AS size
       FROM outbox o INDEXED BY outbox_fresh JOIN registrations r ON r.id = o.record_id
      WHERE o.batch_id IS NULL AND o.held = 0 AND r.sealed IS NOT NULL AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
      ORDER BY o.enqueued_at, o.record_id
      LIMIT ?`,
  )
  const batchMembers = db.prepare<[string], string>(
    `SELECT o.record_id FROM outbox o JOIN registrations r ON r.id = o.record_id WHERE o.batch_id = ? AND r.sealed IS NOT NULL ORDER BY o.record_id`,
  ).pluck()
  const setBatch = db.prepare<[string, string]>('UPDATE outbox SET batch_id = ?, attempts = attempts + 1 WHERE record_id = ?')
  const setUploading = db.prepare<[string]>(
    "UPDATE registrations SET state = 'uploading' WHERE id = ? AND state IN ('queued', 'exported', 'uploading')",
  )
  const finish = db.prepare<[string, string | null, string | null, string, string | null, string]>(
    `UPDATE registrations SET state = ?, central_id = ?, rejection = ?, updated_at = ?, accepted_at = ? WHERE id = ? AND state != 'purged'`,
  )
  const dequeue = db.prepare<[string]>('DELETE FROM outbox WHERE record_id = ?')
  const later = db.prepare<[string | null, string, number, string]>(
    'UPDATE outbox SET next_attempt_at = ?, last_error = ?, in_doubt = max(in_doubt, ?) WHERE record_id = ?',
  )
  const doubtful = db.prepare<[string], number>('SELECT in_doubt FROM outbox WHERE record_id = ?').pluck()
  const requeue = db.prepare<[string]>("UPDATE registrations SET state = 'queued' WHERE id = ? AND state = 'uploading'")
  const clearBatch = db.prepare<[string]>('UPDATE outbox SET batch_id = NULL WHERE record_id = ?')
  const count = db.prepare<[], number>('SELECT count(*) FROM outbox WHERE held = 0').pluck()
  const heldCount = db.prepare<[], number>('SELECT count(*) FROM outbox WHERE held = 1').pluck()
  const heldIds = db.prepare<[number], string>('SELECT record_id FROM outbox WHERE held = 1 ORDER BY enqueued_at DESC LIMIT ?').pluck()
  const unhold = db.prepare<[string, string]>('UPDATE outbox SET held = 0, enqueued_at = ? WHERE record_id = ? AND held = 1')
  const interrupted = db.prepare("UPDATE registrations SET state = 'queued' WHERE state = 'uploading'")
  const exportRows = db.prepare<[], Row & { state: string }>(
    `SELECT o.record_id, r.sealed, o.batch_id, o.attempts, o.enqueued_at, r.state
       FROM outbox o JOIN registrations r ON r.id = o.record_id
      WHERE r.sealed IS NOT NULL AND o.held = 0 AND r.state IN ('queued', 'exported', 'uploading')
      ORDER BY o.enqueued_at, o.record_id`,
  )
  const markExported = db.prepare<[string, string]>("UPDATE registrations SET state = 'exported', updated_at = ? WHERE id = ? AND state = 'queued'")
  const unmarkExported = db.prepare<[string]>("UPDATE registrations SET state = 'queued' WHERE id = ? AND state = 'exported'")

  const markSending = (ids: readonly string[], batchId: string) => {
    for (const id of ids) {
      setBatch.run(batchId, id)
      setUploading.run(id)
    }
  }
  const claimBatch = db.transaction((nowIso: string, limit: number, maxBytes: number, newBatchId: () => string) => {
    const interrupted = dueInterrupted.get(nowIso)
    if (interrupted !== undefined) {
      const members = batchMembers.all(interrupted)
      if (members.length <= limit) {
        markSending(members, interrupted)
        return { batchId: interrupted, recordIds: members }
      }
      // Too big for the current cap (central said 413): its rows go out in fresh, smaller batches.
      for (const id of members) clearBatch.run(id)
    }
    const recordIds: string[] = []
    let bytes = 0
    for (const row of dueFresh.all(nowIso, limit)) {
      if (recordIds.length > 0 && bytes + row.size > maxBytes) break
      recordIds.push(row.record_id)
      bytes += row.size
    }
    if (recordIds.length === 0) return null
    const batchId = newBatchId()
    markSending(recordIds, batchId)
    return { batchId, recordIds }
  })
  const applyResults = db.transaction((results: readonly UploadResult[], nowIso: string) => {
    for (const r of results) {
      if (r.status === 'rejected') finish.run('rejected', null, JSON.stringify(r.errors), nowIso, null, r.id)
      else finish.run(r.status, r.centralId, null, nowIso, nowIso, r.id)
      dequeue.run(r.id)
    }
  })
  const reschedule = db.transaction((ids: readonly string[], nextAttemptAt: string | null, error: string, inDoubt: boolean) => {
    for (const id of ids) {
      later.run(nextAttemptAt, error, inDoubt ? 1 : 0, id)
      requeue.run(id)
    }
  })
  const forgetBatch = db.transaction((ids: readonly string[]) => {
    for (const id of ids) clearBatch.run(id)
  })
  const claimForExport = db.transaction((nowIso: string) => {
    const rows = exportRows.all()
    const marked = rows.filter((r) => r.state === 'queued' && markExported.run(nowIso, r.record_id).changes === 1).map((r) => r.record_id)
    return { items: rows.map(toItem), marked }
  })
  const releaseExport = db.transaction((ids: readonly string[]) => {
    for (const id of ids) unmarkExported.run(id)
  })

  return {
    claimBatch: (nowIso, limit, maxBytes, newBatchId) => claimBatch(nowIso, limit, maxBytes, newBatchId),
    applyResults: (results, nowIso) => applyResults(results, nowIso),
    reschedule: (ids, nextAttemptAt, error, inDoubt = false) => reschedule(ids, nextAttemptAt, error, inDoubt),
    inDoubt: (recordId) => doubtful.get(recordId) === 1,
    forgetBatch: (ids) => forgetBatch(ids),
    pending: () => count.get() as number,
    held: () => heldCount.get() as number,
    heldIds: (limit) => heldIds.all(limit),
    release: (recordId, nowIso) => unhold.run(nowIso, recordId).changes === 1,
    recoverInterrupted: () => interrupted.run().changes,
    claimForExport: (nowIso) => claimForExport(nowIso),
    releaseExport: (ids) => releaseExport(ids),
  }
}
