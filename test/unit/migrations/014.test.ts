import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, isStrict, migrateTo, populate, schema, schemaChanges, triggers } from '../migration-kit'

const hmac = (n: number) => Buffer.alloc(32, n)
const A = '0190a0b0-0000-7000-8000-00000000000a'
const B = '0190a0b0-0000-7000-8000-00000000000b'

describe('migration 014 post log marks', () => {
  it('keeps every row of a version-13 kiosk exactly (own and peers\' events, the index); only kept_id and one index are new', () => {
    const at = databaseAt(13)
    populate(at.db, 13)
    at.db
      .prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, operator_id, self_service, at) VALUES ('peer', 1, 'registered', ?, 'R-1', ?, 'op', 0, '2026-12-06T01:00:00.000Z')")
      .run(A, hmac(9))
    const before = dump(at.db)
    expect(before.post_log!.length).toBeGreaterThan(1)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 14)
    const after = dump(db)
    expect(after.post_log).toEqual(before.post_log!.map((r) => ({ ...r, kept_id: null })))
    expect({ ...after, post_log: [] }).toEqual({ ...before, post_log: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['post_log_resolved'],
      removed: [],
      // The triggers made again around the rebuild are 013's, word for word.
      changed: ['post_log'],
    })
    expect(isStrict(db, 'post_log')).toBe(true)
    expect(columns(db, 'post_log').at(-1)).toEqual({ name: 'kept_id', type: 'TEXT', notNull: false, default: null, pk: 0 })
    expect(triggers(db, 'registrations')).toEqual(expect.arrayContaining(['post_log_registered', 'post_log_nik', 'post_log_state', 'post_nik_purge_record']))
    expect(triggers(db, 'post_log').sort()).toEqual(['post_nik_keep', 'post_nik_purged'])
    db.close()
  })

  it('the triggers still write own events and keep the index; a mark names two records and nothing else, and feeds no index', () => {
    const db = migrateTo(databaseAt(13), 14)
    db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
       VALUES (?, 'R-2', 'queued', ?, ?, 'P-1', 'op-1', 0, 0, '2026-12-06T01:00:00.000Z', '2026-12-06T01:00:00.000Z', ?)`,
    ).run(B, hmac(1), Buffer.from('x'), hmac(9))
    db.prepare("UPDATE registrations SET state = 'accepted', updated_at = '2026-12-06T02:00:00.000Z' WHERE id = ?").run(B)
    const mark = db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, kept_id, operator_id, at, nik_hmac, state) VALUES ('self', ?, 'resolved', ?, ?, 'sup-1', '2026-12-06T03:00:00.000Z', ?, ?)")
    mark.run(3, B, A, null, null)
    expect(db.prepare("SELECT seq, kind, record_id, kept_id FROM post_log WHERE kiosk_id = 'self' ORDER BY seq").all()).toEqual([
      { seq: 1, kind: 'registered', record_id: B, kept_id: null },
      { seq: 2, kind: 'state', record_id: B, kept_id: null },
      { seq: 3, kind: 'resolved', record_id: B, kept_id: A },
    ])
    expect(db.prepare('SELECT kiosk_id, record_id FROM post_nik').all()).toEqual([{ kiosk_id: 'self', record_id: B }])
    // A mark without the kept record, with an HMAC or a state, or keeping itself; another kind with a kept id: refused.
    expect(() => mark.run(4, B, null, null, null)).toThrow(/CHECK/)
    expect(() => mark.run(4, B, A, hmac(9), null)).toThrow(/CHECK/)
    expect(() => mark.run(4, B, A, null, 'duplicate')).toThrow(/CHECK/)
    expect(() => mark.run(4, B, B, null, null)).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, kept_id, at) VALUES ('self', 4, 'state', ?, ?, 'x')").run(B, A)).toThrow(/CHECK/)
    db.close()
  })
})
