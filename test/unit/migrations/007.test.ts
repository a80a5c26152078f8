import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, foreignKeys, indexes, migrateTo, OUTBOX, populate, queryPlan, schema, schemaChanges } from '../migration-kit'

describe('migration 007 outbox hold', () => {
  it('keeps every outbox row of a version-6 kiosk, none of them held (not even the self-service one), and every other row exactly', () => {
    const at = databaseAt(6)
    populate(at.db, 6)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 7)
    const after = dump(db)
    expect(after.outbox).toEqual(OUTBOX.map((o) => ({ ...o, held: 0 })))
    expect(after).toEqual({ ...before, outbox: before.outbox!.map((o) => ({ ...o, held: 0 })) })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['outbox_held'], removed: [], changed: ['outbox'] })
    expect(columns(db, 'outbox').map((c) => c.name)).toEqual(['record_id', 'enqueued_at', 'attempts', 'next_attempt_at', 'batch_id', 'last_error', 'held'])
    expect(columns(db, 'outbox').at(-1)).toEqual({ name: 'held', type: 'INTEGER', notNull: true, default: '0', pk: 0 })
    expect(foreignKeys(db, 'outbox')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'CASCADE' }])
    expect(indexes(db, 'outbox')).toEqual([
      { name: 'outbox_batch', columns: ['batch_id'], unique: false, partial: false },
      { name: 'outbox_fresh', columns: ['enqueued_at', 'record_id'], unique: false, partial: true },
      { name: 'outbox_held', columns: ['enqueued_at'], unique: false, partial: true },
    ])
    db.close()
  })

  it('a row is held only when asked, held rows are counted from their own index, and held is 0 or 1', () => {
    const at = databaseAt(6)
    populate(at.db, 6)
    const db = migrateTo(at, 7)
    const heldCount = 'SELECT count(*) FROM outbox WHERE held = 1'
    expect(queryPlan(db, heldCount).join('\n')).toMatch(/outbox USING (COVERING )?INDEX outbox_held/)
    expect(db.prepare(heldCount).pluck().get()).toBe(0)
    db.prepare("UPDATE outbox SET held = 1 WHERE record_id = 'rec-10-self'").run()
    expect(db.prepare('SELECT record_id FROM outbox INDEXED BY outbox_held WHERE held = 1 ORDER BY enqueued_at DESC').pluck().all()).toEqual(['rec-10-self'])
    expect(() => db.prepare('SELECT record_id FROM outbox INDEXED BY outbox_held ORDER BY enqueued_at').all()).toThrow(/no query solution/)

    db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, self_service, created_at, updated_at)
       VALUES ('rec-11', 'JT-3578-01-261103-0001', 'queued', x'11', x'22', 'JT-3578-01', 1, '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z')`,
    ).run()
    db.prepare("INSERT INTO outbox (record_id, enqueued_at) VALUES ('rec-11', '2026-11-03T00:00:00.000Z')").run()
    expect(db.prepare("SELECT held FROM outbox WHERE record_id = 'rec-11'").pluck().get()).toBe(0)
    expect(() => db.prepare("UPDATE outbox SET held = 2 WHERE record_id = 'rec-11'").run()).toThrow(/CHECK constraint failed: held IN/)
    expect(() => db.prepare("UPDATE outbox SET held = NULL WHERE record_id = 'rec-11'").run()).toThrow(/NOT NULL constraint failed: outbox.held/)
    // A held row still goes with its record: the altered table kept its ON DELETE CASCADE key.
    db.prepare("UPDATE outbox SET held = 1 WHERE record_id = 'rec-11'").run()
    expect(db.prepare(heldCount).pluck().get()).toBe(2)
    db.prepare("DELETE FROM registrations WHERE id = 'rec-11'").run()
    expect(db.prepare('SELECT record_id FROM outbox WHERE held = 1').pluck().all()).toEqual(['rec-10-self'])
    db.close()
  })
})
