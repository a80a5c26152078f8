import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, foreignKeys, indexes, migrateTo, populate, schema, schemaChanges } from '../migration-kit'

describe('migration 010 outbox in doubt', () => {
  it('keeps every row of a version-9 kiosk exactly, and no outbox row starts in doubt', () => {
    const at = databaseAt(9)
    populate(at.db, 9)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 10)
    const after = dump(db)
    expect(after).toEqual({ ...before, outbox: before.outbox!.map((o) => ({ ...o, in_doubt: 0 })) })
    expect(after.outbox!.length).toBeGreaterThan(0)
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: [], removed: [], changed: ['outbox'] })
    expect(columns(db, 'outbox').at(-1)).toEqual({ name: 'in_doubt', type: 'INTEGER', notNull: true, default: '0', pk: 0 })
    // The altered table keeps its key to its record and its indexes.
    expect(foreignKeys(db, 'outbox')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'CASCADE' }])
    expect(indexes(db, 'outbox').map((i) => i.name)).toEqual(['outbox_batch', 'outbox_fresh', 'outbox_held'])
    db.close()
  })

  it('in_doubt is 0 or 1', () => {
    const at = databaseAt(9)
    populate(at.db, 9)
    const db = migrateTo(at, 10)
    const id = db.prepare('SELECT record_id FROM outbox LIMIT 1').pluck().get() as string
    db.prepare('UPDATE outbox SET in_doubt = 1 WHERE record_id = ?').run(id)
    expect(db.prepare('SELECT in_doubt FROM outbox WHERE record_id = ?').pluck().get(id)).toBe(1)
    expect(() => db.prepare('UPDATE outbox SET in_doubt = 2 WHERE record_id = ?').run(id)).toThrow(/CHECK constraint failed: in_doubt IN/)
    expect(() => db.prepare('UPDATE outbox SET in_doubt = NULL WHERE record_id = ?').run(id)).toThrow(/NOT NULL constraint failed: outbox.in_doubt/)
    db.close()
  })
})
