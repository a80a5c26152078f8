import { describe, expect, it } from 'vitest'
import { databaseAt, dump, migrateTo, populate, queryPlan, schema, schemaChanges, triggers } from '../migration-kit'

const V = 15
const hmac = (n: number) => Buffer.alloc(32, n)

describe('migration 015 desk status in the post log', () => {
  it('keeps every row of the post log exactly, its triggers working, and adds queue_depth (null on record events)', () => {
    const at = databaseAt(V - 1)
    populate(at.db, V - 1)
    // A peer's events as pulled, beside the own ones populate's records made by trigger.
    const peer = at.db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, at) VALUES ('K', ?, ?, ?, NULL, ?, ?, '2026-12-06T03:00:00.000Z')")
    peer.run(1, 'registered', 'k1', hmac(21), null)
    peer.run(2, 'state', 'k1', null, 'accepted')
    const before = dump(at.db)
    expect(before.post_log!.length).toBeGreaterThan(2)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, V)
    const after = dump(db)
    expect(after.post_log).toEqual(before.post_log!.map((r) => ({ ...r, queue_depth: null })))
    expect({ ...after, post_log: [] }).toEqual({ ...before, post_log: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['post_log_day'],
      removed: [],
      // The triggers and the record index are made again exactly as 013 and 014 made them.
      changed: ['post_log'],
    })
    expect(triggers(db, 'post_log').sort()).toEqual(['post_nik_keep', 'post_nik_purged'])

    // The record triggers still write the log, in sequence after what was there.
    const own = (db.prepare("SELECT max(seq) AS s FROM post_log WHERE kiosk_id = 'self'").get() as { s: number }).s
    db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
       VALUES ('r9', 'P-1-261206-0099', 'queued', ?, ?, 'P-1', 'op-1', 0, 0, '2026-12-06T04:00:00.000Z', '2026-12-06T04:00:00.000Z', ?)`,
    ).run(hmac(9), Buffer.from('x'), hmac(19))
    expect(db.prepare("SELECT seq, kind, record_id FROM post_log WHERE kiosk_id = 'self' AND seq > ?").all(own)).toEqual([{ seq: own + 1, kind: 'registered', record_id: 'r9' }])
    expect(db.prepare("SELECT record_id FROM post_nik WHERE nik_hmac = ?").all(hmac(19))).toEqual([{ record_id: 'r9' }])

    // A desk event: no record, a queue depth; anything else is refused by the table itself.
    const desk = db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, self_service, at, queue_depth) VALUES ('K', ?, ?, ?, 0, '2026-12-06T05:00:00.000Z', ?)")
    desk.run(3, 'desk', null, 7)
    expect(() => desk.run(4, 'desk', 'k1', 7)).toThrow(/CHECK/)
    expect(() => desk.run(4, 'desk', null, null)).toThrow(/CHECK/)
    expect(() => desk.run(4, 'desk', null, -1)).toThrow(/CHECK/)
    expect(() => desk.run(4, 'registered', 'k2', 3)).toThrow(/CHECK/)
    expect(() => desk.run(4, 'registered', null, null)).toThrow(/CHECK/)
    // The home screen's day counts use the new index, not a scan of the log.
    expect(queryPlan(db, "SELECT count(*) FROM post_log WHERE kind = 'registered' AND at >= ? AND at < ?", 'a', 'b').join(' ')).toMatch(/post_log_day/)
    db.close()
  })
})
