import { describe, expect, it } from 'vitest'
import { columns, createAuditLog, databaseAt, dump, isStrict, migrateTo, OPERATORS, populate, schema, schemaChanges, uniqueConstraints } from '../migration-kit'

describe('migration 004 operators', () => {
  it('keeps every row of a version-3 kiosk exactly (its audit chain still verifies) and adds the STRICT operators table', () => {
    const at = databaseAt(3)
    populate(at.db, 3)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 4)
    expect(dump(db)).toEqual({ ...before, operators: [] })
    expect(createAuditLog(db, () => new Date()).verify()).toEqual({ ok: true, rows: before.audit!.length })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['operators', 'sqlite_autoindex_operators_1'], removed: [], changed: [] })
    expect(isStrict(db, 'operators')).toBe(true)
    const col = (name: string, type: string, notNull: boolean, dflt: string | null = null) => ({ name, type, notNull, default: dflt, pk: 0 })
    expect(columns(db, 'operators')).toEqual([
      { name: 'id', type: 'TEXT', notNull: true, default: null, pk: 1 },
      col('name', 'TEXT', true),
      col('role', 'TEXT', true),
      col('pin_hash', 'BLOB', true),
      col('pin_salt', 'BLOB', true),
      col('pin_params', 'TEXT', true),
      col('failed_attempts', 'INTEGER', true, '0'),
      col('last_failure_at', 'TEXT', false),
      col('locked', 'INTEGER', true, '0'),
      col('active', 'INTEGER', true, '1'),
      col('created_at', 'TEXT', true),
      col('updated_at', 'TEXT', true),
    ])
    expect(uniqueConstraints(db, 'operators')).toEqual([['id']])
    db.close()
  })

  it('stores locked, inactive and fresh accounts (a new one unlocked and active), and refuses unknown roles, non-boolean flags, PINs not stored as bytes', () => {
    const db = migrateTo(databaseAt(3), 4)
    populate(db, 4)
    const stored = dump(db).operators!
    expect(stored.map(({ id, name, role, failed_attempts, last_failure_at, locked, active }) => ({ id, name, role, failed_attempts, last_failure_at, locked, active }))).toEqual(OPERATORS)
    expect(stored.every((o) => Buffer.isBuffer(o.pin_hash) && (o.pin_hash as Buffer).length === 32 && (o.pin_salt as Buffer).length === 16)).toBe(true)

    // The columns the operators repository inserts; the rest take their defaults.
    const insert = db.prepare(
      `INSERT INTO operators (id, name, role, pin_hash, pin_salt, pin_params, created_at, updated_at)
       VALUES (?, 'Dewi Lestari', ?, ?, x'0102', '{"N":16384,"r":8,"p":1}', '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z')`,
    )
    insert.run('op-new', 'operator', Buffer.alloc(32, 7))
    expect(db.prepare("SELECT failed_attempts, last_failure_at, locked, active FROM operators WHERE id = 'op-new'").get()).toEqual({
      failed_attempts: 0,
      last_failure_at: null,
      locked: 0,
      active: 1,
    })
    expect(() => insert.run('op-x1', 'admin', Buffer.alloc(32))).toThrow(/CHECK constraint failed: role IN/)
    expect(() => insert.run('op-x2', 'operator', null)).toThrow(/NOT NULL constraint failed: operators.pin_hash/)
    expect(() => insert.run('op-x3', 'operator', '246813')).toThrow(/cannot store TEXT value in BLOB column operators.pin_hash/)
    expect(() => insert.run('op-sup', 'operator', Buffer.alloc(32))).toThrow(/UNIQUE constraint failed: operators.id/)
    expect(() => db.prepare("UPDATE operators SET locked = 2 WHERE id = 'op-new'").run()).toThrow(/CHECK constraint failed: locked IN/)
    expect(() => db.prepare("UPDATE operators SET active = -1 WHERE id = 'op-new'").run()).toThrow(/CHECK constraint failed: active IN/)
    expect(() => db.prepare("UPDATE operators SET failed_attempts = NULL WHERE id = 'op-new'").run()).toThrow(/NOT NULL constraint failed: operators.failed_attempts/)
    db.close()
  })
})
