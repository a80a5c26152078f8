import { describe, expect, it } from 'vitest'
import { databaseAt, dump, migrateTo, populate, schema, schemaChanges } from '../migration-kit'

const V = 16

describe('migration 016 peer backup', () => {
  it('keeps every row, adds the two tables; central\'s answer in the post log drops a held bundle, an edit forgets who held the record', () => {
    const at = databaseAt(V - 1)
    populate(at.db, V - 1)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, V)
    expect({ ...dump(db), backup_held: [], backup_given: [] }).toEqual({ ...before, backup_held: [], backup_given: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['backup_given', 'backup_given_edited', 'backup_given_kiosk', 'backup_held', 'backup_held_age', 'backup_held_settled', 'sqlite_autoindex_backup_held_1'],
      removed: [],
      changed: [],
    })

    const hold = db.prepare("INSERT INTO backup_held (origin_kiosk_id, record_id, bundle_id, bundle, size, received_at) VALUES ('K', ?, 'b', x'0102', 2, '2026-12-06T00:00:00.000Z')")
    hold.run('r1')
    hold.run('r2')
    hold.run('r3')
    const event = db.prepare("INSERT INTO post_log (kiosk_id, seq, kind, record_id, state, self_service, at) VALUES ('K', ?, 'state', ?, ?, 0, '2026-12-06T01:00:00.000Z')")
    event.run(1, 'r1', 'accepted')
    event.run(2, 'r2', 'rejected')
    event.run(3, 'r3', 'duplicate')
    // Rejected stays held: central did not take it, the origin will send it again once staff fixed it.
    expect(db.prepare('SELECT record_id FROM backup_held').pluck().all()).toEqual(['r2'])
    // The size must be the bundle's.
    expect(() => db.prepare("INSERT INTO backup_held (origin_kiosk_id, record_id, bundle_id, bundle, size, received_at) VALUES ('K', 'r9', 'b', x'01', 5, 'x')").run()).toThrow(/CHECK/)

    const record = (db.prepare("SELECT id, sealed FROM registrations WHERE sealed IS NOT NULL LIMIT 1").get() as { id: string; sealed: Buffer })
    db.prepare("INSERT INTO backup_given (record_id, kiosk_id, store_id, given_at) VALUES (?, 'K', 's', 'now')").run(record.id)
    db.prepare('UPDATE registrations SET state = state WHERE id = ?').run(record.id)
    expect(db.prepare('SELECT count(*) FROM backup_given').pluck().get()).toBe(1)
    db.prepare('UPDATE registrations SET sealed = ? WHERE id = ?').run(Buffer.concat([record.sealed, Buffer.from('!')]), record.id)
    expect(db.prepare('SELECT count(*) FROM backup_given').pluck().get()).toBe(0)
  })
})
