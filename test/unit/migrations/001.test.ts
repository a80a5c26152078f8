import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, isStrict, migrateTo, populate, schema, schemaChanges, SETTINGS, uniqueConstraints } from '../migration-kit'

// The version before 001 is an empty file. (store-db.test.ts also drives the settings repository at version 1.)
describe('migration 001 settings', () => {
  it('turns an empty database file into one with only the STRICT settings table', () => {
    const at = databaseAt(0)
    expect(schema(at.db)).toEqual({})
    const db = migrateTo(at, 1)
    expect(schemaChanges({}, schema(db))).toEqual({ added: ['settings', 'sqlite_autoindex_settings_1'], removed: [], changed: [] })
    expect(isStrict(db, 'settings')).toBe(true)
    expect(columns(db, 'settings')).toEqual([
      { name: 'key', type: 'TEXT', notNull: true, default: null, pk: 1 },
      { name: 'value', type: 'TEXT', notNull: true, default: null, pk: 0 },
      { name: 'updated_at', type: 'TEXT', notNull: true, default: null, pk: 0 },
    ])
    expect(uniqueConstraints(db, 'settings')).toEqual([['key']])
    expect(dump(db)).toEqual({ settings: [] })
    db.close()
  })

  it('keeps what the kiosk stores there exactly, and refuses a second row per key, missing fields, non-text values', () => {
    const db = migrateTo(databaseAt(0), 1)
    populate(db, 1)
    expect(dump(db)).toEqual({ settings: SETTINGS })
    const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
    expect(() => insert.run('language', 'en', '2026-11-03T00:00:00.000Z')).toThrow(/UNIQUE constraint failed: settings.key/)
    expect(() => insert.run(null, 'en', '2026-11-03T00:00:00.000Z')).toThrow(/NOT NULL constraint failed: settings.key/)
    expect(() => insert.run('theme', null, '2026-11-03T00:00:00.000Z')).toThrow(/NOT NULL constraint failed: settings.value/)
    expect(() => insert.run('theme', 'dark', null)).toThrow(/NOT NULL constraint failed: settings.updated_at/)
    expect(() => insert.run('theme', Buffer.from('dark'), '2026-11-03T00:00:00.000Z')).toThrow(/cannot store BLOB value in TEXT column settings.value/)
    expect(dump(db)).toEqual({ settings: SETTINGS })
    db.close()
  })
})
