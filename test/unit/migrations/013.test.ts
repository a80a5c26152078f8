import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, migrateTo, populate, schema, schemaChanges, triggers } from '../migration-kit'

const hmac = (n: number) => Buffer.alloc(32, n)

describe('migration 013 post log', () => {
  it('keeps every row of a version-12 kiosk exactly; old records make no events (their post HMAC comes later, as a nik event)', () => {
    const at = databaseAt(12)
    populate(at.db, 12)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 13)
    const after = dump(db)
    expect(after.registrations).toEqual(before.registrations!.map((r) => ({ ...r, post_nik_hmac: null })))
    expect({ ...after, registrations: [] }).toEqual({ ...before, registrations: [], post_log: [], post_nik: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: [
        'post_log',
        'post_log_nik',
        'post_log_record',
        'post_log_registered',
        'post_log_state',
        'post_nik',
        'post_nik_hmac',
        'post_nik_keep',
        'post_nik_purge_record',
        'post_nik_purged',
        'sqlite_autoindex_post_log_1',
        'sqlite_autoindex_post_nik_1',
      ],
      removed: [],
      changed: ['registrations'],
    })
    expect(columns(db, 'registrations').at(-1)).toEqual({ name: 'post_nik_hmac', type: 'BLOB', notNull: false, default: null, pk: 0 })
    expect(triggers(db, 'registrations')).toEqual(expect.arrayContaining(['post_log_registered', 'post_log_nik', 'post_log_state', 'post_nik_purge_record']))
    db.close()
  })

  it('own events commit with their change, in sequence; a purge erases the NIK HMAC post-wide; peers\' events feed the index', () => {
    const at = databaseAt(12)
    const db = migrateTo(at, 13)
    const insert = db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
       VALUES (?, ?, 'queued', ?, ?, 'P-1', 'op-1', 0, 0, ?, ?, ?)`,
    )
    insert.run('r1', 'P-1-261206-0001', hmac(1), Buffer.from('x'), '2026-12-06T01:00:00.000Z', '2026-12-06T01:00:00.000Z', hmac(11))
    insert.run('r2', 'P-1-261206-0002', hmac(2), Buffer.from('y'), '2026-12-06T01:01:00.000Z', '2026-12-06T01:01:00.000Z', null)
    db.prepare("UPDATE registrations SET state = 'accepted', updated_at = '2026-12-06T02:00:00.000Z' WHERE id = 'r1'").run()
    db.prepare("UPDATE registrations SET post_nik_hmac = ?, updated_at = '2026-12-06T02:01:00.000Z' WHERE id = 'r2'").run(hmac(12))
    // An upload marking (uploading) is no event; an edit that changes nothing of the NIK is none either.
    db.prepare("UPDATE registrations SET state = 'uploading' WHERE id = 'r2'").run()
    db.prepare("UPDATE registrations SET post_nik_hmac = ? WHERE id = 'r2'").run(hmac(12))
    const events = () => db.prepare('SELECT kiosk_id, seq, kind, record_id, nik_hmac, state FROM post_log ORDER BY kiosk_id, seq').all()
    expect(events()).toEqual([
      { kiosk_id: 'self', seq: 1, kind: 'registered', record_id: 'r1', nik_hmac: hmac(11), state: null },
      { kiosk_id: 'self', seq: 2, kind: 'registered', record_id: 'r2', nik_hmac: null, state: null },
      { kiosk_id: 'self', seq: 3, kind: 'state', record_id: 'r1', nik_hmac: null, state: 'accepted' },
      { kiosk_id: 'self', seq: 4, kind: 'nik', record_id: 'r2', nik_hmac: hmac(12), state: null },
    ])
    const index = () => db.prepare('SELECT kiosk_id, record_id, nik_hmac FROM post_nik ORDER BY kiosk_id, record_id').all()
    expect(index()).toEqual([
      { kiosk_id: 'self', record_id: 'r1', nik_hmac: hmac(11) },
      { kiosk_id: 'self', record_id: 'r2', nik_hmac: hmac(12) },
    ])

    // A peer's events, as pulled.
    const peer = db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, at) VALUES ('K', ?, ?, ?, NULL, ?, ?, '2026-12-06T03:00:00.000Z')")
    peer.run(1, 'registered', 'k1', hmac(21), null)
    expect(index()).toContainEqual({ kiosk_id: 'K', record_id: 'k1', nik_hmac: hmac(21) })
    peer.run(2, 'state', 'k1', null, 'purged')
    expect(index()).not.toContainEqual(expect.objectContaining({ kiosk_id: 'K' }))
    expect(db.prepare("SELECT nik_hmac FROM post_log WHERE kiosk_id = 'K' AND seq = 1").get()).toEqual({ nik_hmac: null })

    // The retention purge (store/retention.ts) of an own record.
    db.prepare("UPDATE registrations SET sealed = NULL, nik_hmac = NULL, state = 'purged', purged_at = '2026-12-13T00:00:00.000Z', updated_at = '2026-12-13T00:00:00.000Z' WHERE id = 'r1'").run()
    expect(db.prepare("SELECT post_nik_hmac FROM registrations WHERE id = 'r1'").get()).toEqual({ post_nik_hmac: null })
    expect(events().filter((e) => (e as { record_id: string }).record_id === 'r1')).toEqual([
      { kiosk_id: 'self', seq: 1, kind: 'registered', record_id: 'r1', nik_hmac: null, state: null },
      { kiosk_id: 'self', seq: 3, kind: 'state', record_id: 'r1', nik_hmac: null, state: 'accepted' },
      { kiosk_id: 'self', seq: 5, kind: 'state', record_id: 'r1', nik_hmac: null, state: 'purged' },
    ])
    expect(index()).toEqual([{ kiosk_id: 'self', record_id: 'r2', nik_hmac: hmac(12) }])
    // Sequences are the log's identity: the same (kiosk, seq) twice is refused.
    expect(() => peer.run(1, 'registered', 'k9', hmac(9), null)).toThrow(/UNIQUE|PRIMARY KEY/)
    db.close()
  })
})
