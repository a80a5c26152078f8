import type { Db } from './db'
import { OWN_LOG } from './post-log'

/**
 * The relay's tables (migration 017) and its writes to the post log: SQL only; the rules live in network/relay.ts.
 */
export type RelayState = 'accepted' | 'duplicate' | 'rejected'

export interface RelayOutcomeEvent {
  /** The relaying desk (whose log holds the event). */
  kioskId: string
  seq: number
  recordId: string
  state: RelayState
}

export interface RelayRepository {
  // The origin's side.
  /**
   * Records this desk may ask `kioskId` to relay, oldest first: own records central has not answered (queued or
   * exported: one the uploader holds on the wire is left to it; not a self-service record awaiting staff review),
   * which that desk holds in their current version (a `backup_given` row: an edit deletes it), and which no desk was
   * asked to relay lately (this desk since `since.same`, another since `since.other`). Called right before `ask`,
   * with nothing in between on this connection.
   */
  relayable(kioskId: string, since: { same: string; other: string }, limit: number): string[]
  /** Records asked of `kioskId` since `since` whose outcome is not in yet. */
  outstanding(kioskId: string, since: string): number
  /**
   * Before asking: remembers the ask and marks the outbox rows in doubt (migration 010: "central may already hold
   * this record", so staff cannot edit it until central answered: what the other desk posts is what this desk
   * holds), in one transaction. Returns the ids it marked (they were not in doubt before).
   */
  ask(recordIds: readonly string[], kioskId: string, at: string): string[]
  /** The other desk did not take these: forgets the asks, and clears the doubt `ask` set. */
  unask(recordIds: readonly string[], kioskId: string, turned: readonly string[]): void
  /** `relayed` events naming this desk as the origin, after what was seen of each desk, in log order. */
  outcomesAfterSeen(originKioskId: string, limit: number): RelayOutcomeEvent[]
  asked(recordId: string, kioskId: string): boolean
  /** The record's state here, or null when this desk has no such record. */
  stateOf(recordId: string): string | null
  /**
   * Applies outcomes (as the uploader applies central's answers: the state, out of the outbox; a record central
   * answered meanwhile is left as it is) and moves the seen marks, in one transaction. Returns the records changed.
   */
  apply(outcomes: readonly RelayOutcomeEvent[], seen: ReadonlyArray<{ kioskId: string; seq: number }>, at: string): number

  // The relaying side.
  /** The origin's held bundle (the newest version this desk holds), or null. */
  heldBundle(originKioskId: string, recordId: string): Buffer | null
  holds(originKioskId: string, recordId: string): boolean
  /** Agrees to relay these (idempotent). */
  take(originKioskId: string, recordIds: readonly string[], at: string): void
  jobs(limit: number): Array<{ originKioskId: string; recordId: string }>
  jobCount(): number
  /** The outcome is in: appends the `relayed` event to this desk's own log and ends the job, in one transaction. */
  finish(job: { originKioskId: string; recordId: string }, state: RelayState, at: string): void
  /** A job with nothing left to post (the origin's answer arrived, the copy aged out) is dropped. */
  drop(job: { originKioskId: string; recordId: string }): void
}

export function createRelayRepository(db: Db): RelayRepository {
  const relayable = db.prepare<[string, string, string, string, string, number], string>(
    `SELECT r.id FROM registrations r
      WHERE r.state IN ('queued', 'exported') AND r.sealed IS NOT NULL
        AND EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id AND g.kiosk_id = ?)
        AND EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id AND o.held = 0)
        AND NOT EXISTS (SELECT 1 FROM relay_asked a WHERE a.record_id = r.id
                          AND ((a.kiosk_id = ? AND a.asked_at >= ?) OR (a.kiosk_id != ? AND a.asked_at >= ?)))
      ORDER BY r.created_at LIMIT ?`,
  ).pluck()
  const outstanding = db.prepare<[string, string], number>(
    `SELECT count(*) FROM relay_asked a JOIN registrations r ON r.id = a.record_id
      WHERE a.kiosk_id = ? AND a.asked_at >= ? AND r.state IN ('queued', 'uploading', 'exported')`,
  ).pluck()
  const insertAsk = db.prepare('INSERT INTO relay_asked (record_id, kiosk_id, asked_at) VALUES (?, ?, ?) ON CONFLICT (record_id, kiosk_id) DO UPDATE SET asked_at = excluded.asked_at')
  const markDoubt = db.prepare('UPDATE outbox SET in_doubt = 1 WHERE record_id = ? AND in_doubt = 0')
  const deleteAsk = db.prepare('DELETE FROM relay_asked WHERE record_id = ? AND kiosk_id = ?')
  const unmark = db.prepare('UPDATE outbox SET in_doubt = 0 WHERE record_id = ?')
  const outcomes = db.prepare<[string, number], { kiosk_id: string; seq: number; record_id: string; state: RelayState }>(
    `SELECT l.kiosk_id, l.seq, l.record_id, l.state FROM post_log l
      WHERE l.kind = 'relayed' AND l.origin_kiosk_id = ? AND l.kiosk_id != '${OWN_LOG}'
        AND l.seq > COALESCE((SELECT s.seq FROM relay_seen s WHERE s.kiosk_id = l.kiosk_id), 0)
      ORDER BY l.kiosk_id, l.seq LIMIT ?`,
  )
  const askedRow = db.prepare<[string, string]>('SELECT 1 FROM relay_asked WHERE record_id = ? AND kiosk_id = ?')
  const stateOf = db.prepare<[string], string>('SELECT state FROM registrations WHERE id = ?').pluck()
  const finishRecord = db.prepare(
    `UPDATE registrations SET state = ?, rejection = ?, updated_at = ?, accepted_at = ?
      WHERE id = ? AND state IN ('queued', 'uploading', 'exported')`,
  )
  const dequeue = db.prepare('DELETE FROM outbox WHERE record_id = ?')
  const forgetAsks = db.prepare('DELETE FROM relay_asked WHERE record_id = ?')
  const seen = db.prepare('INSERT INTO relay_seen (kiosk_id, seq) VALUES (?, ?) ON CONFLICT (kiosk_id) DO UPDATE SET seq = max(seq, excluded.seq)')
  const held = db.prepare<[string, string], Buffer>('SELECT bundle FROM backup_held WHERE origin_kiosk_id = ? AND record_id = ?').pluck()
  const holds = db.prepare<[string, string]>('SELECT 1 FROM backup_held WHERE origin_kiosk_id = ? AND record_id = ?')
  const take = db.prepare('INSERT INTO relay_jobs (origin_kiosk_id, record_id, asked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
  const jobs = db.prepare<[number], { origin_kiosk_id: string; record_id: string }>('SELECT origin_kiosk_id, record_id FROM relay_jobs ORDER BY asked_at, record_id LIMIT ?')
  const jobCount = db.prepare<[], number>('SELECT count(*) FROM relay_jobs').pluck()
  const endJob = db.prepare('DELETE FROM relay_jobs WHERE origin_kiosk_id = ? AND record_id = ?')
  const appendRelayed = db.prepare(
    `INSERT INTO post_log (kiosk_id, seq, kind, record_id, state, self_service, at, origin_kiosk_id)
     VALUES ('${OWN_LOG}', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = '${OWN_LOG}'), 0) + 1, 'relayed', ?, ?, 0, ?, ?)`,
  )

  const ask = db.transaction((ids: readonly string[], kioskId: string, at: string) => {
    const turned: string[] = []
    for (const id of ids) {
      insertAsk.run(id, kioskId, at)
      if (markDoubt.run(id).changes === 1) turned.push(id)
    }
    return turned
  })
  const unask = db.transaction((ids: readonly string[], kioskId: string, turned: readonly string[]) => {
    for (const id of ids) deleteAsk.run(id, kioskId)
    for (const id of turned) unmark.run(id)
  })
  const apply = db.transaction((list: readonly RelayOutcomeEvent[], marks: ReadonlyArray<{ kioskId: string; seq: number }>, at: string) => {
    let changed = 0
    for (const o of list) {
      const done = finishRecord.run(o.state, o.state === 'rejected' ? '[]' : null, at, o.state === 'rejected' ? null : at, o.recordId).changes
      if (done === 1) {
        dequeue.run(o.recordId)
        changed++
      }
      forgetAsks.run(o.recordId)
    }
    for (const m of marks) seen.run(m.kioskId, m.seq)
    return changed
  })
  const finish = db.transaction((job: { originKioskId: string; recordId: string }, state: RelayState, at: string) => {
    appendRelayed.run(job.recordId, state, at, job.originKioskId)
    endJob.run(job.originKioskId, job.recordId)
  })
  const takeAll = db.transaction((origin: string, ids: readonly string[], at: string) => {
    for (const id of ids) take.run(origin, id, at)
  })

  return {
    relayable: (kioskId, since, limit) => relayable.all(kioskId, kioskId, since.same, kioskId, since.other, limit),
    outstanding: (kioskId, since) => outstanding.get(kioskId, since) as number,
    ask: (ids, kioskId, at) => ask(ids, kioskId, at),
    unask: (ids, kioskId, turned) => unask(ids, kioskId, turned),
    outcomesAfterSeen: (origin, limit) =>
      outcomes.all(origin, limit).map((r) => ({ kioskId: r.kiosk_id, seq: r.seq, recordId: r.record_id, state: r.state })),
    asked: (recordId, kioskId) => askedRow.get(recordId, kioskId) !== undefined,
    stateOf: (recordId) => stateOf.get(recordId) ?? null,
    apply: (list, marks, at) => apply(list, marks, at),
    heldBundle: (origin, recordId) => held.get(origin, recordId) ?? null,
    holds: (origin, recordId) => holds.get(origin, recordId) !== undefined,
    take: (origin, ids, at) => takeAll(origin, ids, at),
    jobs: (limit) => jobs.all(limit).map((r) => ({ originKioskId: r.origin_kiosk_id, recordId: r.record_id })),
    jobCount: () => jobCount.get() as number,
    finish: (job, state, at) => finish(job, state, at),
    drop: (job) => void endJob.run(job.originKioskId, job.recordId),
  }
}
