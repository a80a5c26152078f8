import { describe, expect, it } from 'vitest'
import { databaseAt, dump, migrateTo, populate, schema, schemaChanges, triggers } from '../migration-kit'

const V = 17
const hmac = (n: number) => Buffer.alloc(32, n)

describe('migration 017 relay', () => {
  it('keeps every row of the post log exactly, its triggers working, allows relay outcomes, and adds the relay\'s tables', () => {
    const at = databaseAt(V - 1)
    populate(at.db, V - 1)
    const peer = at.db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, at) VALUES ('K', ?, ?, ?, NULL, ?, ?, '2026-12-06T03:00:00.000Z')")
    peer.run(1, 'registered', 'k1', hmac(21), null)
    peer.run(2, 'state', 'k1', null, 'rejected')
    at.db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, self_service, at, queue_depth) VALUES ('K', 3, 'desk', NULL, 0, '2026-12-06T03:00:01.000Z', 4)").run()
    at.db.prepare("INSERT INTO backup_held (origin_kiosk_id, record_id, bundle_id, bundle, size, received_at) VALUES ('K', ?, 'b', x'0102', 2, '2026-12-06T00:00:00.000Z')").run('k1')
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, V)
    const after = dump(db)
    expect(after.post_log).toEqual(before.post_log!.map((r) => ({ ...r, origin_kiosk_id: null })))
    expect({ ...after, post_log: [], relay_asked: [], relay_jobs: [], relay_seen: [] }).toEqual({ ...before, post_log: [], relay_asked: [], relay_jobs: [], relay_seen: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['post_log_relayed', 'relay_asked', 'relay_jobs', 'relay_seen', 'sqlite_autoindex_relay_seen_1'],
      removed: [],
      // The triggers and indexes are made again exactly as 013–016 made them.
      changed: ['post_log'],
    })
    expect(triggers(db, 'post_log').sort()).toEqual(['backup_held_settled', 'post_nik_keep', 'post_nik_purged'])

    // The record triggers still write the log, in sequence after what was there.
    const own = (db.prepare("SELECT max(seq) AS s FROM post_log WHERE kiosk_id = 'self'").get() as { s: number }).s
    db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
       VALUES ('r9', 'P-1-261206-0099', 'queued', ?, ?, 'P-1', 'op-1', 0, 0, '2026-12-06T04:00:00.000Z', '2026-12-06T04:00:00.000Z', ?)`,
    ).run(hmac(9), Buffer.from('x'), hmac(19))
    expect(db.prepare("SELECT seq, kind, record_id FROM post_log WHERE kiosk_id = 'self' AND seq > ?").all(own)).toEqual([{ seq: own + 1, kind: 'registered', record_id: 'r9' }])

    // A relay outcome names the record's desk and central's answer; the table refuses anything else.
    const relayed = db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, nik_hmac, state, self_service, at, origin_kiosk_id) VALUES ('K', ?, ?, ?, ?, ?, 0, '2026-12-06T05:00:00.000Z', ?)")
    relayed.run(4, 'relayed', 'x1', null, 'accepted', 'O')
    expect(() => relayed.run(5, 'relayed', 'x1', null, 'accepted', null)).toThrow(/CHECK/)
    expect(() => relayed.run(5, 'relayed', 'x1', null, 'purged', 'O')).toThrow(/CHECK/)
    expect(() => relayed.run(5, 'relayed', 'x1', null, null, 'O')).toThrow(/CHECK/)
    expect(() => relayed.run(5, 'relayed', 'x1', hmac(3), 'accepted', 'O')).toThrow(/CHECK/)
    expect(() => relayed.run(5, 'state', 'x1', null, 'accepted', 'O')).toThrow(/CHECK/)
    // A relay's outcome is not the origin's own: held copies stay until the origin's own answer (016's trigger, kept).
    expect(db.prepare('SELECT count(*) FROM backup_held').pluck().get()).toBe(1)
    relayed.run(5, 'state', 'k1', null, 'accepted', null)
    expect(db.prepare('SELECT count(*) FROM backup_held').pluck().get()).toBe(0)

    // An ask goes with its record.
    db.prepare("INSERT INTO relay_asked (record_id, kiosk_id, asked_at) VALUES ('r9', 'K', 'now')").run()
    expect(() => db.prepare("INSERT INTO relay_asked (record_id, kiosk_id, asked_at) VALUES ('nope', 'K', 'now')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })
})
