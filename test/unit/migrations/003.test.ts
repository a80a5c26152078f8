import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { AUDIT, columns, createAuditLog, databaseAt, dump, indexes, isStrict, migrateTo, openDatabase, populate, schema, schemaChanges, schemaVersion, triggers } from '../migration-kit'

describe('migration 003 audit', () => {
  it('adds the append-only audit table to a version-2 database, keeping its registrations', () => {
    const file = join(tempDir(), 'posko.db')
    const v2 = openDatabase(file, { upTo: 2 })
    v2.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES ('a', 'R1', 'queued', x'01', x'02', 'P', 't', 't')`,
    ).run()
    v2.close()
    const db = openDatabase(file, { upTo: 3 })
    expect(schemaVersion(db)).toBe(3)
    expect(db.prepare('SELECT id FROM registrations').all()).toEqual([{ id: 'a' }])
    db.prepare("INSERT INTO audit (seq, at, actor, action, record_id, details, prev_hash, hash) VALUES (1, 't', NULL, 'x', NULL, '{}', 'p', 'h')").run()
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
    db.close()
  })

  it('keeps every row of a version-2 kiosk exactly and adds the audit table, its index and its two guard triggers', () => {
    const at = databaseAt(2)
    populate(at.db, 2)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 3)
    expect(dump(db)).toEqual({ ...before, audit: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['audit', 'audit_action', 'audit_no_delete', 'audit_no_update'], removed: [], changed: [] })
    expect(isStrict(db, 'audit')).toBe(true)
    const text = (name: string, notNull: boolean) => ({ name, type: 'TEXT', notNull, default: null, pk: 0 })
    expect(columns(db, 'audit')).toEqual([
      { name: 'seq', type: 'INTEGER', notNull: false, default: null, pk: 1 },
      text('at', true),
      text('actor', false),
      text('action', true),
      text('record_id', false),
      text('details', true),
      text('prev_hash', true),
      text('hash', true),
    ])
    expect(indexes(db, 'audit')).toEqual([{ name: 'audit_action', columns: ['action', 'at'], unique: false, partial: false }])
    expect(triggers(db, 'audit')).toEqual(['audit_no_delete', 'audit_no_update'])
    db.close()
  })

  it('takes a hash chain (system rows with no actor, rows with and without a record), the app appends to it, and no row can be changed or removed', () => {
    const db = migrateTo(databaseAt(2), 3)
    populate(db, 3)
    expect(dump(db).audit).toEqual(AUDIT)
    const log = createAuditLog(db, () => new Date('2026-11-03T01:00:00.000Z'))
    expect(log.verify()).toEqual({ ok: true, rows: AUDIT.length })
    const appended = log.append({ actor: 'op-sup', action: 'export', details: { records: 3 } })
    expect(appended).toMatchObject({ seq: AUDIT.length + 1, prev_hash: AUDIT.at(-1)!.hash })
    expect(log.verify()).toEqual({ ok: true, rows: AUDIT.length + 1 })

    expect(() => db.prepare("UPDATE audit SET actor = 'op-it' WHERE seq = 2").run()).toThrow(/audit log is append-only/)
    expect(() => db.prepare('UPDATE audit SET details = details').run()).toThrow(/audit log is append-only/)
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 4').run()).toThrow(/audit log is append-only/)
    expect(() => db.prepare("INSERT INTO audit (seq, at, action, details, prev_hash, hash) VALUES (1, 't', 'x', '{}', 'p', 'h')").run()).toThrow(/UNIQUE constraint failed: audit.seq/)
    expect(() => db.prepare("INSERT INTO audit (seq, at, action, details, prev_hash, hash) VALUES (9, 't', 'x', NULL, 'p', 'h')").run()).toThrow(/NOT NULL constraint failed: audit.details/)
    expect(dump(db).audit).toEqual([...AUDIT, appended])
    expect(log.verify()).toEqual({ ok: true, rows: AUDIT.length + 1 })
    db.close()
  })
})
